/**
 * The moratorium, checked again at the instant Rekognition would be called. The policy Lambda
 * judges the upload's event time, but an upload can wait in the queue (backlog, retries, a DLQ
 * redrive) and a stored ALLOW can be replayed later: what must never happen is a restricted
 * caller's *call* inside the window, so the handler's own clock has the last word.
 */
import type { Decision, ReasonCode } from '../shared/decision';
import { type GovernanceSettings, isRestrictedCategory, type Organisation, restrictionAt } from '../shared/settings';
import { StaleJudgementError } from './errors';

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

/**
 * How old the policy's judgement of the caller may be when Rekognition is called. The worker asks
 * the policy function afresh on every delivery (never only the stored decision), and the decision
 * point reads the restricted tag from IAM on every decision that a restriction could change (see
 * lambda/decision/identity.ts), so a role tagged restricted is refused from its next decision on.
 * This bound covers the rest: the seconds between that answer and the call (throttling back-offs).
 */
export const MAX_JUDGEMENT_AGE_MS = 30_000;

/** The caller as the policy function judged it on this delivery, and when it was asked. */
export interface CallerJudgement {
  readonly caller: Decision['caller'];
  readonly askedAt: Date;
}

const phaseOf = (settings: GovernanceSettings, at: Date): string => restrictionAt(settings, at) ?? 'open';

/**
 * The guard asked before every Rekognition attempt. It bars a caller restricted by any sign (the
 * stored decision, this delivery's fresh judgement, the organisation's category) when the moratorium
 * bars it now, and throws {@link StaleJudgementError} when the fresh judgement is older than
 * {@link MAX_JUDGEMENT_AGE_MS} or was made on the other side of a window boundary, so the message
 * is retried and the policy asked again rather than trusting an old answer.
 *
 * @example
 * const guard = callGuardFor(stored, { caller: answer.caller, askedAt }, organisation, settings, deps.clock);
 * await deps.rekognition.recognise(allowed, guard);
 */
export const callGuardFor =
  (
    decision: Decision,
    judgement: CallerJudgement,
    organisation: Organisation | undefined,
    settings: GovernanceSettings,
    clock: { now(): Date },
  ): (() => MoratoriumBar | undefined) =>
  () => {
    const now = clock.now();
    const restricted =
      isRestrictedCaller(decision, organisation, settings) ||
      isRestrictedCaller({ ...decision, caller: judgement.caller }, organisation, settings);
    if (restricted) {
      if (Number.isNaN(now.getTime())) return 'MORATORIUM_IN_FORCE';
      const bar = restrictionAt(settings, now);
      if (bar !== undefined) return bar;
    }
    const age = now.getTime() - judgement.askedAt.getTime();
    if (!(age <= MAX_JUDGEMENT_AGE_MS) || phaseOf(settings, now) !== phaseOf(settings, judgement.askedAt))
      throw new StaleJudgementError(
        `the caller was judged at ${judgement.askedAt.toISOString()}, too long before ${now.toISOString()} or across a moratorium boundary`,
      );
    return undefined;
  };
