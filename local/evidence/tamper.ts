/**
 * What an administrator with ordinary DynamoDB rights can still do to the ledgers: replace an
 * audit record with an unconditional PutItem (the table's resource policy denies UpdateItem and
 * DeleteItem, not PutItem), recomputing its content hash so the item looks self-consistent, and
 * delete an enforcement record (that table has no resource policy), after disabling its stream.
 * The offline run does both and shows that verification names each.
 */
import { DeleteItemCommand, type DynamoDBClient, PutItemCommand, paginateScan } from '@aws-sdk/client-dynamodb';
import { canonicalForm, contentHash, type LedgerItem } from '../../lambda/evidence/canonical';
import type { LedgerName } from '../../lambda/evidence/types';
import { LEDGER_KEY_NAMES } from './evidence-source';

const firstItem = async (
  client: DynamoDBClient,
  table: string,
  match: (item: LedgerItem) => boolean,
): Promise<LedgerItem | undefined> => {
  for await (const page of paginateScan({ client }, { TableName: table }))
    for (const item of (page.Items ?? []) as LedgerItem[]) if (match(item)) return item;
  return undefined;
};

const keysOf = (ledger: LedgerName, item: LedgerItem): LedgerItem =>
  Object.fromEntries(LEDGER_KEY_NAMES[ledger].map((name) => [name, item[name]!]));
const s = (item: LedgerItem, name: string): string | undefined => (item[name] as { S?: string } | undefined)?.S;

export interface TamperedRecord {
  readonly ledger: LedgerName;
  readonly key: string;
  readonly what: string;
}

/**
 * Rewrite one police DENY as an ALLOW with an unconditional PutItem, recomputing its content hash.
 *
 * @example
 * const altered = await rewriteDenialAsAllow(ddb, tables.audit);
 */
export const rewriteDenialAsAllow = async (client: DynamoDBClient, auditTable: string): Promise<TamperedRecord> => {
  const denial = await firstItem(
    client,
    auditTable,
    (item) => s(item, 'entry') === 'DECISION' && s(item, 'effect') === 'DENY' && s(item, 'category') === 'police',
  );
  if (denial === undefined) throw new Error('the audit ledger holds no police denial to tamper with');
  const { contentHash: _old, ...rest } = denial;
  const forged: LedgerItem = {
    ...rest,
    effect: { S: 'ALLOW' },
    reason: { S: 'ALLOWED' },
    effectCategory: { S: 'ALLOW#police' },
  };
  await client.send(
    new PutItemCommand({
      TableName: auditTable,
      Item: { ...forged, contentHash: { S: contentHash(forged) } } as never,
    }),
  );
  return {
    ledger: 'audit',
    key: canonicalForm(keysOf('audit', denial)),
    what: `police DENY ${s(denial, 'decisionId')} rewritten as ALLOW (content hash recomputed)`,
  };
};

/**
 * Delete one enforcement event record.
 *
 * @example
 * const deleted = await deleteEnforcementRecord(ddb, tables.enforcement);
 */
export const deleteEnforcementRecord = async (
  client: DynamoDBClient,
  enforcementTable: string,
): Promise<TamperedRecord> => {
  // A record of a role found not restricted: deleting it hides that the event was ever assessed.
  const record =
    (await firstItem(
      client,
      enforcementTable,
      (item) => (s(item, 'sk') ?? '').startsWith('EVENT#') && s(item, 'action') === 'NOT_RESTRICTED',
    )) ?? (await firstItem(client, enforcementTable, (item) => (s(item, 'sk') ?? '').startsWith('EVENT#')));
  if (record === undefined) throw new Error('the enforcement ledger holds no event record to delete');
  await client.send(
    new DeleteItemCommand({ TableName: enforcementTable, Key: keysOf('enforcement', record) as never }),
  );
  return {
    ledger: 'enforcement',
    key: canonicalForm(keysOf('enforcement', record)),
    what: `${s(record, 'action')} record of ${s(record, 'roleArn')} deleted`,
  };
};
