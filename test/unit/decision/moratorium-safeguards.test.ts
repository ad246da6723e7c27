/**
 * The decision point's side of issue 9: it refuses to serve without the moratorium rules, never
 * hands back a stored ALLOW against a denial now, reads the restricted tag fresh whenever a
 * restriction can apply, and does not record a failure on its side as an upload's decision.
 */
import 'aws-sdk-client-mock-jest';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { CedarEngine, REQUIRED_POLICY_IDS, readPolicySources } from '../../../lambda/decision/cedar-engine';
import { decide } from '../../../lambda/decision/decide';
import { DecisionNotRecordedError, PolicySetError } from '../../../lambda/decision/errors';
import { IdentityResolver } from '../../../lambda/decision/identity';
import { type DecideAndRecordDeps, decideAndRecord } from '../../../lambda/decision/record';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger, decisionIdFor } from '../../../lambda/shared/audit';
import type { Decision } from '../../../lambda/shared/decision';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { depsFor, exampleSettings, mockIam, ngoRequest, principalOf, settableClock, shift } from './fixtures';

const START = exampleSettings.moratorium.start;
const POLICE_TAG = [{ Key: 'govrec:category', Value: 'police' }];

describe('the policy set', () => {
  it.each(REQUIRED_POLICY_IDS.map((id) => [id]))('refuses to load without the moratorium rule %s', (id) => {
    const sources = readPolicySources();
    const files = sources.files.map((file) =>
      file.name === 'moratorium.cedar' ? { ...file, text: file.text.replace(`@id("${id}")`, '@id("renamed")') } : file,
    );
    expect(() => CedarEngine.fromSources({ ...sources, files })).toThrow(
      new RegExp(`lacks the moratorium rule.*${id}`),
    );
  });

  it('refuses to load without the moratorium file at all', () => {
    const sources = readPolicySources();
    expect(() =>
      CedarEngine.fromSources({ ...sources, files: sources.files.filter((f) => f.name !== 'moratorium.cedar') }),
    ).toThrow(PolicySetError);
  });

  it('makes the deployed handler refuse every request, recording nothing, when the set is incomplete', async () => {
    const saved = { ...process.env };
    process.env.AUDIT_TABLE_NAME = 'audit-table';
    process.env.GOVREC_SETTINGS = JSON.stringify(exampleSettings);
    mockIam();
    const dynamo = mockClient(DynamoDBDocumentClient);
    dynamo.on(PutCommand).resolves({});
    let handler: ((event: unknown, context: Context) => Promise<Decision>) | undefined;
    jest.isolateModules(() => {
      const engineModule =
        require('../../../lambda/decision/cedar-engine') as typeof import('../../../lambda/decision/cedar-engine');
      jest.spyOn(engineModule.CedarEngine, 'load').mockImplementation(() => {
        throw new Error('the policy set lacks the moratorium rule(s) moratorium-in-force');
      });
      ({ handler } = require('../../../lambda/decision/handler') as {
        handler: (event: unknown, context: Context) => Promise<Decision>;
      });
    });
    try {
      await expect(
        handler!(ngoRequest(START), { getRemainingTimeInMillis: () => 5000 } as Context),
      ).rejects.toMatchObject({ name: 'PolicySetError', message: expect.stringMatching(/refusing to decide/) });
      expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
    } finally {
      dynamo.restore();
      jest.restoreAllMocks();
      process.env = saved;
    }
  });
});

const recordDeps = (clock = fixedClock(shift(START, 1000))): DecideAndRecordDeps => ({
  ...depsFor(exampleSettings, clock),
  ledger: new AuditLedger(DynamoDBDocumentClient.from(new DynamoDBClient({}), AUDIT_TRANSLATE_CONFIG), 'audit'),
  metrics: new Metrics({ namespace: 'GovernedRecognition', serviceName: 'policy' }),
  logger: new Logger({ logLevel: 'SILENT' }),
});

describe('decideAndRecord across the moratorium start', () => {
  afterEach(() => jest.restoreAllMocks());

  it('returns a fresh denial, not the ALLOW stored before the start, for a role tagged restricted since', async () => {
    // The NGO role was allowed a minute before the start; it has been tagged police since.
    mockIam({ 'govrec-ngo-child-rescue-uploader': POLICE_TAG });
    const request = ngoRequest(shift(START, -60_000));
    const storedAllow: Decision = {
      decisionId: decisionIdFor(request.object!),
      effect: 'ALLOW',
      reason: 'ALLOWED',
      policyIds: ['registered-use'],
      request,
      caller: { principalId: request.principalId, orgId: 'thorn-like', category: 'ngo', restricted: false },
      moratorium: { start: START, end: exampleSettings.moratorium.end, inForce: false },
      decidedAt: shift(START, -60_000),
    };
    const dynamo = mockClient(DynamoDBDocumentClient);
    dynamo
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }))
      .on(GetCommand)
      .resolves({ Item: { decision: storedAllow } });

    const answer = await decideAndRecord(request, recordDeps());

    expect(answer).toMatchObject({ effect: 'DENY', reason: 'MORATORIUM_IN_FORCE', caller: { restricted: true } });
    expect(answer.detail).toMatch(/supersedes the ALLOW decided at/);
  });

  it('does not record a POLICY_ERROR for an upload (IAM throttled): it throws so the worker retries', async () => {
    const iam = mockClient(IAMClient);
    iam.on(GetRoleCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const dynamo = mockClient(DynamoDBDocumentClient);
    dynamo.on(PutCommand).resolves({});

    await expect(decideAndRecord(ngoRequest(START), recordDeps())).rejects.toBeInstanceOf(DecisionNotRecordedError);
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 0);
  });
});

describe('the restricted tag', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is read from IAM on every decision a restriction can change, so a newly tagged role is refused at once', async () => {
    const iam = mockIam();
    const clock = settableClock(shift(START, 1000));
    const deps = {
      ...depsFor(exampleSettings, clock),
      identity: new IdentityResolver({ iam: new IAMClient({}), settings: exampleSettings, clock }),
    };
    const first = await decide(ngoRequest(shift(START, 1000)), deps);
    expect(first).toMatchObject({ effect: 'ALLOW' });

    // Tagged one second later; the registry load is still in its cache lifetime.
    iam.on(GetRoleCommand, { RoleName: 'govrec-ngo-child-rescue-uploader' }).resolves({
      Role: {
        RoleName: 'govrec-ngo-child-rescue-uploader',
        RoleId: 'AROATHORNLIKE000001',
        Arn: 'arn:aws:iam::111111111111:role/govrec-ngo-child-rescue-uploader',
        Path: '/',
        CreateDate: new Date(0),
        Tags: POLICE_TAG,
      },
    });
    clock.set(shift(START, 2000));
    const second = await decide(
      ngoRequest(shift(START, 2000), { principalId: principalOf('govrec-ngo-child-rescue-uploader', 'later') }),
      deps,
    );
    expect(second).toMatchObject({ effect: 'DENY', reason: 'MORATORIUM_IN_FORCE', caller: { restricted: true } });
  });
});
