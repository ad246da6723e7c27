/**
 * Object keys: decoding what S3 puts in event notifications and reading the intake layout
 * `incoming/<orgId>/<operation>/<name>`.
 */
import { OPERATIONS, type OperationName } from '../shared/settings';

/** Where uploads land; the SQS notification filter uses the same prefix. */
export const INTAKE_PREFIX = 'incoming/';

/**
 * Decode a key as it appears in an S3 event: URL-encoded, with `+` for a space and non-ASCII
 * characters as percent-encoded UTF-8. Returns undefined when the encoding is broken.
 *
 * @example
 * decodeEventKey('incoming/ngo/detect/caf%C3%A9+au+lait.jpg') // 'incoming/ngo/detect/café au lait.jpg'
 */
export const decodeEventKey = (raw: string): string | undefined => {
  try {
    // `+` must become a space before percent-decoding, or an encoded plus (%2B) would turn into a space too.
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
};

/** A key in the intake layout. */
export interface IntakeKey {
  readonly orgId: string;
  readonly operation: OperationName;
  /** Everything after `incoming/<orgId>/`, i.e. `<operation>/<name>`. */
  readonly rest: string;
  readonly name: string;
}

const ORG_SEGMENT = /^[a-z][a-z0-9-]{1,39}$/;

/** Parse `incoming/<orgId>/<operation>/<name>`; anything else is undefined (a rejected upload). */
export const parseIntakeKey = (key: string): IntakeKey | undefined => {
  if (!key.startsWith(INTAKE_PREFIX)) return undefined;
  const [orgId, operation, ...nameParts] = key.slice(INTAKE_PREFIX.length).split('/');
  const name = nameParts.join('/');
  if (orgId === undefined || !ORG_SEGMENT.test(orgId)) return undefined;
  if (operation === undefined || !Object.hasOwn(OPERATIONS, operation)) return undefined;
  if (name === '' || nameParts.some((part) => part === '' || part === '.' || part === '..')) return undefined;
  return { orgId, operation: operation as OperationName, rest: `${operation}/${name}`, name };
};

/**
 * The organisation segment of a key that did not parse, when it at least looks like one; else
 * `_unknown`. Used only to file rejected objects in quarantine.
 */
export const orgSegmentOrUnknown = (key: string): string => {
  const segment = key.startsWith(INTAKE_PREFIX) ? key.slice(INTAKE_PREFIX.length).split('/')[0] : undefined;
  return segment !== undefined && ORG_SEGMENT.test(segment) ? segment : '_unknown';
};

/** The part of a key that follows `incoming/<orgId>/` (or the whole key after `incoming/` when it has no org). */
export const restOfKey = (key: string): string => {
  const parsed = parseIntakeKey(key);
  if (parsed !== undefined) return parsed.rest;
  const withoutPrefix = key.startsWith(INTAKE_PREFIX) ? key.slice(INTAKE_PREFIX.length) : key;
  const org = orgSegmentOrUnknown(key);
  return org !== '_unknown' && withoutPrefix.startsWith(`${org}/`)
    ? withoutPrefix.slice(org.length + 1)
    : withoutPrefix;
};

/** The operation segment of a key, valid or not (for the record of a rejected upload); `(missing)` when absent. */
export const operationSegment = (key: string): string => {
  const segment = key.startsWith(INTAKE_PREFIX) ? key.slice(INTAKE_PREFIX.length).split('/')[1] : undefined;
  return segment !== undefined && segment !== '' ? segment : '(missing)';
};
