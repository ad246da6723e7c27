/**
 * Checks a benchmark runs on its own results before a number is reported. Each throws a
 * {@link BenchSanityError} that says what was expected and what was found.
 */
import { BenchSanityError } from './errors';

/** `actual` must equal `expected` exactly. */
export const expectEqual = <T>(what: string, actual: T, expected: T): void => {
  const same = JSON.stringify(actual) === JSON.stringify(expected);
  if (!same) throw new BenchSanityError(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
};

/** `condition` must hold. */
export const expectThat = (what: string, condition: boolean, detail = ''): void => {
  if (!condition) throw new BenchSanityError(`${what}${detail === '' ? '' : `: ${detail}`}`);
};

/** Count of each distinct value of `key` over `items`. */
export const countBy = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

/** Every id in `ids` must occur exactly once in `seen` (and nothing else). */
export const expectExactlyOnce = (what: string, ids: readonly string[], seen: readonly string[]): void => {
  const counts = countBy(seen, (id) => id);
  const missing = ids.filter((id) => counts[id] === undefined);
  const repeated = Object.entries(counts)
    .filter(([, n]) => n > 1)
    .map(([id]) => id);
  const extra = Object.keys(counts).filter((id) => !ids.includes(id));
  if (missing.length + repeated.length + extra.length > 0) {
    throw new BenchSanityError(
      `${what}: ${missing.length} missing, ${repeated.length} repeated, ${extra.length} unexpected (of ${ids.length}); first: ${[...missing, ...repeated, ...extra][0]}`,
    );
  }
};
