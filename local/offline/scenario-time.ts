/**
 * Whether the records of a run live in scenario time: the handlers read the simulated clock, so
 * every decision is taken at or after its upload's event time and within the time the local
 * pipeline needs, every outcome after its decision, and `EndToEndLatency` is that same small,
 * non-negative span. A handler still on the wall clock shows up here at once (a 2026 decision
 * about a 2027 upload).
 */
import type { MetricPoint, UploadRow } from '../report';

/** A decision later than this after its upload means the clock was not the step's. */
export const MAX_PROCESSING_MS = 60_000;

/** The check over one run. */
export interface ScenarioTimeCheck {
  readonly uploads: number;
  /** Decision ids whose `decidedAt` is before the upload, or more than {@link MAX_PROCESSING_MS} after it. */
  readonly decidedOutOfStep: readonly string[];
  /** Decision ids whose outcome was recorded before the decision. */
  readonly outcomeBeforeDecision: readonly string[];
  /** `decidedAt - at` over the uploads, in ms. */
  readonly decisionDelayMs?: { readonly min: number; readonly max: number };
  /** The recognition handler's `EndToEndLatency` data points, in ms. */
  readonly endToEndLatencyMs?: { readonly count: number; readonly min: number; readonly max: number };
  readonly ok: boolean;
  /** One line for the run's output. */
  readonly line: string;
}

const span = (values: readonly number[]): { min: number; max: number } | undefined =>
  values.length === 0 ? undefined : { min: Math.min(...values), max: Math.max(...values) };

/**
 * @example
 * const check = checkScenarioTime(report.report.uploads, session.capturedMetrics().points);
 * print(check.line);
 */
export const checkScenarioTime = (
  rows: readonly Pick<UploadRow, 'decisionId' | 'at' | 'decidedAt' | 'outcomeAt'>[],
  points: readonly MetricPoint[],
): ScenarioTimeCheck => {
  const delays = rows.map((row) => ({ id: row.decisionId, ms: Date.parse(row.decidedAt) - Date.parse(row.at) }));
  const decidedOutOfStep = delays.filter((d) => !(d.ms >= 0 && d.ms <= MAX_PROCESSING_MS)).map((d) => d.id);
  const outcomeBeforeDecision = rows
    .filter((row) => row.outcomeAt !== undefined && !(Date.parse(row.outcomeAt) >= Date.parse(row.decidedAt)))
    .map((row) => row.decisionId);
  const latencies = points.filter((point) => point.name === 'EndToEndLatency').map((point) => point.value);
  const decisionDelayMs = span(delays.map((d) => d.ms));
  const latency = span(latencies);
  const endToEndLatencyMs = latency === undefined ? undefined : { count: latencies.length, ...latency };
  const ok = decidedOutOfStep.length === 0 && outcomeBeforeDecision.length === 0;
  const range = (r: { min: number; max: number } | undefined): string =>
    r === undefined ? 'none' : `${r.min}-${r.max} ms`;
  const line =
    `Scenario time: ${rows.length - decidedOutOfStep.length} of ${rows.length} decisions at or after their upload (decidedAt - upload ${range(decisionDelayMs)})` +
    `, ${outcomeBeforeDecision.length === 0 ? 'every outcome after its decision' : `${outcomeBeforeDecision.length} outcome(s) BEFORE their decision`}` +
    `; EndToEndLatency ${endToEndLatencyMs === undefined ? 'not published' : `${endToEndLatencyMs.count} points, ${range(endToEndLatencyMs)}`}`;
  return {
    uploads: rows.length,
    decidedOutOfStep,
    outcomeBeforeDecision,
    ...(decisionDelayMs !== undefined ? { decisionDelayMs } : {}),
    ...(endToEndLatencyMs !== undefined ? { endToEndLatencyMs } : {}),
    ok,
    line,
  };
};
