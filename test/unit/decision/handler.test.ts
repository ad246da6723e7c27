import 'aws-sdk-client-mock-jest';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { resetRuntimeClock, useRuntimeClock } from '../../../lambda/shared/clock';
import type { Decision } from '../../../lambda/shared/decision';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { captureEmf, enableEmf, viewsOf } from './emf';
import { exampleSettings, mockIam, ngoRequest, policeRequest } from './fixtures';

// The handler reads its environment at module load, as on Lambda: set it, then load the module.
process.env.AUDIT_TABLE_NAME = 'audit-table';
process.env.GOVREC_SETTINGS = JSON.stringify(exampleSettings);
const restoreEnv = enableEmf();
type Handler = (event: unknown, context: Context) => Promise<Decision>;
let handler: Handler;
beforeAll(async () => {
  // The handler starts loading identities at module load (Lambda's init phase): IAM is mocked first.
  mockIam();
  ({ handler } = (await import('../../../lambda/decision/handler')) as unknown as { handler: Handler });
});
afterAll(() => restoreEnv());

const context = {
  functionName: 'policy',
  functionVersion: '1',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:policy',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/policy',
  logStreamName: 's',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

describe('policy handler', () => {
  afterEach(() => jest.restoreAllMocks());

  it('returns the recorded decision and emits the decision metrics', async () => {
    mockIam();
    const dynamo = mockClient(DynamoDBDocumentClient);
    dynamo.on(PutCommand).resolves({});
    const records = captureEmf();
    const decision = await handler(policeRequest('2027-06-10T00:00:00.000Z'), context);
    expect(decision).toMatchObject({
      effect: 'DENY',
      reason: 'MORATORIUM_IN_FORCE',
      policyIds: ['moratorium-in-force'],
    });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'audit-table',
      Item: expect.objectContaining({ decisionId: decision.decisionId }),
    });
    const combined = viewsOf(records(), 'Decisions').filter((v) => v.dimensions?.[0]?.length === 4);
    expect(combined).toEqual([{ dimensions: [['service', 'Effect', 'Reason', 'Category']], value: 1 }]);
    expect(records().find((r) => r.DecisionLatency !== undefined && r.Effect !== undefined)).toMatchObject({
      Effect: 'DENY',
      Reason: 'MORATORIUM_IN_FORCE',
      Category: 'police',
    });
  });

  it('throws when the decision cannot be recorded, so the caller treats it as POLICY_ERROR', async () => {
    mockIam();
    mockClient(DynamoDBDocumentClient).on(PutCommand).rejects(new Error('unavailable'));
    captureEmf();
    await expect(handler(ngoRequest('2027-06-10T00:00:00.000Z'), context)).rejects.toMatchObject({
      name: 'DecisionNotRecordedError',
      decision: { effect: 'DENY', reason: 'POLICY_ERROR' },
    });
  });

  it('decides at the runtime clock, so the offline run can install its simulated clock', async () => {
    mockIam();
    mockClient(DynamoDBDocumentClient).on(PutCommand).resolves({});
    captureEmf();
    // Uploaded 1 ms before the moratorium, decided an hour into it: refused.
    useRuntimeClock(fixedClock('2027-06-10T01:00:00.000Z'));
    try {
      const decision = await handler(
        policeRequest('2027-06-09T23:59:59.999Z', {
          object: { bucket: 'intake', key: 'incoming/metro-police/search/late.jpg' },
        }),
        context,
      );
      expect(decision).toMatchObject({
        effect: 'DENY',
        reason: 'MORATORIUM_IN_FORCE',
        decidedAt: '2027-06-10T01:00:00.000Z',
        moratorium: { inForce: true },
      });
    } finally {
      resetRuntimeClock();
    }
  });
});
