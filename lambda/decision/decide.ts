/**
 * The decision: validate the request, resolve the caller, evaluate the Cedar policies at the
 * upload's instant and at the decision instant, and say why. Pure of AWS wiring: every
 * dependency is passed in.
 *
 * Why two instants: the Rekognition call follows the decision, not the upload. An upload made
 * one millisecond before the moratorium and decided an hour into it would otherwise be allowed
 * and acted on inside the window. The other way round, an upload made during the moratorium
 * stays refused even if it is decided after the end: the request was made while use was
 * forbidden, and a queue backlog must not launder it. So a decision is an ALLOW only when the
 * policies allow it at both instants.
 */
import { adHocDecisionId, decisionIdFor } from '../shared/audit';
import { type Decision, type PolicyRequest, REASONS, type ReasonCode, type ResolvedCaller } from '../shared/decision';
import { type Clock, isInForce } from '../shared/moratorium';
import { type GovernanceSettings, restrictionAt } from '../shared/settings';
import type { CedarResult, PolicyEvaluator } from './cedar-engine';
import { toCedarRequest } from './cedar-request';
import type { CallerIdentity, CallerResolver } from './identity';
import { describeIssues, policyRequestSchema, salvageRequest } from './request';

export interface DecideDeps {
  readonly settings: GovernanceSettings;
  readonly engine: PolicyEvaluator;
  readonly identity: CallerResolver;
  /**
   * The decision point's clock. Its instant, read once per decision after the caller is resolved,
   * is `decidedAt`, and the policies are evaluated at it as well as at the request's `at`.
   */
  readonly clock: Clock;
}

/**
 * When several forbids determine a denial, the reason is the one earliest in this order
 * (the order of {@link REASONS}: the moratorium rules first), so the same facts always give the
 * same reason whatever order Cedar reports them in.
 */
const priority = (reason: ReasonCode): number => REASONS.indexOf(reason);

const callerRecord = (caller: CallerIdentity): ResolvedCaller => {
  const { role: _role, ...record } = caller;
  return record;
};

/** Forbid reasons of the policies that determined a denial, most important first. */
const reasonsOf = (engine: PolicyEvaluator, policyIds: readonly string[]): ReasonCode[] =>
  policyIds
    .flatMap((id) => {
      const policy = engine.policy(id);
      return policy !== undefined && policy.effect === 'forbid' ? [policy.reason] : [];
    })
    .sort((a, b) => priority(a) - priority(b));

/** One result for several evaluations: allow only if all allow; a denial names every determining policy. */
const combine = (results: readonly CedarResult[]): CedarResult => {
  const denials = results.filter((r) => r.decision === 'deny');
  if (denials.length === 0) return results[0] as CedarResult;
  return { decision: 'deny', determining: [...new Set(denials.flatMap((r) => r.determining))] };
};

/**
 * Decide one request. Never throws: a malformed request is INVALID_REQUEST, any error on the way
 * is POLICY_ERROR with the error in `detail`; both are denials. `request.at` stays the upload
 * time; `decidedAt` is the decision instant; `moratorium.inForce` is true when either is in the window.
 *
 * @example
 * const decision = await decide({ principalId: 'AWS:AROA...:s', orgId: 'thorn-like', operation: 'search',
 *   purpose: 'child-rescue', at: '2027-01-01T00:00:00Z' }, { settings, engine, identity, clock: systemClock });
 */
export const decide = async (raw: unknown, deps: DecideDeps): Promise<Decision> => {
  const { settings, engine, identity, clock } = deps;
  const window = { start: new Date(settings.moratorium.start), end: new Date(settings.moratorium.end) };
  const moratoriumAt = (...instants: Date[]) => ({
    start: settings.moratorium.start,
    end: settings.moratorium.end,
    inForce: instants.some((instant) => !Number.isNaN(instant.getTime()) && isInForce(window, instant)),
  });

  const parsed = policyRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const request = salvageRequest(raw);
    const decided = clock.now();
    return {
      decisionId: request.object !== undefined ? decisionIdFor(request.object) : adHocDecisionId(),
      effect: 'DENY',
      reason: 'INVALID_REQUEST',
      policyIds: [],
      request,
      caller: { principalId: request.principalId, restricted: false },
      moratorium: moratoriumAt(new Date(request.at), decided),
      decidedAt: decided.toISOString(),
      detail: describeIssues(parsed.error),
    };
  }

  const request: PolicyRequest = parsed.data;
  const at = new Date(request.at);
  const base = {
    decisionId: request.object !== undefined ? decisionIdFor(request.object) : adHocDecisionId(),
    request,
  };
  let caller: ResolvedCaller = { principalId: request.principalId, restricted: false };
  let decided: Date | undefined;
  try {
    // The restricted tag is read from IAM, not the cache, whenever a restriction can apply.
    const freshTags = restrictionAt(settings, at) !== undefined || restrictionAt(settings, clock.now()) !== undefined;
    const identityOfCaller = await identity.resolve(request.principalId, { freshTags });
    caller = callerRecord(identityOfCaller);
    // Read after the (possibly slow) identity load: the closest instant to the Rekognition call.
    decided = clock.now();
    const instants = decided.getTime() === at.getTime() ? [at] : [at, decided];
    const result = combine(
      instants.map((instant) => engine.evaluate(toCedarRequest(request, identityOfCaller, settings, instant))),
    );
    const timing = { moratorium: moratoriumAt(at, decided), decidedAt: decided.toISOString() };
    const policyIds = result.determining;
    if (result.decision === 'allow')
      return { ...base, ...timing, effect: 'ALLOW', reason: 'ALLOWED', policyIds, caller };
    return {
      ...base,
      ...timing,
      effect: 'DENY',
      reason: reasonsOf(engine, policyIds)[0] ?? 'NO_PERMIT',
      policyIds,
      caller,
    };
  } catch (error) {
    const err = error as Error;
    decided ??= clock.now();
    return {
      ...base,
      moratorium: moratoriumAt(at, decided),
      decidedAt: decided.toISOString(),
      effect: 'DENY',
      reason: 'POLICY_ERROR',
      policyIds: [],
      caller,
      detail: `${err.name}: ${err.message}`,
    };
  }
};
