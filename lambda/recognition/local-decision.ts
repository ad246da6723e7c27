/**
 * Denials this Lambda decides itself, without the policy Lambda: inputs Rekognition could not
 * take (INVALID_IMAGE, INVALID_REQUEST), a policy answer that cannot be trusted (POLICY_ERROR), a
 * policy or service still unavailable on the final receive (POLICY_UNAVAILABLE, SERVICE_UNAVAILABLE)
 * and an object version gone before it was read (OBJECT_GONE). They are written to the same ledger with the same deterministic id, so every
 * upload has a decision record whoever made it.
 */
import { decisionIdFor } from '../shared/audit';
import type { Decision, ObjectRef, ReasonCode } from '../shared/decision';
import { type Clock, isInForce } from '../shared/moratorium';
import type { GovernanceSettings, OperationName } from '../shared/settings';

/** The denials the worker may decide itself. */
export type LocalDenialReason = Extract<
  ReasonCode,
  'INVALID_IMAGE' | 'INVALID_REQUEST' | 'POLICY_ERROR' | 'POLICY_UNAVAILABLE' | 'OBJECT_GONE' | 'SERVICE_UNAVAILABLE'
>;

export interface LocalDenialInput {
  readonly object: ObjectRef;
  readonly principalId: string;
  /** The organisation named by the key, or `_unknown` when the key names none. */
  readonly orgId: string;
  /**
   * The operation segment of the key. For an INVALID_REQUEST it may be whatever the key held
   * (or empty): the record says what was asked, not what is valid.
   */
  readonly operation: OperationName | string;
  readonly purpose: string;
  /** The event time of the upload. */
  readonly at: string;
  readonly reason: LocalDenialReason;
  readonly detail: string;
}

/** Build a DENY decision made by the recognition handler itself. */
export const localDenial = (input: LocalDenialInput, settings: GovernanceSettings, clock: Clock): Decision => {
  const window = { start: new Date(settings.moratorium.start), end: new Date(settings.moratorium.end) };
  const at = new Date(input.at);
  return {
    decisionId: decisionIdFor(input.object),
    effect: 'DENY',
    reason: input.reason,
    policyIds: [],
    request: {
      principalId: input.principalId,
      orgId: input.orgId,
      operation: input.operation as OperationName,
      purpose: input.purpose,
      at: input.at,
      object: input.object,
    },
    // The caller was not resolved: only the policy Lambda does that.
    caller: { principalId: input.principalId, restricted: false },
    moratorium: {
      start: settings.moratorium.start,
      end: settings.moratorium.end,
      inForce: !Number.isNaN(at.getTime()) && isInForce(window, at),
    },
    decidedAt: clock.now().toISOString(),
    detail: `recognition handler: ${input.detail}`,
  };
};
