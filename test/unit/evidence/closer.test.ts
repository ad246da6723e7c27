import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { closeDuePeriods } from '../../../lambda/evidence/close';
import { digestFileHash } from '../../../lambda/evidence/digest';
import { EvidenceJournal } from '../../../lambda/evidence/journal';
import { entryFor } from '../../../lambda/evidence/stream-entry';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb';
import { GRID, LocalKeySigner, ledgerItem, MemoryStore, streamRecord, T0 } from './world';

const HOUR = 3_600_000;
const signer = new LocalKeySigner();
const TABLES = { 'audit-table': 'audit', 'enforcement-table': 'enforcement' } as const;

describe('closeDuePeriods with the journal in dynalite', () => {
  let ddb: LocalDynamoDb;
  let journal: EvidenceJournal;
  beforeAll(async () => {
    ddb = await startLocalDynamoDb({ region: 'eu-west-1' });
    await ddb.client.send(
      new CreateTableCommand({
        TableName: 'journal',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    journal = new EvidenceJournal(DynamoDBDocumentClient.from(ddb.client), 'journal');
  });
  afterAll(() => ddb.stop());

  const deps = (store: MemoryStore, journalOf: Parameters<typeof closeDuePeriods>[0]['journal'] = journal) => ({
    journal: journalOf,
    store,
    signer,
    grid: GRID,
    graceSeconds: 300,
    prefix: 'digests/',
    retainUntil: (now: Date) => now,
    maxPeriods: 48,
  });

  it('forgets what it digested, keeps later entries pending, and adopts a digest a crashed run stored', async () => {
    for (const [index, at] of [T0 + 10 * 60_000, T0 + 70 * 60_000, T0 + 4 * HOUR].entries())
      await journal.add(
        entryFor(streamRecord('audit', 'INSERT', at, ledgerItem('audit', index, at, 'x'), undefined), TABLES),
      );
    const store = new MemoryStore();

    const first = await closeDuePeriods(deps(store), new Date(T0 + 2 * HOUR + 10 * 60_000));

    expect(first.map((head) => head.period.start)).toEqual([
      new Date(T0).toISOString(),
      new Date(T0 + HOUR).toISOString(),
    ]);
    expect(await journal.pendingBefore('9999')).toHaveLength(1);
    expect(await journal.head()).toEqual(first[1]);

    // A crash after the digest was stored but before the head moved: the rerun adopts the stored file.
    const next = T0 + 4 * HOUR + 10 * 60_000;
    const crashed = new MemoryStore();
    const head = (await journal.head())!;
    await expect(closeDuePeriods({ ...deps(crashed), journal: noMove(journal) }, new Date(next))).rejects.toThrow(
      'crash',
    );
    const stored = [...crashed.objects.entries()];
    expect(await journal.head()).toEqual(head);
    // A minute later: a digest signed anew would carry another createdAt, so another hash.
    const rerun = await closeDuePeriods(deps(crashed), new Date(next + 60_000));

    expect(stored).toHaveLength(1);
    expect(rerun[0]!.key).toBe(stored[0]![0]);
    expect(rerun[0]!.hash).toBe(digestFileHash(stored[0]![1]));
    expect(crashed.objects.get(stored[0]![0])).toBe(stored[0]![1]);
    expect(JSON.parse(crashed.objects.get(rerun[1]!.key)!).body.previous).toEqual({
      key: rerun[0]!.key,
      hash: rerun[0]!.hash,
    });
    // The entry of 02:00 waits for its period (02:00-03:00) to end.
    expect((await journal.pendingBefore('9999')).map((entry) => entry.at)).toEqual([
      new Date(T0 + 4 * HOUR).toISOString(),
    ]);
  });
});

/** The journal of a run that crashes right after storing its first digest (the head never moves). */
const noMove = (journal: EvidenceJournal) => ({
  head: () => journal.head(),
  pendingBefore: (end: string) => journal.pendingBefore(end),
  forget: async () => {},
  moveHead: async () => {
    throw new Error('crash');
  },
});
