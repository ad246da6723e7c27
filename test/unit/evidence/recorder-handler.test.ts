import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { contentHash } from '../../../lambda/evidence/canonical';
import { EvidenceJournal } from '../../../lambda/evidence/journal';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb';
import { exampleConfig } from '../../helpers/cdk-app';
import { ledgerItem, streamRecord, T0 } from './world';

type Handler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
const context = { functionName: 'recorder', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 } as Context;

describe('evidence recorder handler (real middy chain, journal in dynalite)', () => {
  let ddb: LocalDynamoDb;
  let handler: Handler;
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
    // The handler reads its environment at module load, as on Lambda.
    Object.assign(process.env, {
      ...ddb.env,
      EVIDENCE_JOURNAL_TABLE: 'journal',
      EVIDENCE_AUDIT_TABLE: 'audit-table',
      EVIDENCE_ENFORCEMENT_TABLE: 'enforcement-table',
      GOVREC_SETTINGS: JSON.stringify(exampleConfig().governance),
    });
    ({ handler } = (await import('../../../lambda/evidence/recorder/handler')) as unknown as { handler: Handler });
    journal = new EvidenceJournal(DynamoDBDocumentClient.from(ddb.client), 'journal');
  });
  afterAll(() => ddb.stop());

  it('journals one entry per change with the hash of the stored image, and reports only the record it cannot read', async () => {
    const audit = ledgerItem('audit', 1, T0, 'x');
    const enforcement = ledgerItem('enforcement', 2, T0 + 1000, 'y');
    const foreign = {
      ...streamRecord('audit', 'INSERT', T0 + 2000, ledgerItem('audit', 3, T0, 'z'), undefined),
      eventSourceARN: 'arn:aws:dynamodb:eu-west-1:111111111111:table/some-other-table/stream/2027',
    };
    const event: DynamoDBStreamEvent = {
      Records: [
        streamRecord('audit', 'INSERT', T0, audit, undefined),
        streamRecord('enforcement', 'INSERT', T0 + 1000, enforcement, undefined),
        foreign,
      ],
    };

    const response = await handler(event, context);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: foreign.dynamodb!.SequenceNumber }]);
    const entries = await journal.pendingBefore('9999');
    expect(entries.map((entry) => [entry.ledger, entry.change, entry.hash])).toEqual([
      ['audit', 'INSERT', contentHash(audit)],
      ['enforcement', 'INSERT', contentHash(enforcement)],
    ]);
  });

  it('journals a redelivered record once', async () => {
    const record = streamRecord('audit', 'INSERT', T0 + 60_000, ledgerItem('audit', 9, T0 + 60_000, 'x'), undefined);
    const before = (await journal.pendingBefore('9999')).length;

    await handler({ Records: [record] }, context);
    await handler({ Records: [record] }, context);

    expect(await journal.pendingBefore('9999')).toHaveLength(before + 1);
  });
});
