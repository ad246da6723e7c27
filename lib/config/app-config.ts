/**
 * The deployment configuration: governance settings (moratorium + registry) plus the
 * infrastructure choices. Loaded once by `bin/app.ts`, validated with messages that say how to
 * fix each problem, and handed to the stack as a typed object.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULTS } from '../../lambda/shared/contracts';
import {
  COLLECTION_OPERATIONS,
  checkGovernance,
  formatIssues,
  type GovernanceSettings,
  governanceShape,
  parseGovernance,
  plainMessages,
  SettingsValidationError,
} from '../../lambda/shared/settings';
import { type JsonSchemaNode, unknownKeys } from './unknown-keys';

/**
 * Default cap on concurrent recognition invocations from the intake queue. Rekognition's default
 * quota for the image operations the pipeline calls (DetectFaces, SearchFacesByImage,
 * IndexFaces) is 5 transactions per second per account in most Regions and 50 in us-east-1
 * (see "Amazon Rekognition endpoints and quotas" in the AWS General Reference,
 * https://docs.aws.amazon.com/general/latest/gr/rekognition.html, and the Service Quotas console
 * for your Region). 5 keeps a burst of uploads from scaling the worker straight into throttling.
 */
export const DEFAULT_RECOGNITION_MAX_CONCURRENCY = DEFAULTS.recognitionMaxConcurrency;

const RECOGNITION_MAX_CONCURRENCY_MESSAGE =
  'recognitionMaxConcurrency must be a whole number from 2 to 1000 (the SQS event source limit); keep it near your Rekognition TPS quota (default 5: 5 TPS in most Regions, 50 in us-east-1)';

const EVIDENCE_PERIOD_MESSAGE =
  'evidence.periodMinutes must be a whole number of minutes from 5 to 1440 (one digest per period; default 60)';
const EVIDENCE_MARGIN_MESSAGE =
  'evidence.retentionMarginDays must be a whole number of days from 1 to 36500, counted after the moratorium end (default 365)';

/** Ledger digests (docs/evidence.md): how often one is signed, and how long they stay locked. */
const evidenceSchema = z.object({
  periodMinutes: z
    .number({ error: EVIDENCE_PERIOD_MESSAGE })
    .int(EVIDENCE_PERIOD_MESSAGE)
    .min(5, EVIDENCE_PERIOD_MESSAGE)
    .max(1440, EVIDENCE_PERIOD_MESSAGE)
    .default(60),
  retentionMarginDays: z
    .number({ error: EVIDENCE_MARGIN_MESSAGE })
    .int(EVIDENCE_MARGIN_MESSAGE)
    .min(1, EVIDENCE_MARGIN_MESSAGE)
    .max(36_500, EVIDENCE_MARGIN_MESSAGE)
    .default(365),
});

const BREAK_GLASS_MESSAGE =
  'guardrails.breakGlassPrincipalArn must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>): the one principal the moratorium guardrails exempt, and whose every use alarms';
const MANAGEMENT_ACCOUNT_MESSAGE =
  'guardrails.managementAccountId must be the 12-digit id of the Organizations management account (or a delegated administrator for Organizations policies)';

/**
 * Where the `GovernedRecognitionGuardrails` stack deploys and whom it exempts. It only exists when
 * a restricted organisation lists `accounts` or `organizationalUnits`.
 */
const guardrailsSchema = z.object({
  /**
   * The account that deploys the SCP and RCP: the Organizations management account or a delegated
   * administrator for policy management.
   * @default - the deployment account (`CDK_DEFAULT_ACCOUNT`)
   */
  managementAccountId: z
    .string()
    .regex(/^\d{12}$/, MANAGEMENT_ACCOUNT_MESSAGE)
    .optional(),
  /**
   * The account the pipeline stack runs in (the RCP's target). Set it when synthesizing with the
   * management account's credentials, whose account the CLI would otherwise take for the pipeline's.
   * @default - the deployment account (`CDK_DEFAULT_ACCOUNT`)
   */
  pipelineAccountId: z
    .string()
    .regex(/^\d{12}$/, 'guardrails.pipelineAccountId must be the 12-digit id of the account that runs the pipeline')
    .optional(),
  /**
   * A single role exempt from the SCP and RCP (break glass), e.g. for an incident that needs a
   * restricted account's Rekognition resources. Every call it makes in the enforcement account alarms.
   * @default - no exemption
   */
  breakGlassPrincipalArn: z
    .string({ error: BREAK_GLASS_MESSAGE })
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, BREAK_GLASS_MESSAGE)
    .optional(),
});

const infraSchema = z.object({
  quarantine: z
    .object({
      retentionDays: z.number().int().min(1, 'quarantine.retentionDays must be at least 1').max(3650).default(90),
    })
    .default({ retentionDays: 90 }),
  results: z
    .object({
      retentionDays: z.number().int().min(1).max(3650).optional(),
    })
    .default({}),
  alarmEmail: z.email('alarmEmail must be an email address (or leave it out)').optional(),
  removalPolicy: z.enum(['retain', 'destroy']).default('retain'),
  /** How often the enforcement sweep looks for restricted roles that are not yet disabled. */
  sweepIntervalMinutes: z.number().int().min(5).max(1440).default(60),
  /** Tag on IAM roles that marks them restricted even when they are not registered. */
  restrictedTag: z
    .object({
      key: z.string().min(1).default(DEFAULTS.restrictedTag.key),
      value: z.string().min(1).default(DEFAULTS.restrictedTag.value),
    })
    .default(DEFAULTS.restrictedTag),
  /** Principal tag whose value must equal the organisation id in the upload prefix. */
  orgPrincipalTag: z.string().min(1).default(DEFAULTS.orgPrincipalTag),
  /**
   * Maximum concurrent recognition invocations the intake queue's event source starts (SQS
   * `maxConcurrency`, 2-1000). Messages beyond it wait in the queue instead of being throttled by
   * Rekognition and dead-lettered after five receives. Raise it with your Rekognition quota.
   * @default 5 (`DEFAULT_RECOGNITION_MAX_CONCURRENCY`)
   */
  recognitionMaxConcurrency: z
    .number({ error: RECOGNITION_MAX_CONCURRENCY_MESSAGE })
    .int(RECOGNITION_MAX_CONCURRENCY_MESSAGE)
    .min(2, RECOGNITION_MAX_CONCURRENCY_MESSAGE)
    .max(1000, RECOGNITION_MAX_CONCURRENCY_MESSAGE)
    .default(DEFAULT_RECOGNITION_MAX_CONCURRENCY),
  evidence: evidenceSchema.default({ periodMinutes: 60, retentionMarginDays: 365 }),
  /**
   * Regions besides the stack's where a sensor stack forwards Rekognition calls to enforcement
   * (CloudTrail events reach EventBridge only in the region of the call). Without them a call in
   * another region is caught by the periodic sweep only.
   * @default [] (no sensors)
   */
  sensorRegions: z
    .array(
      z
        .string()
        .regex(
          /^[a-z]{2}(-gov)?-[a-z]+-\d$/,
          'each sensorRegions entry must be an AWS region code such as eu-central-1',
        ),
    )
    .default([]),
  /** The Organizations guardrails (used only when a restricted organisation lists accounts or OUs). */
  guardrails: guardrailsSchema.default({}),
});

/**
 * The whole configuration file: infrastructure choices and the governance settings, checked in
 * one pass so every problem is reported at once.
 */
export const appConfigSchema = z
  .object({
    /** The editor's JSON Schema reference (`./governance.schema.json`); ignored by the app. */
    $schema: z.string().optional(),
    ...infraSchema.shape,
    ...governanceShape,
  })
  .superRefine((value, ctx) => checkGovernance(value, ctx));

/** The parts of a generated JSON Schema node that {@link configJsonSchema} adjusts. */
interface SchemaNode {
  [key: string]: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  pattern?: string;
  description?: string;
}

/**
 * The JSON Schema of the configuration file, generated from {@link appConfigSchema} (input side:
 * keys with defaults are optional). Every object is closed (`additionalProperties: false`) so an
 * editor flags a misspelt key as the synth does. `npm run schema` writes it to
 * `config/governance.schema.json`.
 */
export const configJsonSchema = (): Record<string, unknown> => {
  const close = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(close);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node).map(([key, child]) => [key, close(child)] as const);
    const out = Object.fromEntries(entries) as Record<string, unknown>;
    if (out.type === 'object' && out.properties !== undefined && out.additionalProperties === undefined)
      out.additionalProperties = false;
    return out;
  };
  const generated = close(z.toJSONSchema(appConfigSchema, { io: 'input', unrepresentable: 'any' })) as SchemaNode;
  // What the refinements check and JSON Schema can still say: window instants on a whole second
  // (a fraction of zeros only), and a collectionId for organisations that search or index.
  const moratorium = generated.properties?.moratorium?.properties ?? {};
  for (const key of ['start', 'end']) {
    const node = moratorium[key];
    if (node?.pattern !== undefined) {
      node.pattern = node.pattern.replace('(?:\\.\\d+)?', '(?:\\.0+)?');
      node.description = 'ISO 8601 instant on a whole second, e.g. 2027-06-10T00:00:00Z';
    }
  }
  const organisation = generated.properties?.organisations?.items;
  if (organisation !== undefined) {
    organisation.if = {
      properties: { operations: { contains: { enum: [...COLLECTION_OPERATIONS] } } },
      required: ['operations'],
    };
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword on a plain schema object, never awaited
    organisation.then = { required: ['collectionId'] };
  }
  return {
    ...generated,
    title: 'governed-recognition deployment configuration',
    description: 'config/governance.json: the moratorium, the organisation registry and the infrastructure choices.',
  };
};

let cachedJsonSchema: JsonSchemaNode | undefined;

const unknownKeyLines = (input: unknown): { lines: string[]; explained: Set<string> } => {
  cachedJsonSchema ??= configJsonSchema() as JsonSchemaNode;
  const lines: string[] = [];
  const explained = new Set<string>();
  for (const found of unknownKeys(input, cachedJsonSchema)) {
    const where = [...found.path, found.key].join('.');
    const hint = found.suggestion !== undefined ? `; did you mean "${found.suggestion}"?` : '';
    lines.push(`  - ${where}: unknown key${hint}${found.suggestionMissing ? ' (it is required)' : ''}`);
    if (found.suggestionMissing && found.suggestion !== undefined)
      explained.add([...found.path, found.suggestion].join('.'));
  }
  return { lines, explained };
};

export type InfraConfig = z.output<typeof infraSchema>;

/** The validated configuration the stack is built from. */
export interface AppConfig extends InfraConfig {
  readonly governance: GovernanceSettings;
}

/**
 * Validate a configuration object (as parsed from JSON).
 *
 * @example
 * const config = parseAppConfig(JSON.parse(text), 'config/governance.json');
 */
export const parseAppConfig = (input: unknown, source = 'configuration'): AppConfig => {
  const result = appConfigSchema.safeParse(input, { error: plainMessages });
  const unknown = unknownKeyLines(input);
  // A required key reported missing because it was misspelt is one problem: the unknown key says both.
  const issues = result.success
    ? []
    : result.error.issues.filter((issue) => !unknown.explained.has(issue.path.map(String).join('.')));
  const lines = [...unknown.lines, ...(issues.length > 0 ? [formatIssues(issues, input)] : [])];
  if (!result.success || lines.length > 0) {
    throw new SettingsValidationError(`Invalid ${source}:\n${lines.join('\n')}`, {
      ...(result.success ? {} : { cause: result.error }),
    });
  }
  const { moratorium, organisations, $schema: _schema, ...infra } = result.data;
  const governance = parseGovernance({ moratorium, organisations }, source);
  return { ...infra, governance };
};

/** Line and column (1-based) of a character offset. */
const lineAndColumn = (text: string, offset: number): { line: number; column: number } => {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
};

/**
 * `JSON.parse` with the error's position as line and column ("at line 12, column 3"); V8 names
 * a character offset, or none at the end of the input.
 */
export const parseJsonText = (text: string, source: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = /position (\d+)/.exec(message)?.[1];
    const at = lineAndColumn(text, offset !== undefined ? Number(offset) : text.length);
    const reason = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new SettingsValidationError(
      `Configuration file ${source} is not valid JSON at line ${at.line}, column ${at.column}: ${reason}`,
      { cause: error },
    );
  }
};

/** Read and validate a JSON configuration file. */
export const loadAppConfig = (path: string): AppConfig => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SettingsValidationError(
      `Cannot read configuration file ${path}: set GOVREC_CONFIG or -c config=<path> to a readable JSON file`,
      { cause: error },
    );
  }
  return parseAppConfig(parseJsonText(text, path), path);
};
