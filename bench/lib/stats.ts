/**
 * Summary statistics over repeated measurements. Nearest-rank percentiles: with few runs a p99
 * is simply the slowest run, which is honest, whereas interpolation would invent a value.
 */
import { BenchSanityError } from './errors';

/** What one measured series reduces to. */
export interface Summary {
  readonly median: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

/** The nearest-rank percentile `p` (0-100] of `values` (need not be sorted). */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) throw new BenchSanityError('percentile of an empty series');
  if (!(p > 0 && p <= 100)) throw new BenchSanityError(`percentile ${p} is outside (0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
};

/** The median (mean of the two middle values for an even count). */
export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new BenchSanityError('median of an empty series');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Median, p99, min, max and count; every value must be a finite number. */
export const summarise = (values: readonly number[]): Summary => {
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new BenchSanityError(`a measurement is not a finite number: ${bad}`);
  return {
    median: median(values),
    p99: percentile(values, 99),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
  };
};

/** Round for display and JSON: 3 significant digits below 100, integers above. */
export const round = (value: number): number =>
  Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
