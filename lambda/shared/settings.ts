/**
 * The governance settings: the moratorium and the organisation registry. One schema serves the
 * CDK app (validated at synth, with errors that say how to fix them) and the Lambdas (compiled
 * into each bundle as `GOVREC_SETTINGS` and parsed again at module load, so a function never runs
 * on settings that did not pass this schema).
 */
import { z } from 'zod';
import { GovrecError } from './errors';
import { defaultMoratoriumEnd, phaseAt } from './moratorium';

/** Rekognition operations an organisation can be registered for, by the key segment that names them. */
export const OPERATIONS = {
  search: 'SearchFacesByImage',
  detect: 'DetectFaces',
  index: 'IndexFaces',
} as const;
export type OperationName = keyof typeof OPERATIONS;
export type RekognitionOperation = (typeof OPERATIONS)[OperationName];
export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];
/** Operations that need a face collection. */
export const COLLECTION_OPERATIONS: readonly OperationName[] = ['search', 'index'];

const SLUG = /^[a-z][a-z0-9-]{1,39}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const COLLECTION_ID = /^[a-zA-Z0-9_.-]{1,255}$/;
/** An AWS account id (12 digits). */
export const ACCOUNT_ID = /^\d{12}$/;
/** An AWS Organizations OU id, as `ListOrganizationalUnitsForParent` returns it: `ou-<root part>-<ou part>`. */
export const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

const isoInstant = (field: string) =>
  z.iso.datetime({ offset: true, message: `${field} must be an ISO 8601 instant such as 2027-06-10T00:00:00Z` });

/**
 * A window boundary: an instant on a whole second. EventBridge Scheduler's `at()` has no
 * fractions, so `…:00.500Z` would fire the start or the restore up to a second early; `.000` is
 * accepted (it is how the settings are normalised, and they are parsed again).
 */
const windowInstant = (field: string) =>
  isoInstant(field).refine((value) => Number.isNaN(Date.parse(value)) || Date.parse(value) % 1000 === 0, {
    message: `${field} must fall on a whole second (no fractional seconds such as .500): the schedules that start and end the moratorium fire on whole seconds`,
  });

export const organisationSchema = z.object({
  id: z
    .string()
    .regex(
      SLUG,
      'organisation id must be 2-40 lower-case letters, digits or dashes, starting with a letter (it becomes the S3 prefix incoming/<id>/)',
    ),
  displayName: z.string().min(1, 'displayName must not be empty'),
  category: z.string().regex(SLUG, 'category must be a lower-case slug such as ngo, police or other'),
  roleArns: z
    .array(
      z
        .string()
        .regex(ROLE_ARN, 'each roleArns entry must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>'),
    )
    .default([]),
  /**
   * AWS accounts the organisation acts from (restricted organisations only): the guardrails stack
   * attaches its service control policy to them, and its resource control policy refuses their
   * principals the intake bucket, for the moratorium window.
   */
  accounts: z
    .array(z.string().regex(ACCOUNT_ID, 'each accounts entry must be a 12-digit AWS account id such as 222222222222'))
    .default([]),
  /** AWS Organizations OUs the organisation's accounts live in (restricted organisations only); as `accounts`. */
  organizationalUnits: z
    .array(
      z
        .string()
        .regex(
          OU_ID,
          'each organizationalUnits entry must be an AWS Organizations OU id such as ou-ab12-34cd56ef (not its name or ARN)',
        ),
    )
    .default([]),
  purposes: z
    .array(z.string().regex(SLUG, 'purposes are lower-case slugs such as child-rescue'))
    .min(1, 'register at least one purpose'),
  operations: z
    .array(z.enum(OPERATION_NAMES as [OperationName, ...OperationName[]]))
    .min(1, `register at least one operation (${OPERATION_NAMES.join(', ')})`),
  collectionId: z
    .string()
    .regex(COLLECTION_ID, 'collectionId may use letters, digits, _ . and - (1-255 chars)')
    .optional(),
  faceMatchThreshold: z.number().min(0).max(100).default(90),
});

export const moratoriumSchema = z.object({
  start: windowInstant('moratorium.start'),
  end: windowInstant('moratorium.end').optional(),
  restrictedCategories: z
    .array(z.string().regex(SLUG, 'restrictedCategories entries are lower-case slugs such as police'))
    .min(1, 'restrictedCategories needs at least one category')
    .default(['police']),
  afterWindow: z.enum(['normal-rules', 'deny']).default('normal-rules'),
  enforcementScope: z.enum(['all-actions', 'recognition-and-intake']).default('all-actions'),
});

/** The two top-level keys of the governance settings; the deployment configuration embeds them. */
export const governanceShape = {
  moratorium: moratoriumSchema,
  organisations: z.array(organisationSchema).min(1, 'register at least one organisation'),
};

/**
 * The rules that span fields (unique ids, one organisation per role, collections, end after
 * start), as a `superRefine` callback so the deployment configuration's schema applies them too.
 */
export const checkGovernance = (
  value: { moratorium: z.output<typeof moratoriumSchema>; organisations: z.output<typeof organisationSchema>[] },
  ctx: z.core.$RefinementCtx,
): void => {
  const seenIds = new Set<string>();
  const seenRoles = new Map<string, string>();
  const seenTargets = new Map<string, string>();
  value.organisations.forEach((org, index) => {
    const restricted = value.moratorium.restrictedCategories.includes(org.category);
    const targets = [...org.accounts, ...org.organizationalUnits];
    if (org.roleArns.length === 0 && (targets.length === 0 || !restricted)) {
      ctx.addIssue({
        code: 'custom',
        path: ['organisations', index, 'roleArns'],
        message: restricted
          ? 'an organisation needs at least one IAM role ARN that acts for it, or (restricted organisations) accounts or organizationalUnits'
          : 'an organisation needs at least one IAM role ARN that acts for it',
      });
    }
    if (targets.length > 0 && !restricted) {
      ctx.addIssue({
        code: 'custom',
        path: ['organisations', index, org.accounts.length > 0 ? 'accounts' : 'organizationalUnits'],
        message: `organisation "${org.id}" (category ${org.category}) lists accounts or organizationalUnits, which only restricted organisations (${value.moratorium.restrictedCategories.join(', ')}) may: they are the targets of the moratorium guardrails`,
      });
    }
    for (const target of targets) {
      const owner = seenTargets.get(target);
      if (owner !== undefined && owner !== org.id) {
        ctx.addIssue({
          code: 'custom',
          path: ['organisations', index, target.startsWith('ou-') ? 'organizationalUnits' : 'accounts'],
          message: `${target} is listed for both "${owner}" and "${org.id}"; an account or OU belongs to one organisation`,
        });
      }
      seenTargets.set(target, org.id);
    }
    if (seenIds.has(org.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['organisations', index, 'id'],
        message: `organisation id "${org.id}" is used twice; ids must be unique`,
      });
    }
    seenIds.add(org.id);
    for (const arn of org.roleArns) {
      const owner = seenRoles.get(arn);
      if (owner !== undefined && owner !== org.id) {
        ctx.addIssue({
          code: 'custom',
          path: ['organisations', index, 'roleArns'],
          message: `role ${arn} is registered for both "${owner}" and "${org.id}"; a role acts for one organisation`,
        });
      }
      seenRoles.set(arn, org.id);
    }
    if (org.operations.some((op) => COLLECTION_OPERATIONS.includes(op)) && org.collectionId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['organisations', index, 'collectionId'],
        message: `organisation "${org.id}" uses ${org.operations.filter((op) => COLLECTION_OPERATIONS.includes(op)).join('/')} and needs a collectionId`,
      });
    }
  });
  const { start, end } = value.moratorium;
  if (end !== undefined && Date.parse(end) <= Date.parse(start)) {
    ctx.addIssue({
      code: 'custom',
      path: ['moratorium', 'end'],
      message: `${end} must be after moratorium.start (${start}); omit it for the default of one year`,
    });
  }
};

export const governanceSchema = z.object(governanceShape).superRefine(checkGovernance);

export type GovernanceInput = z.input<typeof governanceSchema>;
export type Organisation = z.output<typeof organisationSchema>;

/** Settings after validation, with the moratorium end resolved and instants normalised to UTC `...Z`. */
export interface GovernanceSettings {
  readonly moratorium: {
    readonly start: string;
    readonly end: string;
    readonly restrictedCategories: readonly string[];
    readonly afterWindow: 'normal-rules' | 'deny';
    readonly enforcementScope: 'all-actions' | 'recognition-and-intake';
  };
  readonly organisations: readonly Organisation[];
}

/** Raised when settings do not pass the schema; the message lists every problem with its path. */
export class SettingsValidationError extends GovrecError {}

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    input,
  );

const pathText = (path: readonly PropertyKey[]): string =>
  path.length > 0 ? path.map((key) => String(key)).join('.') : '(root)';

const listed = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/**
 * Plain messages for the checks that carry none of their own (zod's defaults read "Too small:
 * expected number to be >=5"); a message set on the schema wins over these. Pass it as the
 * `error` option of `safeParse`.
 */
export const plainMessages = (issue: z.core.$ZodRawIssue): string | undefined => {
  const at = (key: string): unknown => (issue as unknown as Record<string, unknown>)[key];
  switch (issue.code) {
    case 'too_small':
      return at('origin') === 'array'
        ? `needs at least ${String(at('minimum'))} entr${at('minimum') === 1 ? 'y' : 'ies'}`
        : at('origin') === 'string'
          ? `must not be empty`
          : `must be at least ${String(at('minimum'))}`;
    case 'too_big':
      return at('origin') === 'array' || at('origin') === 'string'
        ? `must have at most ${String(at('maximum'))} entries or characters`
        : `must be at most ${String(at('maximum'))}`;
    case 'invalid_type':
      return at('expected') === 'int' ? 'must be a whole number' : `must be a ${String(at('expected'))}`;
    case 'invalid_value':
      return `must be one of ${listed((at('values') as unknown[] | undefined) ?? [])}`;
    case 'invalid_format':
      return at('format') === 'regex'
        ? 'has characters or a shape that is not allowed here'
        : `must be a valid ${String(at('format'))}`;
    default:
      return undefined;
  }
};

/** The message without the path it repeats ("moratorium.start must be…" under `moratorium.start:`). */
const withoutPath = (where: string, message: string): string =>
  message.startsWith(`${where} `) && /^[a-z]/.test(message.slice(where.length + 1))
    ? message.slice(where.length + 1)
    : message;

/**
 * One line per problem. A field that is absent says "is required" (zod reports it as a wrong
 * type, with whatever message the field's format carries); a field with several failed checks
 * keeps the first, so a malformed date is not also told it misses a whole second.
 *
 * @param input the value that was parsed, to tell an absent field from a wrong one
 */
export const formatIssues = (issues: readonly z.core.$ZodIssue[], input?: unknown): string => {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const issue of issues) {
    const where = pathText(issue.path);
    if (seen.has(where)) continue;
    seen.add(where);
    const absent = input !== undefined && issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
    lines.push(`  - ${where}: ${absent ? 'is required' : withoutPath(where, issue.message)}`);
  }
  return lines.join('\n');
};

/**
 * Validate and resolve governance settings.
 *
 * @example
 * const settings = parseGovernance(JSON.parse(readFileSync('config/governance.json', 'utf8')));
 * settings.moratorium.end // '2021-06-10T00:00:00.000Z' for a start of 2020-06-10T00:00:00Z
 */
export const parseGovernance = (input: unknown, source = 'governance settings'): GovernanceSettings => {
  const result = governanceSchema.safeParse(input, { error: plainMessages });
  if (!result.success) {
    throw new SettingsValidationError(`Invalid ${source}:\n${formatIssues(result.error.issues, input)}`, {
      cause: result.error,
    });
  }
  const { moratorium, organisations } = result.data;
  const start = new Date(moratorium.start);
  const end = moratorium.end !== undefined ? new Date(moratorium.end) : defaultMoratoriumEnd(start);
  return {
    moratorium: { ...moratorium, start: start.toISOString(), end: end.toISOString() },
    organisations,
  };
};

/** Lookups over the registry that every consumer needs. */
export const findOrganisation = (settings: GovernanceSettings, orgId: string): Organisation | undefined =>
  settings.organisations.find((org) => org.id === orgId);

/**
 * Account ids and OU ids listed by restricted organisations (the guardrail targets), sorted and
 * without duplicates. Empty when no restricted organisation lists any: no guardrails stack then.
 *
 * @example
 * guardrailTargets(settings) // { accounts: ['222222222222'], organizationalUnits: ['ou-ab12-34cd56ef'] }
 */
export const guardrailTargets = (
  settings: GovernanceSettings,
): { readonly accounts: readonly string[]; readonly organizationalUnits: readonly string[] } => {
  const restricted = settings.organisations.filter((org) => isRestrictedCategory(settings, org.category));
  const unique = (values: string[]) => [...new Set(values)].sort();
  return {
    accounts: unique(restricted.flatMap((org) => org.accounts)),
    organizationalUnits: unique(restricted.flatMap((org) => org.organizationalUnits)),
  };
};

export const isRestrictedCategory = (settings: GovernanceSettings, category: string | undefined): boolean =>
  category !== undefined && settings.moratorium.restrictedCategories.includes(category);

/**
 * Why a restricted caller is barred at `at` under the configured moratorium: inside `[start, end)`,
 * and with `afterWindow: "deny"` at any time from `start` on. Undefined when the normal rules apply.
 * (The Cedar policies say the same for decisions; this serves the checks outside Cedar.)
 *
 * @example
 * restrictionAt(settings, new Date('2027-07-01T00:00:00Z')) // 'MORATORIUM_IN_FORCE' for the example config
 */
export const restrictionAt = (
  settings: GovernanceSettings,
  at: Date,
): 'MORATORIUM_IN_FORCE' | 'RESTRICTED_AFTER_MORATORIUM' | undefined => {
  const phase = phaseAt({ start: new Date(settings.moratorium.start), end: new Date(settings.moratorium.end) }, at);
  if (phase === 'in-force') return 'MORATORIUM_IN_FORCE';
  if (phase === 'after' && settings.moratorium.afterWindow === 'deny') return 'RESTRICTED_AFTER_MORATORIUM';
  return undefined;
};
