/**
 * The decision: validate the request, resolve the caller, evaluate the Cedar policies at the
 * request's instant, and say why. Pure of AWS wiring: every dependency is passed in.
 */
import { adHocDecisionId, decisionIdFor } from '../shared/audit';
import { REASONS, type Decision, type PolicyRequest, type ReasonCode, type ResolvedCaller } from '../shared/decision';
import { isInForce, type Clock } from '../shared/moratorium';
import type { GovernanceSettings } from '../shared/settings';
import type { PolicyEvaluator } from './cedar-engine';
import { toCedarRequest } from './cedar-request';
import type { CallerIdentity, CallerResolver } from './identity';
import { describeIssues, policyRequestSchema, salvageRequest } from './request';

export interface DecideDeps {
  readonly settings: GovernanceSettings;
  readonly engine: PolicyEvaluator;
  readonly identity: CallerResolver;
  /** The decision point's clock (`decidedAt`); the policy is evaluated at the request's `at`. */
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

/**
 * Decide one request. Never throws: a malformed request is INVALID_REQUEST, any error on the way
 * is POLICY_ERROR with the error in `detail`; both are denials.
 *
 * @example
 * const decision = await decide({ principalId: 'AWS:AROA...:s', orgId: 'thorn-like', operation: 'search',
 *   purpose: 'child-rescue', at: '2027-01-01T00:00:00Z' }, { settings, engine, identity, clock: systemClock });
 */
export const decide = async (raw: unknown, deps: DecideDeps): Promise<Decision> => {
  const { settings, engine, identity, clock } = deps;
  const decidedAt = clock.now().toISOString();
  const window = { start: new Date(settings.moratorium.start), end: new Date(settings.moratorium.end) };
  const moratoriumAt = (at: Date) => ({ start: settings.moratorium.start, end: settings.moratorium.end, inForce: isInForce(window, at) });

  const parsed = policyRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const request = salvageRequest(raw);
    const at = new Date(request.at);
    return {
      decisionId: request.object !== undefined ? decisionIdFor(request.object) : adHocDecisionId(),
      effect: 'DENY',
      reason: 'INVALID_REQUEST',
      policyIds: [],
      request,
      caller: { principalId: request.principalId, restricted: false },
      moratorium: moratoriumAt(Number.isNaN(at.getTime()) ? clock.now() : at),
      decidedAt,
      detail: describeIssues(parsed.error),
    };
  }

  const request: PolicyRequest = parsed.data;
  const at = new Date(request.at);
  const base = {
    decisionId: request.object !== undefined ? decisionIdFor(request.object) : adHocDecisionId(),
    request,
    moratorium: moratoriumAt(at),
    decidedAt,
  };
  let caller: ResolvedCaller = { principalId: request.principalId, restricted: false };
  try {
    const identityOfCaller = await identity.resolve(request.principalId);
    caller = callerRecord(identityOfCaller);
    const result = engine.evaluate(toCedarRequest(request, identityOfCaller, settings, at));
    const policyIds = result.determining;
    if (result.decision === 'allow') return { ...base, effect: 'ALLOW', reason: 'ALLOWED', policyIds, caller };
    const reasons = policyIds
      .flatMap((id) => {
        const policy = engine.policy(id);
        return policy !== undefined && policy.effect === 'forbid' ? [policy.reason] : [];
      })
      .sort((a, b) => priority(a) - priority(b));
    return { ...base, effect: 'DENY', reason: reasons[0] ?? 'NO_PERMIT', policyIds, caller };
  } catch (error) {
    const err = error as Error;
    return { ...base, effect: 'DENY', reason: 'POLICY_ERROR', policyIds: [], caller, detail: `${err.name}: ${err.message}` };
  }
};
