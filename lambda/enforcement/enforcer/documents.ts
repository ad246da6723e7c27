/**
 * The exact IAM documents and tags enforcement writes, and how a role's current state is
 * compared with them. With `afterWindow: "normal-rules"` the deny carries its own expiry
 * (`aws:CurrentTime` before the end), so the ban lapses at the configured end even if the restore
 * never runs. With `afterWindow: "deny"` (an indefinite moratorium) it has no condition: IAM
 * keeps the role out after the end too, as the policy decision point and the restore do.
 */
import { DENY_POLICY_NAME, REVOKE_POLICY_NAME, STATUS_TAG, UNTIL_TAG } from '../../shared/contracts';
import type { GovernanceSettings } from '../../shared/settings';
import type { IamTag } from './types';

export { DENY_POLICY_NAME, REVOKE_POLICY_NAME, STATUS_TAG, UNTIL_TAG };

/** An IAM policy document, as far as enforcement needs to know it. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

/**
 * What a police role could use, under `recognition-and-intake`, to reach Rekognition through
 * another principal or to undo its own deny: every IAM write on any resource (create or change a
 * role, user, policy or access key; PassRole, so no new Lambda, state machine, schedule or stack
 * can run as a role that may call Rekognition, the enforcer's included), assuming any role (role
 * chaining) or federating, and rewriting the code or definition of an existing function or
 * state machine, which runs as its own role without a PassRole.
 */
export const ESCALATION_ACTIONS: readonly string[] = [
  'iam:Add*',
  'iam:Attach*',
  'iam:Change*',
  'iam:Create*',
  'iam:Deactivate*',
  'iam:Delete*',
  'iam:Detach*',
  'iam:Enable*',
  'iam:PassRole',
  'iam:Put*',
  'iam:Remove*',
  'iam:Reset*',
  'iam:Resync*',
  'iam:Set*',
  'iam:Tag*',
  'iam:Untag*',
  'iam:Update*',
  'iam:Upload*',
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:GetFederationToken',
  'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration',
  'states:UpdateStateMachine',
];

/**
 * The deny policy for a role, given the settings in force. Each statement carries
 * `DateLessThan aws:CurrentTime <end>` with `afterWindow: "normal-rules"` and no condition at all
 * with `afterWindow: "deny"`.
 *
 * @example
 * denyPolicyFor(settings, 'arn:aws:iam::111111111111:role/p', 'arn:aws:s3:::intake')
 * // { Version: '2012-10-17', Statement: [{ Sid: 'GovrecMoratoriumDenyAll', Effect: 'Deny', Action: '*', Resource: '*', Condition: ... }] }
 */
export const denyPolicyFor = (
  settings: GovernanceSettings,
  roleArn: string,
  intakeBucketArn: string,
): PolicyDocument => {
  // An indefinite ban must not lapse in IAM while the settings still say deny: no expiry at all.
  const expiry =
    settings.moratorium.afterWindow === 'deny'
      ? {}
      : { Condition: { DateLessThan: { 'aws:CurrentTime': settings.moratorium.end } } };
  if (settings.moratorium.enforcementScope === 'all-actions') {
    return {
      Version: '2012-10-17',
      Statement: [{ Sid: 'GovrecMoratoriumDenyAll', Effect: 'Deny', Action: '*', Resource: '*', ...expiry }],
    };
  }
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'GovrecMoratoriumDenyRecognition', Effect: 'Deny', Action: 'rekognition:*', Resource: '*', ...expiry },
      {
        Sid: 'GovrecMoratoriumDenyIntake',
        Effect: 'Deny',
        Action: 's3:PutObject',
        Resource: `${intakeBucketArn}/*`,
        ...expiry,
      },
      // Without this the role could delete its own deny; with all-actions the first statement covers it.
      { Sid: 'GovrecMoratoriumDenySelfEdit', Effect: 'Deny', Action: 'iam:*', Resource: roleArn, ...expiry },
      // Without this it could reach Rekognition as another principal, or have one lift its deny.
      {
        Sid: 'GovrecMoratoriumDenyEscalation',
        Effect: 'Deny',
        Action: [...ESCALATION_ACTIONS],
        Resource: '*',
        ...expiry,
      },
    ],
  };
};

/** Deny everything to sessions whose credentials were issued before `issuedBefore`. */
export const revokePolicyFor = (issuedBefore: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'GovrecRevokeOlderSessions',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:TokenIssueTime': issuedBefore } },
    },
  ],
});

/** The tags a disabled role carries; `until` is the end, or `indefinite` (see `disabledUntil`). */
export const disabledTags = (until: string): IamTag[] => [
  { Key: UNTIL_TAG, Value: until },
  { Key: STATUS_TAG, Value: 'disabled' },
];

/**
 * Parse a document as IAM returns it (GetRolePolicy answers URL-encoded JSON). Returns
 * `undefined` when it is not JSON, which the caller treats as "altered".
 */
export const parsePolicyDocument = (raw: string): unknown => {
  for (const candidate of [raw, safeDecode(raw)]) {
    if (candidate === undefined) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next form
    }
  }
  return undefined;
};

const safeDecode = (raw: string): string | undefined => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
};

/** Structural equality of JSON values, ignoring key order (IAM may reorder keys). */
export const sameJson = (a: unknown, b: unknown): boolean =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
};

/** Whether a document is a revoke-older-sessions deny (its instant may be any earlier enforcement). */
export const isRevokeDocument = (document: unknown): boolean => {
  const statements = (document as PolicyDocument | undefined)?.Statement;
  if (!Array.isArray(statements) || statements.length !== 1) return false;
  const issuedBefore = (statements[0] as { Condition?: { DateLessThan?: Record<string, unknown> } }).Condition
    ?.DateLessThan?.['aws:TokenIssueTime'];
  return typeof issuedBefore === 'string' && sameJson(document, revokePolicyFor(issuedBefore));
};
