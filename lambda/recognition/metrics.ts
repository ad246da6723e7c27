/**
 * The handler's metrics, behind an interface so the logic can be tested without Powertools.
 * Dimensioned metrics use `singleMetric()` so one upload's dimension never leaks onto another's.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { OutcomeKind } from '../shared/audit';
import type { Decision } from '../shared/decision';
import { RECOGNITION_METRICS as M } from './metric-names';
import type { RekognitionObserver } from './rekognition';

export interface RecognitionMetrics extends RekognitionObserver {
  /** One per upload: its outcome (or DUPLICATE when a re-delivery found one already recorded). */
  upload(outcome: OutcomeKind | 'DUPLICATE'): void;
  quarantined(): void;
  /** From the upload's event time to its recorded outcome. */
  endToEndLatency(ms: number): void;
  /**
   * One per DECISION this worker created in the ledger itself (its own denials). Optional so a
   * sink that does not chart decisions (a test tee) need not implement it.
   */
  decision?(decision: Decision): void;
}

/** Metrics through Powertools (EMF in the function's log). */
export const powertoolsMetrics = (metrics: Metrics): RecognitionMetrics => {
  const withDimension = (
    dimension: string,
    value: string,
    metric: string,
    amount: number,
    unit: (typeof MetricUnit)[keyof typeof MetricUnit],
  ): void => {
    const single = metrics.singleMetric();
    single.addDimension(dimension, value);
    single.addMetric(metric, unit, amount);
  };
  return {
    upload: (outcome) => withDimension('Outcome', outcome, M.uploads, 1, MetricUnit.Count),
    quarantined: () => metrics.addMetric(M.quarantined, MetricUnit.Count, 1),
    endToEndLatency: (ms) => metrics.addMetric(M.endToEndLatency, MetricUnit.Milliseconds, Math.max(0, ms)),
    decision: (decision) => {
      // The dimension sets of the policy Lambda's `Decisions` (lambda/decision/record.ts): all three
      // together, then each alone, each its own EMF record so no set leaks onto another metric.
      const dimensions = {
        Effect: decision.effect,
        Reason: decision.reason,
        Category: decision.caller.category ?? 'unknown',
      };
      const together = metrics.singleMetric();
      together.addDimensions(dimensions);
      together.addMetric(M.decisions, MetricUnit.Count, 1);
      for (const [name, value] of Object.entries(dimensions))
        withDimension(name, value, M.decisions, 1, MetricUnit.Count);
    },
    attempted: (operation) => withDimension('Operation', operation, M.rekognitionCalls, 1, MetricUnit.Count),
    failed: (operation) => withDimension('Operation', operation, M.rekognitionErrors, 1, MetricUnit.Count),
    throttled: (operation) => withDimension('Operation', operation, M.rekognitionThrottles, 1, MetricUnit.Count),
  };
};

/** Metrics that go nowhere (tests, tools). */
export const noMetrics: RecognitionMetrics = {
  upload: () => undefined,
  quarantined: () => undefined,
  endToEndLatency: () => undefined,
  decision: () => undefined,
  attempted: () => undefined,
  failed: () => undefined,
  throttled: () => undefined,
};
