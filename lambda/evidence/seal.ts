/**
 * Sealing an item written through the DynamoDB document client: marshall it exactly as the
 * document client will (same options), hash that, and add the hash as `contentHash`. The digest
 * process and the verifier recompute the same hash from the stored attribute values.
 */
import { marshall, type marshallOptions } from '@aws-sdk/util-dynamodb';
import { CONTENT_HASH_ATTRIBUTE, contentHash } from './canonical';

/**
 * Return `item` with its content hash, computed over the attribute values `marshall` produces
 * with `options` (pass the document client's `marshallOptions`).
 *
 * @example
 * const Item = seal({ decisionId: 'd-1', entry: 'DECISION', effect: 'DENY' }, AUDIT_TRANSLATE_CONFIG.marshallOptions);
 */
export const seal = <T extends Record<string, unknown>>(
  item: T,
  options: marshallOptions,
): T & { readonly [CONTENT_HASH_ATTRIBUTE]: string } => {
  const { [CONTENT_HASH_ATTRIBUTE]: _previous, ...rest } = item;
  // DynamoDBDocumentClient.from sets `convertTopLevelContainer` on the options object it is given,
  // which would wrap the whole item in `{ M: … }`: the item's own attributes are what is stored.
  const attributes = marshall(rest, { ...options, convertTopLevelContainer: false });
  return { ...item, [CONTENT_HASH_ATTRIBUTE]: contentHash(attributes) };
};
