/**
 * An EventBridge event-pattern matcher for tests, implementing exactly the operators the
 * enforcement rules use, with EventBridge's semantics (aws/event-ruler, the library EventBridge
 * runs; see test/README.md for how each rule was checked):
 *
 * - a leaf is an array of alternatives; an array-valued event field matches if any element does;
 * - a literal matches by exact, case-sensitive equality;
 * - `prefix` is case-sensitive and applies to strings only;
 * - `anything-but` (a value or a list of values) never matches a missing field;
 * - `equals-ignore-case` compares strings case-insensitively;
 * - `exists: true|false` is the only operator that looks at presence;
 * - `$or` lists sub-patterns of which one must match, and every sibling key must match as well;
 * - below a missing or non-object field every leaf is missing (only `exists: false` matches there),
 *   and an object where a leaf is expected counts as missing (`exists` works on leaves only);
 * - an array of objects is crushed out: a nested pattern matches if one element matches it whole.
 *
 * Any other operator throws, so a rule that starts using one cannot pass by accident.
 */

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const OPERATORS = new Set(['prefix', 'anything-but', 'equals-ignore-case', 'exists']);

const matchesOne = (matcher: Json, value: Json): boolean => {
  if (!isObject(matcher)) return matcher === value;
  const [operator, ...rest] = Object.keys(matcher);
  if (operator === undefined || rest.length > 0 || !OPERATORS.has(operator)) {
    throw new Error(`event-pattern helper: unsupported matcher ${JSON.stringify(matcher)}`);
  }
  const argument = matcher[operator];
  switch (operator) {
    case 'prefix':
      if (typeof argument !== 'string') throw new Error('event-pattern helper: only string prefixes are supported');
      return typeof value === 'string' && value.startsWith(argument);
    case 'equals-ignore-case':
      return (
        typeof value === 'string' && typeof argument === 'string' && value.toLowerCase() === argument.toLowerCase()
      );
    case 'anything-but': {
      const excluded = Array.isArray(argument) ? argument : [argument];
      if (excluded.some(isObject)) throw new Error('event-pattern helper: nested anything-but is not supported');
      return !excluded.includes(value);
    }
    default:
      throw new Error(`event-pattern helper: ${operator} must be handled by the caller`);
  }
};

const isExists = (matcher: Json): matcher is { exists: boolean } =>
  isObject(matcher) && Object.keys(matcher).length === 1 && typeof matcher.exists === 'boolean';

const matchesLeaf = (alternatives: Json[], present: boolean, value: Json): boolean =>
  alternatives.some((matcher) => {
    if (isExists(matcher)) return matcher.exists === present;
    if (!present) return false;
    const values = Array.isArray(value) ? value : [value];
    return values.some((item) => matchesOne(matcher, item));
  });

/**
 * Whether `event` matches `pattern` as EventBridge would decide it.
 *
 * @example
 * matchesEventPattern({ detail: { eventName: ['AssumeRole'] } }, event) // true for an AssumeRole event
 */
export const matchesEventPattern = (pattern: Json, event: Json): boolean => {
  if (!isObject(pattern)) throw new Error('event-pattern helper: a pattern must be an object');
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      if (!Array.isArray(expected)) throw new Error('event-pattern helper: $or takes an array');
      return expected.some((branch) => matchesEventPattern(branch, event));
    }
    const value = isObject(event) && Object.hasOwn(event, key) ? event[key] : undefined;
    // Only leaves count as present: an object where the pattern expects a leaf is "missing".
    if (Array.isArray(expected)) return matchesLeaf(expected, value !== undefined && !isObject(value), value);
    if (isObject(expected)) {
      // Arrays of objects are crushed out, each element matched on its own (rulesForJSONEvent);
      // a missing or non-object parent leaves every leaf below it missing.
      const candidates = Array.isArray(value) ? value.filter(isObject) : [isObject(value) ? value : {}];
      return candidates.some((candidate) => matchesEventPattern(expected, candidate));
    }
    throw new Error(`event-pattern helper: ${key} must be an array or an object`);
  });
};
