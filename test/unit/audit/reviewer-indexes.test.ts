import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { AUDIT_INDEXES } from '../../../lambda/shared/audit';
import { POLICE_ROLE_ARN, policeDenial, quarantined, unknownCallerDenial } from './fixtures';
import { type LocalLedger, startLocalLedger } from './local-ledger';

const TABLE = 'audit';
const FROM = '2027-07-01T00:00:00.000Z';
const TO = '2027-07-31T23:59:59.999Z';

describe('AuditLedgerTable reviewer indexes, served by dynalite', () => {
  let local: LocalLedger;

  const query = async (
    indexName: keyof typeof AUDIT_INDEXES,
    value: string,
    from = FROM,
    to = TO,
  ): Promise<string[]> => {
    const { partition, sort } = AUDIT_INDEXES[indexName];
    const result = await local.documents.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: indexName,
        KeyConditionExpression: '#p = :p AND #s BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#p': partition, '#s': sort },
        ExpressionAttributeValues: { ':p': value, ':from': from, ':to': to },
      }),
    );
    return (result.Items ?? []).map(
      (item) => `${item.entry as string} ${item.principalId as string} ${item.decidedAt as string}`,
    );
  };

  beforeAll(async () => {
    local = await startLocalLedger(TABLE);
    const { ledger } = local;
    // Four decisions of one police role over three sessions, the first 1 ms before the range; a
    // caller that was never resolved.
    const decisions = [
      policeDenial('case-1', '2027-06-30T23:59:59.999Z'),
      policeDenial('case-2', '2027-07-01T00:00:00.000Z'),
      policeDenial('case-3', '2027-07-15T12:00:00.000Z'),
      policeDenial('case-2', '2027-07-31T23:59:59.999Z', 'incoming/metro-police/search/case-2-again.jpg'),
      unknownCallerDenial('2027-07-02T00:00:00.000Z'),
    ];
    for (const decision of decisions) {
      await ledger.recordDecision(decision);
      await ledger.recordOutcome(quarantined(decision));
    }
  });

  afterAll(async () => {
    await local.ddb.stop();
  });

  it('creates the table with every index of AUDIT_INDEXES', async () => {
    const described = await local.ddb.client.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(
      described.Table?.GlobalSecondaryIndexes?.map((gsi) => [
        gsi.IndexName,
        gsi.KeySchema?.map((k) => k.AttributeName),
      ]),
    ).toEqual(Object.entries(AUDIT_INDEXES).map(([name, keys]) => [name, [keys.partition, keys.sort]]));
  });

  it('finds every decision of one role in a time range in one byRole query, across sessions and in time order', async () => {
    await expect(query('byRole', POLICE_ROLE_ARN)).resolves.toEqual([
      'DECISION AWS:AROAPOLICEINVESTIGATE:case-2 2027-07-01T00:00:00.000Z',
      'DECISION AWS:AROAPOLICEINVESTIGATE:case-3 2027-07-15T12:00:00.000Z',
      'DECISION AWS:AROAPOLICEINVESTIGATE:case-2 2027-07-31T23:59:59.999Z',
    ]);
  });

  it('finds only the decisions of one session in byPrincipal', async () => {
    await expect(query('byPrincipal', 'AWS:AROAPOLICEINVESTIGATE:case-2')).resolves.toEqual([
      'DECISION AWS:AROAPOLICEINVESTIGATE:case-2 2027-07-01T00:00:00.000Z',
      'DECISION AWS:AROAPOLICEINVESTIGATE:case-2 2027-07-31T23:59:59.999Z',
    ]);
  });

  it('keeps an unresolved caller out of byRole and finds it in byPrincipal', async () => {
    await expect(query('byPrincipal', 'AWS:AROASTRANGER:s')).resolves.toEqual([
      'DECISION AWS:AROASTRANGER:s 2027-07-02T00:00:00.000Z',
    ]);
    // The whole byRole index: the four police decisions, no outcome, no unresolved caller.
    const byRole = await local.documents.send(new ScanCommand({ TableName: TABLE, IndexName: 'byRole' }));
    expect(byRole.Items?.map((item) => `${item.entry as string} ${item.roleArn as string}`)).toEqual(
      Array(4).fill(`DECISION ${POLICE_ROLE_ARN}`),
    );
  });

  it('answers the auditor: DENY#police has the three decisions in the range, ALLOW#police none', async () => {
    await expect(query('byEffectCategory', 'DENY#police')).resolves.toHaveLength(3);
    await expect(
      query('byEffectCategory', 'ALLOW#police', '2027-06-10T00:00:00.000Z', '2028-06-09T23:59:59.999Z'),
    ).resolves.toEqual([]);
    await expect(query('byOrganisation', 'metro-police')).resolves.toHaveLength(3);
  });
});
