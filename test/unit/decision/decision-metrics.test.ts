import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { PolicyEvaluator } from '../../../lambda/decision/cedar-engine';
import { POLICY_METRICS } from '../../../lambda/decision/metric-names';
import {
  type DecideAndRecordDeps,
  decideAndRecord,
  emitDecisionMetrics,
  isRestrictedAllowInWindow,
} from '../../../lambda/decision/record';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger, decisionIdFor } from '../../../lambda/shared/audit';
import type { Decision } from '../../../lambda/shared/decision';
import { type Clock, fixedClock } from '../../../lambda/shared/moratorium';
import { captureEmf, type EmfRecord, enableEmf } from './emf';
import { depsFor, mockIam, ngoRequest, policeRequest, shift } from './fixtures';

const IN_WINDOW = '2027-06-10T00:00:00.000Z';
const AFTER_WINDOW = '2031-01-01T00:00:00.000Z';

/** One EMF record as a reviewer would read it: namespace, dimension set, metrics with units, values. */
const flatten = (record: EmfRecord) => {
  const directive = record._aws.CloudWatchMetrics[0]!;
  const metrics = directive.Metrics.map((m) => ({ name: m.Name, unit: m.Unit, value: record[m.Name] }));
  const dimensions = Object.fromEntries((directive.Dimensions[0] ?? []).map((d) => [d, record[d]]));
  return { namespace: directive.Namespace, dimensions, metrics };
};

/** A Cedar engine that permits everything: the impossible case the critical alarm exists for. */
const rogueEngine: PolicyEvaluator = {
  evaluate: () => ({ decision: 'allow', determining: ['rogue'] }) as never,
  policy: () => undefined,
};

const run = async (
  request: unknown,
  options: { engine?: PolicyEvaluator; ledgerFails?: boolean; clock?: Clock } = {},
) => {
  const restoreEnv = enableEmf();
  const records = captureEmf();
  try {
    mockIam();
    const dynamo = mockClient(DynamoDBDocumentClient);
    if (options.ledgerFails === true) dynamo.on(PutCommand).rejects(new Error('throttled'));
    else dynamo.on(PutCommand).resolves({});
    const metrics = new Metrics({ namespace: 'GovernedRecognition', serviceName: 'policy' });
    const ticks = [10, 12];
    const deps: DecideAndRecordDeps = {
      ...depsFor(),
      ...(options.engine !== undefined ? { engine: options.engine } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ledger: new AuditLedger(DynamoDBDocumentClient.from(new DynamoDBClient({}), AUDIT_TRANSLATE_CONFIG), 'audit'),
      metrics,
      logger: new Logger({ logLevel: 'SILENT' }),
      elapsedMs: () => ticks.shift() ?? 0,
    };
    await decideAndRecord(request, deps).catch(() => undefined);
    metrics.publishStoredMetrics();
    return records().map(flatten);
  } finally {
    restoreEnv();
  }
};

const expectedFor = (effect: string, reason: string, category: string, breach: 0 | 1) => [
  {
    namespace: 'GovernedRecognition',
    dimensions: { service: 'policy', Effect: effect },
    metrics: [{ name: 'Decisions', unit: 'Count', value: 1 }],
  },
  {
    namespace: 'GovernedRecognition',
    dimensions: { service: 'policy', Reason: reason },
    metrics: [{ name: 'Decisions', unit: 'Count', value: 1 }],
  },
  {
    namespace: 'GovernedRecognition',
    dimensions: { service: 'policy', Category: category },
    metrics: [{ name: 'Decisions', unit: 'Count', value: 1 }],
  },
  {
    namespace: 'GovernedRecognition',
    dimensions: { service: 'policy' },
    metrics: [{ name: 'DecisionLatency', unit: 'Milliseconds', value: 2 }],
  },
  {
    namespace: 'GovernedRecognition',
    dimensions: { service: 'policy' },
    metrics: [{ name: 'RestrictedAllowedInWindow', unit: 'Count', value: breach }],
  },
  {
    namespace: 'GovernedRecognition',
    dimensions: { service: 'policy', Effect: effect, Reason: reason, Category: category },
    metrics: [
      { name: 'Decisions', unit: 'Count', value: 1 },
      { name: 'DecisionLatency', unit: 'Milliseconds', value: 2 },
    ],
  },
];

describe('policy decision metrics (EMF)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('emits the allow path: Decisions by Effect/Reason/Category, latency by them and alone, and RestrictedAllowedInWindow 0', async () => {
    expect(await run(ngoRequest(IN_WINDOW))).toEqual(expectedFor('ALLOW', 'ALLOWED', 'ngo', 0));
  });

  it('emits the deny path of a police request in the window with RestrictedAllowedInWindow 0', async () => {
    expect(await run(policeRequest(IN_WINDOW))).toEqual(expectedFor('DENY', 'MORATORIUM_IN_FORCE', 'police', 0));
  });

  it('emits a malformed request as an INVALID_REQUEST denial of category unknown', async () => {
    expect(await run({ principalId: 'AWS:AROAX:s' })).toEqual(expectedFor('DENY', 'INVALID_REQUEST', 'unknown', 0));
  });

  it('emits the error path (ledger write failed) as a POLICY_ERROR denial', async () => {
    expect(await run(ngoRequest(IN_WINDOW), { ledgerFails: true })).toEqual(
      expectedFor('DENY', 'POLICY_ERROR', 'ngo', 0),
    );
  });

  it('emits RestrictedAllowedInWindow 1 with the decision id when a restricted caller is allowed in the window', async () => {
    const request = policeRequest(IN_WINDOW);
    const records = await run(request, { engine: rogueEngine });
    expect(records).toEqual(expectedFor('ALLOW', 'ALLOWED', 'police', 1));
    const restoreEnv = enableEmf();
    const raw = captureEmf();
    try {
      const metrics = new Metrics({ namespace: 'GovernedRecognition', serviceName: 'policy' });
      emitDecisionMetrics(metrics, breachDecision(decisionIdFor(request.object!)), 1);
    } finally {
      restoreEnv();
    }
    expect(raw().find((r) => r[POLICY_METRICS.restrictedAllowedInWindow] !== undefined)).toMatchObject({
      RestrictedAllowedInWindow: 1,
      decisionId: decisionIdFor(request.object!),
    });
  });

  it.each([
    ['uploaded before the window and decided in it', shift(IN_WINDOW, -1), shift(IN_WINDOW, 3_600_000), 1],
    ['uploaded in the window and decided after it', shift(IN_WINDOW, 3_600_000), AFTER_WINDOW, 1],
    ['uploaded and decided before the window', shift(IN_WINDOW, -3_600_000), shift(IN_WINDOW, -1), 0],
  ] as const)(
    'emits RestrictedAllowedInWindow for a restricted ALLOW %s (upload %s, decided %s): %s',
    async (_when, at, decidedAt, breach) => {
      const records = await run(policeRequest(at), { engine: rogueEngine, clock: fixedClock(decidedAt) });
      expect(records).toEqual(expectedFor('ALLOW', 'ALLOWED', 'police', breach));
    },
  );

  it('does not count a restricted ALLOW after the window (the moratorium is over)', async () => {
    expect(await run(policeRequest(AFTER_WINDOW), { engine: rogueEngine })).toEqual(
      expectedFor('ALLOW', 'ALLOWED', 'police', 0),
    );
  });
});

const breachDecision = (decisionId: string): Decision => ({
  decisionId,
  effect: 'ALLOW',
  reason: 'ALLOWED',
  policyIds: ['rogue'],
  request: policeRequest(IN_WINDOW),
  caller: { principalId: 'AWS:AROAPOLICEINVEST001:s', category: 'police', restricted: true },
  moratorium: { start: IN_WINDOW, end: '2028-06-10T00:00:00.000Z', inForce: true },
  decidedAt: IN_WINDOW,
});

describe('isRestrictedAllowInWindow', () => {
  const base = breachDecision('d-1');
  it.each([
    ['ALLOW', true, true, true],
    ['ALLOW', true, false, false],
    ['ALLOW', false, true, false],
    ['DENY', true, true, false],
  ] as const)('effect %s, restricted %s, in force %s -> %s', (effect, restricted, inForce, expected) => {
    const decision: Decision = {
      ...base,
      effect,
      caller: { ...base.caller, restricted },
      moratorium: { ...base.moratorium, inForce },
    };
    expect(isRestrictedAllowInWindow(decision)).toBe(expected);
  });
});
