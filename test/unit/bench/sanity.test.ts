import { BenchSanityError } from '../../../bench/lib/errors';
import { countBy, expectEqual, expectExactlyOnce, expectThat } from '../../../bench/lib/sanity';

describe('expectEqual', () => {
  it('passes on deep-equal values', () => {
    expect(() => expectEqual('outcomes', { RECOGNIZED: 40 }, { RECOGNIZED: 40 })).not.toThrow();
  });

  it('fails loudly naming what differs, so a broken pipeline produces no number', () => {
    expect(() =>
      expectEqual('governed: DECISION entries', { none: 3, 'ALLOW/ALLOWED': 37 }, { 'ALLOW/ALLOWED': 40 }),
    ).toThrow(
      new BenchSanityError(
        'governed: DECISION entries: expected {"ALLOW/ALLOWED":40}, got {"none":3,"ALLOW/ALLOWED":37}',
      ),
    );
  });
});

describe('expectThat', () => {
  it('throws a BenchSanityError with the detail when the condition is false', () => {
    expect(() => expectThat('deny policy put', false, 'role x')).toThrow(
      new BenchSanityError('deny policy put: role x'),
    );
  });

  it('passes when the condition holds', () => {
    expect(() => expectThat('deny policy put', true)).not.toThrow();
  });
});

describe('countBy', () => {
  it('counts items per key', () => {
    expect(countBy(['a', 'b', 'a', 'c', 'a'], (x) => x)).toEqual({ a: 3, b: 1, c: 1 });
  });
});

describe('expectExactlyOnce', () => {
  it('passes when every id is seen exactly once', () => {
    expect(() => expectExactlyOnce('results', ['d-1', 'd-2'], ['d-2', 'd-1'])).not.toThrow();
  });

  it.each([
    ['a missing id', ['d-1'], '1 missing, 0 repeated, 0 unexpected'],
    ['a repeated id', ['d-1', 'd-2', 'd-2'], '0 missing, 1 repeated, 0 unexpected'],
    ['an unexpected id', ['d-1', 'd-2', 'd-3'], '0 missing, 0 repeated, 1 unexpected'],
  ])('fails on %s', (_case, seen, message) => {
    expect(() => expectExactlyOnce('results', ['d-1', 'd-2'], seen)).toThrow(message);
  });
});
