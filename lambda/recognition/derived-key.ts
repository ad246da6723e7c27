/**
 * Keys derived from an intake key (quarantine copy, result JSON) must fit S3's 1,024-byte key
 * limit. `incoming/` is 9 bytes; `quarantine/` is 11 and `results/` + `.json` 13, so a derived key
 * is up to 4 bytes longer than the upload's and S3 would refuse it (KeyTooLongError) for an intake
 * key near the limit (about 340 CJK characters of file name). Such a key keeps its readable head,
 * cut on a character boundary, and ends in a hash of the full original, so it stays unique,
 * deterministic (a retry writes the same key) and within the limit.
 */
import { createHash } from 'node:crypto';

/** S3's limit on an object key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

const HASH_HEX = 32;

/** The longest prefix of `text` whose UTF-8 encoding has at most `bytes` bytes (never splits a character). */
export const utf8Prefix = (text: string, bytes: number): string => {
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > bytes) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end);
};

/**
 * `prefix + rest + suffix` when it fits in {@link MAX_KEY_BYTES}; otherwise
 * `prefix + <head of rest> + '~' + <32 hex of sha256(rest)> + suffix`, exactly within the limit.
 *
 * @example
 * boundedKey('quarantine/ngo/', 'detect/photo.jpg') // 'quarantine/ngo/detect/photo.jpg'
 */
export const boundedKey = (prefix: string, rest: string, suffix = ''): string => {
  const full = `${prefix}${rest}${suffix}`;
  if (Buffer.byteLength(full, 'utf8') <= MAX_KEY_BYTES) return full;
  const tail = `~${createHash('sha256').update(rest).digest('hex').slice(0, HASH_HEX)}${suffix}`;
  const room = MAX_KEY_BYTES - Buffer.byteLength(prefix, 'utf8') - Buffer.byteLength(tail, 'utf8');
  return `${prefix}${utf8Prefix(rest, Math.max(0, room))}${tail}`;
};
