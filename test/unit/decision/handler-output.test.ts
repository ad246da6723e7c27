/**
 * The deployed policy entry point through its real middy chain (tracer, logger with the Lambda
 * context, metrics with the cold-start metric), its ledger on dynalite through the real DynamoDB
 * client, invoked with the PolicyRequest serialized as the recognition worker's Invoke sends it.
 * Its log lines and EMF records are read back from stdout, as CloudWatch would.
 */
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Handler } from 'aws-lambda';
import { AUDIT_KEYS } from '../../../lambda/shared/contracts';
import type { Decision } from '../../../lambda/shared/decision';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb';
import { captureStdout, freezeDate, lambdaContext, powertoolsOutputEnv } from '../../helpers/lambda-output';
import { exampleSettings, mockIam, ngoRequest, policeRequest } from './fixtures';

const TABLE = 'audit-ledger';
const IN_WINDOW = '2027-09-01T10:00:00.000Z';
const BEFORE_WINDOW = '2027-01-05T10:00:00.000Z';

process.env.AUDIT_TABLE_NAME = TABLE;
process.env.GOVREC_SETTINGS = JSON.stringify(exampleSettings);
powertoolsOutputEnv('policy');

let ddb: LocalDynamoDb;
let handler: Handler;
beforeAll(async () => {
  ddb = await startLocalDynamoDb();
  await ddb.client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: AUDIT_KEYS.partition, KeyType: 'HASH' },
        { AttributeName: AUDIT_KEYS.sort, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: AUDIT_KEYS.partition, AttributeType: 'S' },
        { AttributeName: AUDIT_KEYS.sort, AttributeType: 'S' },
      ],
    }),
  );
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
  // The handler starts loading identities at module load (Lambda's init phase): IAM is mocked first.
  mockIam();
  ({ handler } = await import('../../../lambda/decision/handler'));
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  await ddb.stop();
});
afterEach(() => jest.useRealTimers());

/** The request as the Lambda service hands it over: JSON out of the Invoke payload. */
const overTheWire = (request: unknown): unknown => JSON.parse(JSON.stringify(request));

const invoke = async (request: unknown, requestId: string) => {
  const output = captureStdout();
  try {
    const decision = (await handler(overTheWire(request), lambdaContext('policy', requestId), () => {})) as Decision;
    return { decision, logs: output.logs, emf: output.emf, other: output.other };
  } finally {
    output.restore();
  }
};

const metricNames = (record: Record<string, unknown>): string[] =>
  (record._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics.flatMap((m) =>
    m.Metrics.map((metric) => metric.Name),
  );

describe('policy handler output', () => {
  it('records a moratorium denial, logs it with the request and decision ids and publishes its metrics', async () => {
    freezeDate(IN_WINDOW);
    const { decision, logs, emf, other } = await invoke(policeRequest(IN_WINDOW), 'req-pdp-1');

    expect(decision).toMatchObject({ effect: 'DENY', reason: 'MORATORIUM_IN_FORCE', decidedAt: IN_WINDOW });
    const stored = await ddb.client.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { decisionId: { S: decision.decisionId }, entry: { S: 'DECISION' } },
      }),
    );
    expect(stored.Item?.reason).toEqual({ S: 'MORATORIUM_IN_FORCE' });

    expect(logs).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'Decision',
        service: 'policy',
        function_name: 'policy',
        function_request_id: 'req-pdp-1',
        decisionId: decision.decisionId,
        effect: 'DENY',
        reason: 'MORATORIUM_IN_FORCE',
        policyIds: ['moratorium-in-force'],
      }),
    ]);
    expect(other).toEqual([]);
    // Every record is in the project namespace with the service dimension.
    for (const record of emf) {
      expect(record).toMatchObject({
        service: 'policy',
        _aws: { CloudWatchMetrics: [{ Namespace: 'GovernedRecognition' }] },
      });
    }
    const decisions = emf.filter((r) => metricNames(r).includes('Decisions'));
    expect(decisions).toContainEqual(
      expect.objectContaining({ Effect: 'DENY', Reason: 'MORATORIUM_IN_FORCE', Category: 'police', Decisions: 1 }),
    );
    const breach = emf.find((r) => metricNames(r).includes('RestrictedAllowedInWindow'));
    expect(breach?.RestrictedAllowedInWindow).toBe(0);
  });

  it('allows an NGO before the window and keys the second invocation by its own request id', async () => {
    freezeDate(BEFORE_WINDOW);
    const { decision, logs, emf } = await invoke(ngoRequest(BEFORE_WINDOW), 'req-pdp-2');

    expect(decision).toMatchObject({ effect: 'ALLOW', reason: 'ALLOWED' });
    expect(logs).toEqual([
      expect.objectContaining({
        message: 'Decision',
        function_request_id: 'req-pdp-2',
        decisionId: decision.decisionId,
        effect: 'ALLOW',
      }),
    ]);
    expect(emf.filter((r) => metricNames(r).includes('Decisions'))).toContainEqual(
      expect.objectContaining({ Effect: 'ALLOW', Reason: 'ALLOWED', Category: 'ngo', Decisions: 1 }),
    );
  });
});
