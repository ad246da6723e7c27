import { BenchSanityError } from '../../../bench/lib/errors';
import { median, percentile, round, summarise } from '../../../bench/lib/stats';

describe('percentile', () => {
  it.each([
    [[5, 1, 3, 2, 4], 50, 3],
    [[5, 1, 3, 2, 4], 99, 5],
    [[5, 1, 3, 2, 4], 20, 1],
    [[5, 1, 3, 2, 4], 100, 5],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
    [[7], 99, 7],
  ])('takes the nearest rank of %j at p%d: %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it.each([0, -1, 101])('refuses p = %d', (p) => {
    expect(() => percentile([1, 2], p)).toThrow(BenchSanityError);
  });

  it('refuses an empty series', () => {
    expect(() => percentile([], 50)).toThrow('percentile of an empty series');
  });
});

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10], 10],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('summarise', () => {
  it('reports median, p99, min, max and the run count', () => {
    expect(summarise([4, 2, 8, 6])).toEqual({ median: 5, p99: 8, min: 2, max: 8, runs: 4 });
  });

  it.each([NaN, Infinity, -Infinity])('fails on a measurement of %d instead of reporting it', (bad) => {
    expect(() => summarise([1, bad, 3])).toThrow(BenchSanityError);
  });
});

describe('round', () => {
  it.each([
    [0.000123456, 0.000123],
    [12.3456, 12.3],
    [99.95, 100],
    [123.6, 124],
    [4_320_000.4, 4_320_000],
  ])('rounds %d to %d', (value, expected) => {
    expect(round(value)).toBe(expected);
  });
});
