/**
 * The canonical form of a ledger record and its content hash.
 *
 * A record is hashed in its DynamoDB form (the attribute-value map a stream record or a low-level
 * GetItem returns), so the writer, the digest process and an auditor's scan all hash the same
 * thing whatever SDK or language they use. The canonical form is the UTF-8 JSON text of:
 *
 * - the item's attributes except `contentHash` (the hash cannot cover itself), keys sorted by
 *   UTF-16 code unit (JavaScript's default string order), at every level of `M`;
 * - each value as a one-key object in its DynamoDB type: `S`, `N`, `B`, `BOOL`, `NULL`, `L`, `M`,
 *   `SS`, `NS`, `BS`;
 * - numbers (`N`, `NS`) as DynamoDB stores them: plain decimal, no exponent, no leading or trailing
 *   zeros, no `+`, `-0` as `0` (`"1.50"` and `"15e-1"` both become `"1.5"`);
 * - binaries (`B`, `BS`) as standard base64;
 * - sets (`SS`, `NS`, `BS`) sorted and de-duplicated (DynamoDB keeps no order in a set);
 * - `JSON.stringify` escaping, no whitespace.
 *
 * The content hash is `sha256:` followed by the lower-case hex SHA-256 of those bytes.
 */
import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { CanonicalFormError } from './errors';

/** The attribute that carries a record's own content hash; it is left out of the canonical form. */
export const CONTENT_HASH_ATTRIBUTE = 'contentHash';

/** An item as DynamoDB returns it, or as a stream record carries it (binaries as base64 there). */
export type LedgerItem = Record<string, AttributeValue | StreamAttributeValue>;

/** Attribute values as they arrive in a Lambda stream event: binaries are base64 strings. */
export type StreamAttributeValue = { readonly [type: string]: unknown };

type Canonical = { readonly [type: string]: unknown };

const PLAIN_NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A DynamoDB number in the form DynamoDB itself returns.
 *
 * @example
 * canonicalNumber('001.500') // '1.5'
 * canonicalNumber('-12e-3') // '-0.012'
 */
export const canonicalNumber = (text: string): string => {
  const match = PLAIN_NUMBER.exec(text.trim());
  if (match === null || (match[2] === '' && (match[3] ?? '') === ''))
    throw new CanonicalFormError(`"${text}" is not a DynamoDB number`);
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}`;
  // Position of the decimal point within `digits`, moved by the exponent.
  let point = whole.length + Number(exponent);
  const leading = digits.length - digits.replace(/^0+/, '').length;
  let significant = digits.slice(leading);
  point -= leading;
  significant = significant.replace(/0+$/, '');
  if (significant === '') return '0';
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${significant}`;
  else if (point >= significant.length) plain = `${significant}${'0'.repeat(point - significant.length)}`;
  else plain = `${significant.slice(0, point)}.${significant.slice(point)}`;
  return sign === '-' ? `-${plain}` : plain;
};

const base64 = (value: unknown, path: string): string => {
  if (typeof value === 'string') return Buffer.from(value, 'base64').toString('base64');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  throw new CanonicalFormError(`${path}: a binary must be bytes or base64 text`);
};

const sortedUnique = (values: readonly string[]): string[] => [...new Set(values)].sort();

const stringList = (value: unknown, path: string): string[] => {
  if (!Array.isArray(value)) throw new CanonicalFormError(`${path}: a set must be a list`);
  return value.map((entry, index) => {
    if (typeof entry !== 'string') throw new CanonicalFormError(`${path}[${index}]: expected a string`);
    return entry;
  });
};

const canonicalValue = (value: unknown, path: string): Canonical => {
  if (value === null || typeof value !== 'object') throw new CanonicalFormError(`${path}: not an attribute value`);
  const types = Object.entries(value).filter(([, inner]) => inner !== undefined);
  if (types.length !== 1)
    throw new CanonicalFormError(`${path}: an attribute value has exactly one type, found ${types.length}`);
  const [type, inner] = types[0] as [string, unknown];
  switch (type) {
    case 'S':
      if (typeof inner !== 'string') throw new CanonicalFormError(`${path}: S must be a string`);
      return { S: inner };
    case 'N':
      if (typeof inner !== 'string') throw new CanonicalFormError(`${path}: N must be a string`);
      return { N: canonicalNumber(inner) };
    case 'B':
      return { B: base64(inner, path) };
    case 'BOOL':
      if (typeof inner !== 'boolean') throw new CanonicalFormError(`${path}: BOOL must be a boolean`);
      return { BOOL: inner };
    case 'NULL':
      return { NULL: true };
    case 'L':
      if (!Array.isArray(inner)) throw new CanonicalFormError(`${path}: L must be a list`);
      return { L: inner.map((entry, index) => canonicalValue(entry, `${path}[${index}]`)) };
    case 'M':
      if (inner === null || typeof inner !== 'object') throw new CanonicalFormError(`${path}: M must be a map`);
      return { M: canonicalMap(inner as Record<string, unknown>, path) };
    case 'SS':
      return { SS: sortedUnique(stringList(inner, path)) };
    case 'NS':
      return { NS: sortedUnique(stringList(inner, path).map(canonicalNumber)) };
    case 'BS':
      if (!Array.isArray(inner)) throw new CanonicalFormError(`${path}: BS must be a list`);
      return { BS: sortedUnique(inner.map((entry) => base64(entry, path))) };
    default:
      throw new CanonicalFormError(`${path}: unknown attribute type ${type}`);
  }
};

const canonicalMap = (map: Record<string, unknown>, path: string): Record<string, Canonical> => {
  // A null-prototype object, so an attribute named `__proto__` is a key like any other.
  const result: Record<string, Canonical> = Object.create(null);
  for (const name of Object.keys(map).sort()) {
    if (map[name] === undefined) continue;
    result[name] = canonicalValue(map[name], path === '' ? name : `${path}.${name}`);
  }
  return result;
};

/**
 * JSON text with object keys in the documented order (UTF-16 code unit) at every level.
 * `JSON.stringify` alone would put integer-like keys ("9", "10") first, in numeric order.
 */
const stringifySorted = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(stringifySorted).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stringifySorted(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/**
 * The canonical text of a ledger item (see the module comment for the rules).
 *
 * @example
 * canonicalForm({ b: { N: '1.50' }, a: { S: 'x' }, contentHash: { S: 'sha256:…' } })
 * // '{"a":{"S":"x"},"b":{"N":"1.5"}}'
 */
export const canonicalForm = (item: LedgerItem): string => {
  const { [CONTENT_HASH_ATTRIBUTE]: _hash, ...rest } = item;
  return stringifySorted(canonicalMap(rest, ''));
};

/** SHA-256 of UTF-8 text, as `sha256:<hex>`. */
export const sha256 = (text: string | Uint8Array): string =>
  `sha256:${createHash('sha256').update(text).digest('hex')}`;

/**
 * The content hash of a ledger item: SHA-256 of its canonical form.
 *
 * @example
 * const item = { decisionId: { S: 'd-1' }, entry: { S: 'DECISION' } };
 * await ddb.send(new PutItemCommand({ TableName, Item: { ...item, contentHash: { S: contentHash(item) } } }));
 */
export const contentHash = (item: LedgerItem): string => sha256(canonicalForm(item));

/** The hash the item carries, when it carries one as a string. */
export const carriedHash = (item: LedgerItem): string | undefined => {
  const value = item[CONTENT_HASH_ATTRIBUTE] as { S?: unknown } | undefined;
  return typeof value?.S === 'string' ? value.S : undefined;
};
