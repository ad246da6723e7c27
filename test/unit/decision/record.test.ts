import 'aws-sdk-client-mock-jest';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DecisionNotRecordedError } from '../../../lambda/decision/errors';
import { type DecideAndRecordDeps, decideAndRecord } from '../../../lambda/decision/record';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger, decisionIdFor } from '../../../lambda/shared/audit';
import type { Decision } from '../../../lambda/shared/decision';
import { captureEmf, enableEmf, viewsOf } from './emf';
import { depsFor, mockIam, ngoRequest, policeRequest } from './fixtures';

const TABLE = 'audit-table';
const START = '2027-06-10T00:00:00.000Z';

const setup = () => {
  mockIam();
  const dynamo = mockClient(DynamoDBDocumentClient);
  const metrics = new Metrics({ namespace: 'GovernedRecognition', serviceName: 'policy' });
  const ticks = [100, 103.5];
  const deps: DecideAndRecordDeps = {
    ...depsFor(),
    ledger: new AuditLedger(DynamoDBDocumentClient.from(new DynamoDBClient({}), AUDIT_TRANSLATE_CONFIG), TABLE),
    metrics,
    logger: new Logger({ logLevel: 'SILENT' }),
    elapsedMs: () => ticks.shift() ?? 0,
  };
  return { dynamo, metrics, deps };
};

describe('decideAndRecord', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes the decision with a conditional put and returns it', async () => {
    const { dynamo, deps } = setup();
    dynamo.on(PutCommand).resolves({});
    const request = ngoRequest(START);
    const decision = await decideAndRecord(request, deps);
    expect(decision).toMatchObject({ decisionId: decisionIdFor(request.object!), effect: 'ALLOW', reason: 'ALLOWED' });
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(decisionId)',
      Item: expect.objectContaining({
        decisionId: decision.decisionId,
        entry: 'DECISION',
        effect: 'ALLOW',
        reason: 'ALLOWED',
        orgId: 'thorn-like',
      }),
    });
  });

  it('returns the stored decision when the object was already decided (a retry)', async () => {
    const { dynamo, deps } = setup();
    const request = policeRequest(START);
    const stored: Decision = {
      decisionId: decisionIdFor(request.object!),
      effect: 'DENY',
      reason: 'MORATORIUM_IN_FORCE',
      policyIds: ['moratorium-in-force'],
      request,
      caller: { principalId: request.principalId, restricted: true, category: 'police' },
      moratorium: { start: START, end: '2028-06-10T00:00:00.000Z', inForce: true },
      decidedAt: '2027-06-10T00:00:01.000Z',
    };
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    dynamo.on(GetCommand).resolves({ Item: { decision: stored } });
    expect(await decideAndRecord(request, deps)).toEqual(stored);
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { decisionId: stored.decisionId, entry: 'DECISION' },
      ConsistentRead: true,
    });
  });

  it('fails closed when the ledger cannot be written: throws, carrying a POLICY_ERROR denial', async () => {
    const { dynamo, deps } = setup();
    dynamo.on(PutCommand).rejects(Object.assign(new Error('table is gone'), { name: 'ResourceNotFoundException' }));
    const error = await decideAndRecord(ngoRequest(START), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecisionNotRecordedError);
    expect((error as DecisionNotRecordedError).decision).toMatchObject({
      effect: 'DENY',
      reason: 'POLICY_ERROR',
      policyIds: [],
    });
    expect((error as DecisionNotRecordedError).decision.detail).toMatch(/could not be recorded/);
  });

  it('emits Decisions and DecisionLatency by Effect, Reason and Category, and Decisions by each alone', async () => {
    const restoreEnv = enableEmf();
    const records = captureEmf();
    try {
      const { dynamo, deps, metrics } = setup();
      dynamo.on(PutCommand).resolves({});
      await decideAndRecord(policeRequest(START), deps);
      metrics.publishStoredMetrics();
    } finally {
      restoreEnv();
    }
    const emitted = records();
    expect(viewsOf(emitted, 'Decisions')).toEqual([
      { dimensions: [['service', 'Effect']], value: 1 },
      { dimensions: [['service', 'Reason']], value: 1 },
      { dimensions: [['service', 'Category']], value: 1 },
      { dimensions: [['service', 'Effect', 'Reason', 'Category']], value: 1 },
    ]);
    expect(viewsOf(emitted, 'DecisionLatency')).toEqual([
      { dimensions: [['service']], value: 3.5 },
      { dimensions: [['service', 'Effect', 'Reason', 'Category']], value: 3.5 },
    ]);
    expect(emitted.at(-1)).toMatchObject({
      Effect: 'DENY',
      Reason: 'MORATORIUM_IN_FORCE',
      Category: 'police',
      service: 'policy',
    });
  });
});
