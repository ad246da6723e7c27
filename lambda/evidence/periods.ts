/**
 * Digest periods: a grid of `periodMinutes` aligned to the Unix epoch (hourly by default), cut
 * again at each moratorium boundary, so one digest ends exactly when the window starts and one
 * exactly when it ends.
 */
import type { Period } from './types';

export interface PeriodGrid {
  readonly periodMinutes: number;
  /** Instants (ISO 8601) where a period is cut short: the moratorium start and end. */
  readonly boundaries: readonly string[];
}

const toIso = (ms: number): string => new Date(ms).toISOString();

/**
 * The period that contains `at`.
 *
 * @example
 * periodContaining({ periodMinutes: 60, boundaries: ['2027-07-01T00:30:00.000Z'] }, new Date('2027-07-01T00:10:00Z'))
 * // { start: '2027-07-01T00:00:00.000Z', end: '2027-07-01T00:30:00.000Z' }
 */
export const periodContaining = (grid: PeriodGrid, at: Date): Period => {
  const size = grid.periodMinutes * 60_000;
  const t = at.getTime();
  let start = Math.floor(t / size) * size;
  let end = start + size;
  for (const boundary of grid.boundaries) {
    const b = Date.parse(boundary);
    if (b > start && b <= t) start = b;
    if (b > t && b < end) end = b;
  }
  return { start: toIso(start), end: toIso(end) };
};

/** The period right after `period`. */
export const nextPeriod = (grid: PeriodGrid, period: Period): Period => periodContaining(grid, new Date(period.end));

/** The periods from the one containing `from` up to the last one that ends at or before `until`. */
export const periodsBetween = (grid: PeriodGrid, from: Date, until: Date, limit = 10_000): Period[] => {
  const periods: Period[] = [];
  let period = periodContaining(grid, from);
  while (Date.parse(period.end) <= until.getTime() && periods.length < limit) {
    periods.push(period);
    period = nextPeriod(grid, period);
  }
  return periods;
};
