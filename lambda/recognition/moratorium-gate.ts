/**
 * The moratorium, checked again at the instant Rekognition would be called. The policy Lambda
 * judges the upload's event time, but an upload can wait in the queue (backlog, retries, a DLQ
 * redrive) and a stored ALLOW can be replayed later: what must never happen is a restricted
 * caller's *call* inside the window, so the handler's own clock has the last word.
 */
import type { Decision, ReasonCode } from '../shared/decision';
import { type GovernanceSettings, isRestrictedCategory, type Organisation, restrictionAt } from '../shared/settings';

/** Why the call is barred now; a denial reason the policy Lambda would also give. */
export type MoratoriumBar = Extract<ReasonCode, 'MORATORIUM_IN_FORCE' | 'RESTRICTED_AFTER_MORATORIUM'>;

/**
 * Whether the caller behind `decision` counts as restricted. Any one sign is enough (fail
 * closed): the decision point's own verdict, the category it resolved, or the category of the
 * organisation the key names (IAM attests the prefix).
 */
export const isRestrictedCaller = (
  decision: Decision,
  organisation: Organisation | undefined,
  settings: GovernanceSettings,
): boolean =>
  decision.caller.restricted ||
  isRestrictedCategory(settings, decision.caller.category) ||
  isRestrictedCategory(settings, organisation?.category);

/**
 * The reason a restricted caller may not reach Rekognition at `now`, or undefined when it may.
 *
 * @example
 * const bar = moratoriumBarAt(stored, organisation, settings, deps.clock.now());
 * if (bar !== undefined) return quarantineUpload(deps, log, place, { ...stored, reason: bar }, 'QUARANTINED');
 */
export const moratoriumBarAt = (
  decision: Decision,
  organisation: Organisation | undefined,
  settings: GovernanceSettings,
  now: Date,
): MoratoriumBar | undefined => {
  if (!isRestrictedCaller(decision, organisation, settings)) return undefined;
  // A clock that cannot say where it stands cannot prove the window is over.
  if (Number.isNaN(now.getTime())) return 'MORATORIUM_IN_FORCE';
  return restrictionAt(settings, now);
};
