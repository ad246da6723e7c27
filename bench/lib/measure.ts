/** Timing helpers on a monotonic clock, and the metric builders. */
import { performance } from 'node:perf_hooks';
import { type Summary, summarise } from './stats';
import type { Metric } from './types';

/** Milliseconds since an arbitrary origin (monotonic). */
export const nowMs = (): number => performance.now();

/** Time `fn` once, in milliseconds, returning its result too. */
export const timed = async <T>(fn: () => Promise<T> | T): Promise<{ ms: number; result: T }> => {
  const start = nowMs();
  const result = await fn();
  return { ms: nowMs() - start, result };
};

/** A measured metric from a series (values already in `unit`). */
export const measuredMetric = (name: string, unit: string, values: readonly number[], note?: string): Metric => {
  const summary: Summary = summarise(values);
  return { name, unit, kind: 'measured', ...summary, ...(note !== undefined ? { note } : {}) };
};

/** A single derived or estimated figure. */
export const figure = (
  name: string,
  unit: string,
  value: number,
  kind: 'derived' | 'estimate',
  note?: string,
  runs = 1,
): Metric => ({
  name,
  unit,
  kind,
  median: value,
  runs,
  ...(note !== undefined ? { note } : {}),
});
