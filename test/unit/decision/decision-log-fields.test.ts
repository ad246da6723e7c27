import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { decideAndRecord } from '../../../lambda/decision/record';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger } from '../../../lambda/shared/audit';
import { DECISION_LOG_FIELDS, reviewQueryStrings } from '../../../lib/constructs/review/review-queries';
import { depsFor, mockIam, ngoRequest, policeRequest } from './fixtures';

/** The JSON lines the policy logger prints while deciding `request`. */
const logLines = async (request: unknown): Promise<Record<string, unknown>[]> => {
  const saved = process.env.POWERTOOLS_DEV;
  process.env.POWERTOOLS_DEV = 'true'; // Powertools then prints through the global console, which the spy sees.
  const spy = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  try {
    mockIam();
    mockClient(DynamoDBDocumentClient).on(PutCommand).resolves({});
    await decideAndRecord(request, {
      ...depsFor(),
      ledger: new AuditLedger(DynamoDBDocumentClient.from(new DynamoDBClient({}), AUDIT_TRANSLATE_CONFIG), 'audit'),
      metrics: new Metrics({ namespace: 'GovernedRecognition', serviceName: 'policy' }),
      logger: new Logger({ serviceName: 'policy', logLevel: 'INFO' }),
    });
    return spy.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>);
  } finally {
    if (saved === undefined) delete process.env.POWERTOOLS_DEV;
    else process.env.POWERTOOLS_DEV = saved;
  }
};

/** `a.b.0` of a parsed log line, as Logs Insights flattens it. */
const at = (line: Record<string, unknown>, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], line);

describe('policy Decision log line (what the saved Logs Insights queries read)', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [
      'an NGO allow',
      ngoRequest('2027-06-10T00:00:00.000Z'),
      { effect: 'ALLOW', 'caller.orgId': 'thorn-like', 'caller.category': 'ngo', 'caller.restricted': false },
    ],
    [
      'a police denial',
      policeRequest('2027-06-10T00:00:00.000Z'),
      { effect: 'DENY', 'caller.orgId': 'metro-police', 'caller.category': 'police', 'caller.restricted': true },
    ],
  ])('logs every field the queries select and filter on for %s', async (_name, request, expected) => {
    const decision = (await logLines(request)).find((line) => line.message === 'Decision');
    expect(decision).toBeDefined();
    for (const field of DECISION_LOG_FIELDS.filter((f) => !f.startsWith('@')))
      expect(at(decision!, field)).toEqual(expect.anything());
    for (const [field, value] of Object.entries(expected)) expect(at(decision!, field)).toBe(value);
  });

  it('filters on exactly the fields and values the log line has', () => {
    const text = reviewQueryStrings(['police']).restrictedDenials.toString();
    expect(text).toContain('filter message = "Decision"');
    expect(text).toContain('filter effect = "DENY"');
    expect(text).toContain('caller.restricted = 1 or caller.category in ["police"]');
  });
});
