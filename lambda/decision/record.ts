/**
 * Deciding and recording, as the handler does it: the decision is only given out once it is in
 * the audit ledger. A retried request gets the decision already stored for its object.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AuditLedger } from '../shared/audit';
import type { Decision } from '../shared/decision';
import { type DecideDeps, decide } from './decide';
import { DecisionNotRecordedError, PolicyDecisionError } from './errors';
import { POLICY_METRICS } from './metric-names';

export interface DecideAndRecordDeps extends DecideDeps {
  readonly ledger: Pick<AuditLedger, 'recordDecision'>;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Monotonic-enough milliseconds for latency. @default performance.now */
  readonly elapsedMs?: () => number;
}

/**
 * True for the decision that must never happen: an ALLOW for a restricted caller while the
 * moratorium is in force.
 */
export const isRestrictedAllowInWindow = (decision: Decision): boolean =>
  decision.effect === 'ALLOW' && decision.caller.restricted && decision.moratorium.inForce;

/**
 * Emit `Decisions` (Count) and `DecisionLatency` (ms) by Effect, Reason and Category together,
 * and `Decisions` by each dimension alone so a dashboard can chart, say, all denials by reason
 * without summing categories. The single-dimension views go out as their own EMF records:
 * overlapping dimension sets in one record make Powertools warn on every publish.
 *
 * `DecisionLatency` also goes out with no dimension of its own (for p50/p99 over all decisions), and
 * `RestrictedAllowedInWindow` goes out on every decision with no dimension of its own (0, or 1
 * for the impossible case) so the critical alarm watches one fixed metric and the dashboard
 * shows a real zero rather than "no data"; the decision id rides along as EMF metadata so the
 * log line leads straight to the audit record.
 */
export const emitDecisionMetrics = (metrics: Metrics, decision: Decision, latencyMs: number): void => {
  const dimensions = {
    Effect: decision.effect,
    Reason: decision.reason,
    Category: decision.caller.category ?? 'unknown',
  };
  metrics.addDimensions(dimensions);
  metrics.addMetric(POLICY_METRICS.decisions, MetricUnit.Count, 1);
  metrics.addMetric(POLICY_METRICS.decisionLatency, MetricUnit.Milliseconds, latencyMs);
  for (const [name, value] of Object.entries(dimensions)) {
    const single = metrics.singleMetric();
    single.addDimension(name, value);
    single.addMetric(POLICY_METRICS.decisions, MetricUnit.Count, 1);
  }
  // Percentiles do not add up across dimension sets, so the latency also goes out undimensioned.
  metrics.singleMetric().addMetric(POLICY_METRICS.decisionLatency, MetricUnit.Milliseconds, latencyMs);
  const breach = metrics.singleMetric();
  const breached = isRestrictedAllowInWindow(decision);
  if (breached) breach.addMetadata('decisionId', decision.decisionId);
  breach.addMetric(POLICY_METRICS.restrictedAllowedInWindow, MetricUnit.Count, breached ? 1 : 0);
};

/**
 * Decide `request`, record it, emit metrics, and return the decision of record. Throws
 * {@link DecisionNotRecordedError} (carrying a DENY) when the ledger write fails: an
 * unrecorded decision is never acted on.
 */
export const decideAndRecord = async (request: unknown, deps: DecideAndRecordDeps): Promise<Decision> => {
  const elapsed = deps.elapsedMs ?? (() => performance.now());
  const started = elapsed();
  const decision = await decide(request, deps);
  deps.logger.appendKeys({ decisionId: decision.decisionId });
  let stored: Decision;
  try {
    // An upload's POLICY_ERROR is a failure on our side (IAM throttled, Cedar refused the request),
    // not an answer: recorded, it would be the upload's decision for good. Thrown instead, it
    // reaches the worker as a function error and the upload is retried.
    if (decision.reason === 'POLICY_ERROR' && decision.request.object !== undefined)
      throw new PolicyDecisionError(decision.detail ?? 'the decision failed');
    const result = await deps.ledger.recordDecision(decision);
    stored = result.decision;
    if (!result.created && stored.effect === 'ALLOW' && decision.effect === 'DENY') {
      // A stored ALLOW is never reused against a denial now (e.g. decided before the moratorium
      // started, or before the role was tagged restricted): the fresh denial is returned, and the
      // worker records that it supersedes the ALLOW.
      deps.logger.warn('A fresh denial supersedes the ALLOW recorded for this object', {
        decisionId: stored.decisionId,
        storedDecidedAt: stored.decidedAt,
        reason: decision.reason,
      });
      stored = { ...decision, detail: `supersedes the ALLOW decided at ${stored.decidedAt}` };
    } else if (!result.created)
      deps.logger.info('Decision already recorded for this object; returning the stored one', {
        decisionId: stored.decisionId,
      });
  } catch (error) {
    const denial: Decision = {
      ...decision,
      effect: 'DENY',
      reason: 'POLICY_ERROR',
      policyIds: [],
      detail: `Decision could not be recorded: ${(error as Error).message}`,
    };
    deps.logger.error('Decision could not be recorded; failing closed', { error: error as Error, decision: denial });
    emitDecisionMetrics(deps.metrics, denial, elapsed() - started);
    throw new DecisionNotRecordedError(denial, { cause: error });
  }
  deps.logger.info('Decision', {
    effect: stored.effect,
    reason: stored.reason,
    policyIds: stored.policyIds,
    caller: stored.caller,
  });
  emitDecisionMetrics(deps.metrics, stored, elapsed() - started);
  return stored;
};
