/**
 * The contract between the recognition handler, the policy decision point and the audit table.
 */
import type { OperationName } from './settings';

/** Why a decision came out as it did. Stable strings: dashboards, alarms and queries key on them. */
export const REASONS = [
  'ALLOWED',
  'MORATORIUM_IN_FORCE',
  'RESTRICTED_AFTER_MORATORIUM',
  'UNKNOWN_PRINCIPAL',
  'ORG_MISMATCH',
  'OPERATION_NOT_REGISTERED',
  'PURPOSE_NOT_REGISTERED',
  'NO_PERMIT',
  'INVALID_REQUEST',
  'INVALID_IMAGE',
  'POLICY_TIMEOUT',
  'POLICY_ERROR',
  // Decided by the recognition worker, never by a policy: the policy function could not answer
  // by the final receive; the object version was gone before it was read; the upload was allowed
  // but a service stayed unavailable until the final receive (an OUTCOME reason only).
  'POLICY_UNAVAILABLE',
  'OBJECT_GONE',
  'SERVICE_UNAVAILABLE',
] as const;
export type ReasonCode = (typeof REASONS)[number];

export type Effect = 'ALLOW' | 'DENY';

/**
 * What a request field holds when the caller had nothing to put there (e.g. the purpose of an
 * upload under an unregistered prefix). The worker asks with it and the policy function records a
 * malformed request's missing fields with it, so both sides tell the same story.
 */
export const MISSING_FIELD = '(missing)';

/** The uploaded object a decision is about (absent for ad-hoc questions such as `govrec decide`). */
export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** What the recognition handler asks the policy decision point. */
export interface PolicyRequest {
  /** `userIdentity.principalId` from the S3 event, e.g. `AWS:AROA...:session-name`. */
  readonly principalId: string;
  /** Organisation named by the upload prefix `incoming/<orgId>/`. */
  readonly orgId: string;
  readonly operation: OperationName;
  readonly purpose: string;
  /** ISO instant the decision is about (the event time of the upload). */
  readonly at: string;
  readonly object?: ObjectRef;
}

/** The caller as the decision point resolved it. */
export interface ResolvedCaller {
  readonly principalId: string;
  readonly roleId?: string;
  readonly roleArn?: string;
  readonly orgId?: string;
  readonly category?: string;
  readonly restricted: boolean;
}

export interface Decision {
  readonly decisionId: string;
  readonly effect: Effect;
  readonly reason: ReasonCode;
  /** Ids (`@id`) of the Cedar policies that determined the result. */
  readonly policyIds: readonly string[];
  readonly request: PolicyRequest;
  readonly caller: ResolvedCaller;
  readonly moratorium: { readonly start: string; readonly end: string; readonly inForce: boolean };
  /** When the decision was made (the decision point's clock). */
  readonly decidedAt: string;
  /** Free text for humans, e.g. the error message behind POLICY_ERROR. */
  readonly detail?: string;
}
