/**
 * The shapes exchanged between the EnforceRole state machine and the enforcer Lambda. Every
 * field the state machine reads with a JSONPath is a string or boolean here, so a missing value
 * is caught by the Lambda (which throws) rather than by a half-written DynamoDB item.
 */
import type { Clock } from '../../shared/moratorium';
import type { GovernanceSettings } from '../../shared/settings';

/** The IAM tag that marks a role restricted even when it is not registered. */
export interface RestrictedTag {
  readonly key: string;
  readonly value: string;
}

/** What the pure decisions need; the handler wires the compiled-in values, tests pass their own. */
export interface EnforcerDeps {
  readonly settings: GovernanceSettings;
  /** The account this stack runs in: roles elsewhere cannot be changed from here. */
  readonly accountId: string;
  readonly restrictedTag: RestrictedTag;
  /** ARN of the intake bucket, for the `recognition-and-intake` scope. */
  readonly intakeBucketArn: string;
  readonly clock: Clock;
}

/** Where the event came from and what it was. */
export interface TriggerInfo {
  readonly source: 'cloudtrail' | 'sweep';
  readonly eventName: string;
  readonly eventId: string;
  /** When the event happened (CloudTrail `eventTime`, or the sweep's `at`). */
  readonly at: string;
  /** CloudTrail `errorCode` (e.g. `AccessDenied`) when the call failed; absent when it succeeded. */
  readonly errorCode?: string;
  /**
   * A Rekognition call or an intake upload that CloudTrail reports without `errorCode`: if the
   * role turns out restricted, the workflow counts `RestrictedCallSucceeded` (alarmed). Always
   * set (false for sweeps and IAM events) so the state machine's Choice never meets a missing path.
   */
  readonly callSucceeded: boolean;
  /**
   * Set on an `sts:AssumeRole*` call: the role the session chained into, the session it got
   * (`responseElements.assumedRoleUser.arn`) and the source identity it set, so the chained
   * session's own calls can be traced back to this record.
   */
  readonly roleChain?: {
    readonly assumedRoleArn: string;
    readonly assumedSessionArn?: string;
    readonly sourceIdentity?: string;
  };
  /** The calling session's `sts:SourceIdentity`, which no chained session can change. */
  readonly sourceIdentity?: string;
}

/** Actions written to the enforcement ledger. */
export type EnforcementAction =
  | 'DISABLED'
  | 'REAPPLIED'
  | 'NOOP'
  | 'NOT_RESTRICTED'
  | 'OUTSIDE_WINDOW'
  | 'NOT_IN_ACCOUNT'
  | 'ROLE_NOT_FOUND'
  | 'TAMPER_UNREMEDIED';

/** One enforcement record, all strings so the state machine can map it to DynamoDB `S` attributes. */
export interface EnforcementRecord {
  readonly pk: string;
  readonly sk: string;
  readonly roleArn: string;
  readonly category: string;
  readonly action: EnforcementAction;
  readonly triggerSource: string;
  readonly triggerEventName: string;
  readonly triggerEventId: string;
  readonly eventAt: string;
  readonly start: string;
  readonly until: string;
  readonly recordedAt: string;
  readonly detail: string;
}

/** The role an event is about. `roleName` is empty when the principal is not a role. */
export interface RoleSubject {
  readonly roleArn: string;
  readonly roleName: string;
  /** Organisation category when the role is registered, `unregistered` otherwise. */
  readonly registeredCategory: string;
  /**
   * The registered ARN when this role's name equals a registered one only ignoring case (the role
   * was re-created under another case); absent otherwise.
   */
  readonly caseVariantOf?: string;
  readonly trigger: TriggerInfo;
}

/** What the state machine keeps under `$.assessment` after each Lambda step. */
export interface Assessment {
  readonly subject: RoleSubject;
  /**
   * `CHECK`: go on reading the role's state; `RESOLVE`: read the role's real ARN first (an IAM
   * event named it without its path); `ALERT`: count and notify tampering this workflow cannot
   * undo, then record; `RECORD`: just record.
   */
  readonly next: 'CHECK' | 'RESOLVE' | 'RECORD' | 'ALERT';
  readonly record: EnforcementRecord;
  /** Set with `ALERT` (and on every `compare` result). */
  readonly notification?: { readonly subject: string; readonly message: string };
}

/** A tag as IAM's ListRoleTags returns it. */
export interface IamTag {
  readonly Key: string;
  readonly Value: string;
}

/** The result of reading one inline policy: the URL-encoded document, or `absent`. */
export interface InlinePolicyRead {
  readonly document?: string;
  readonly absent?: boolean;
}

/** The result of the ledger GetItem on the role's window record. */
export interface WindowRecordRead {
  readonly Item?: { readonly status?: { readonly S?: string } };
}

/** Output of `compare`: what to write, and the record and notification that go with it. */
export interface Comparison extends Assessment {
  readonly operation: 'DISABLE' | 'REAPPLY' | 'NOOP';
  readonly denyPolicyDocument: string;
  readonly revokePolicyDocument: string;
  readonly tags: readonly IamTag[];
  readonly tamperReasons: readonly string[];
  readonly notification: { readonly subject: string; readonly message: string };
}
