import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger } from '../../../lambda/shared/audit';
import { AUDIT_INDEXES } from '../../../lambda/shared/contracts';
import type { Decision } from '../../../lambda/shared/decision';
import { createTableInputFor, type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb';
import { synthesizedAssembly } from '../../helpers/cloud-assembly';

const assembly = synthesizedAssembly();
const stack = assembly.local;
const AUDIT = assembly.id(assembly.stack.pipeline.auditTable);
const IDEMPOTENCY = assembly.id(assembly.stack.pipeline.idempotencyTable);
const ENFORCEMENT_LEDGER = assembly.id(assembly.stack.pipeline.enforcer.ledger);
const EVIDENCE_JOURNAL = assembly.id(assembly.stack.pipeline.evidence.journal);

const decision: Decision = {
  decisionId: 'd-1',
  effect: 'DENY',
  reason: 'MORATORIUM_IN_FORCE',
  policyIds: ['moratorium-forbid'],
  request: {
    principalId: 'AWS:AROAPOLICE:s',
    orgId: 'metro-police',
    operation: 'search',
    purpose: 'criminal-investigation',
    at: '2027-07-01T00:00:00.000Z',
  },
  caller: { principalId: 'AWS:AROAPOLICE:s', orgId: 'metro-police', category: 'police', restricted: true },
  moratorium: { start: '2027-06-10T00:00:00.000Z', end: '2028-06-10T00:00:00.000Z', inForce: true },
  decidedAt: '2027-07-01T00:00:01.000Z',
};

describe('createTableInputFor', () => {
  it('keeps keys and indexes and makes the table on-demand', () => {
    const input = createTableInputFor(AUDIT, stack.resource(AUDIT));
    expect(input.BillingMode).toBe('PAY_PER_REQUEST');
    expect(input.KeySchema).toEqual([
      { AttributeName: 'decisionId', KeyType: 'HASH' },
      { AttributeName: 'entry', KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes?.map((gsi) => gsi.IndexName)).toEqual(Object.keys(AUDIT_INDEXES));
    expect(Object.keys(input).sort()).toEqual([
      'AttributeDefinitions',
      'BillingMode',
      'GlobalSecondaryIndexes',
      'KeySchema',
      'TableName',
    ]);
  });

  it('refuses a resource that is not a table', () => {
    expect(() => createTableInputFor('x', { Type: 'AWS::S3::Bucket' })).toThrow(
      'AWS::S3::Bucket is not a DynamoDB table',
    );
  });
});

describe('startLocalDynamoDb', () => {
  let ddb: LocalDynamoDb;
  beforeAll(async () => {
    ddb = await startLocalDynamoDb({ template: stack, region: 'eu-west-1' });
  });
  afterAll(async () => {
    await ddb.stop();
  });

  it('creates every table of the template, named after its logical id', async () => {
    const names = [AUDIT, IDEMPOTENCY, ENFORCEMENT_LEDGER, EVIDENCE_JOURNAL].sort();
    expect(ddb.tables).toEqual(Object.fromEntries(names.map((name) => [name, name])));
    const listed = await ddb.client.send(new ListTablesCommand({}));
    expect(listed.TableNames?.sort()).toEqual(names);
    const described = await ddb.client.send(new DescribeTableCommand({ TableName: AUDIT }));
    expect(described.Table?.TableStatus).toBe('ACTIVE');
    expect(ddb.env).toEqual({ AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint });
  });

  it('serves the audit ledger: conditional puts and the reviewer indexes work', async () => {
    const documents = DynamoDBDocumentClient.from(ddb.client, AUDIT_TRANSLATE_CONFIG);
    const ledger = new AuditLedger(documents, AUDIT);
    expect((await ledger.recordDecision(decision)).created).toBe(true);
    expect((await ledger.recordDecision({ ...decision, effect: 'ALLOW' })).decision.effect).toBe('DENY');
    const byOrg = await documents.send(
      new QueryCommand({
        TableName: AUDIT,
        IndexName: 'byOrganisation',
        KeyConditionExpression: 'orgId = :o',
        ExpressionAttributeValues: { ':o': 'metro-police' },
      }),
    );
    expect(byOrg.Items?.map((item) => item.decisionId)).toEqual(['d-1']);
  });
});
