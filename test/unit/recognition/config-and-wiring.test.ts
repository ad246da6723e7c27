import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import governance from '../../../config/governance.json';
import { loadConfig } from '../../../lambda/recognition/config';
import { powertoolsMetrics } from '../../../lambda/recognition/metrics';
import { MissingEnvironmentError } from '../../../lambda/shared/env';
import { s3Record, s3TestEvent, sqsEvent, sqsRecord, sqsS3Record } from '../../helpers/events';

const ENVIRONMENT = {
  AUDIT_TABLE_NAME: 'audit',
  IDEMPOTENCY_TABLE_NAME: 'idempotency',
  QUARANTINE_BUCKET_NAME: 'quarantine',
  RESULTS_BUCKET_NAME: 'results',
  POLICY_FUNCTION_NAME: 'policy',
  GOVREC_SETTINGS: JSON.stringify(governance),
};

describe('loadConfig', () => {
  it('reads every setting, with a 5 s policy timeout by default', () => {
    const config = loadConfig({ ...ENVIRONMENT });

    expect(config).toMatchObject({
      auditTableName: 'audit',
      idempotencyTableName: 'idempotency',
      quarantineBucket: 'quarantine',
      resultsBucket: 'results',
      policyFunctionName: 'policy',
      policyTimeoutMs: 5000,
      s3ForcePathStyle: false,
    });
    expect(config.settings.organisations.map((org) => org.id)).toEqual(['thorn-like', 'marinus-like', 'metro-police']);
  });

  it('takes the policy timeout and path-style S3 from the environment', () => {
    expect(loadConfig({ ...ENVIRONMENT, POLICY_TIMEOUT_MS: '1500', GOVREC_S3_FORCE_PATH_STYLE: 'true' })).toMatchObject(
      { policyTimeoutMs: 1500, s3ForcePathStyle: true },
    );
  });

  it.each(Object.keys(ENVIRONMENT))('names %s when it is missing', (key) => {
    const env: NodeJS.ProcessEnv = { ...ENVIRONMENT, [key]: undefined };
    expect(() => loadConfig(env)).toThrow(new MissingEnvironmentError(key));
  });
});

describe('powertoolsMetrics', () => {
  it('puts Uploads by Outcome and Rekognition calls by Operation on single metrics, the rest on the batch', () => {
    const single = { addDimension: jest.fn(), addMetric: jest.fn() };
    const metrics = { singleMetric: jest.fn(() => single), addMetric: jest.fn() } as unknown as Metrics;
    const recognition = powertoolsMetrics(metrics);

    recognition.upload('QUARANTINED');
    recognition.throttled('SearchFacesByImage');
    recognition.quarantined();
    recognition.endToEndLatency(1234);

    expect(single.addDimension.mock.calls).toEqual([
      ['Outcome', 'QUARANTINED'],
      ['Operation', 'SearchFacesByImage'],
    ]);
    expect(single.addMetric.mock.calls).toEqual([
      ['Uploads', MetricUnit.Count, 1],
      ['RekognitionThrottles', MetricUnit.Count, 1],
    ]);
    expect((metrics.addMetric as jest.Mock).mock.calls).toEqual([
      ['Quarantined', MetricUnit.Count, 1],
      ['EndToEndLatency', MetricUnit.Milliseconds, 1234],
    ]);
  });
});

describe('recognition handler module', () => {
  it('loads from the environment and acknowledges the S3 test event through middy', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, ENVIRONMENT);
    try {
      let handler: ((event: unknown, context: Context) => Promise<unknown>) | undefined;
      jest.isolateModules(() => {
        handler = require('../../../lambda/recognition/handler').handler;
      });
      const context = {
        functionName: 'recognition',
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:recognition',
        memoryLimitInMB: '512',
        awsRequestId: 'req-1',
        logGroupName: '/aws/lambda/recognition',
        logStreamName: 'stream',
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis: () => 30_000,
      } as unknown as Context;

      await expect(handler!(sqsEvent(sqsRecord(s3TestEvent(), 'm-test')), context)).resolves.toEqual({
        batchItemFailures: [],
      });
    } finally {
      process.env = saved;
    }
  });

  it('takes its time from the runtime clock, so the offline run can install a simulated one', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, ENVIRONMENT);
    const SIMULATED = '2031-03-04T05:06:07.089Z';
    let restore: () => void = () => undefined;
    try {
      // One module registry for the handler, the clock and the SDK classes the mocks replace.
      let run: () => Promise<unknown> = async () => undefined;
      let auditPuts: () => Record<string, unknown>[] = () => [];
      jest.isolateModules(() => {
        const { mockClient } = require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock');
        const { S3Client } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
        const { DynamoDBClient } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
        const { DynamoDBDocumentClient, PutCommand } =
          require('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb');
        const mocks = [
          mockClient(S3Client).resolves({}),
          mockClient(DynamoDBClient).resolves({}),
          mockClient(DynamoDBDocumentClient).resolves({}),
        ];
        const documents = mocks[2]!;
        const { useRuntimeClock } =
          require('../../../lambda/shared/clock') as typeof import('../../../lambda/shared/clock');
        const { fixedClock } =
          require('../../../lambda/shared/moratorium') as typeof import('../../../lambda/shared/moratorium');
        const { lambdaHandler } =
          require('../../../lambda/recognition/handler') as typeof import('../../../lambda/recognition/handler');
        useRuntimeClock(fixedClock(SIMULATED));
        // A key outside the intake layout: the handler denies it itself (no policy, no Rekognition).
        const event = sqsEvent(sqsS3Record([s3Record({ key: 'incoming/not-a-layout.jpg', versionId: 'v-1' })]));
        run = () => lambdaHandler(event, { getRemainingTimeInMillis: () => 30_000 } as Context);
        auditPuts = () =>
          documents.commandCalls(PutCommand).map((call) => call.args[0].input.Item as Record<string, unknown>);
        restore = () => {
          for (const mock of mocks) mock.restore();
        };
      });

      await expect(run()).resolves.toEqual({ batchItemFailures: [] });

      expect(auditPuts().map((item) => [item.entry, item.decidedAt ?? item.recordedAt])).toEqual([
        ['DECISION', SIMULATED],
        ['INTENT', SIMULATED],
        ['OUTCOME', SIMULATED],
      ]);
    } finally {
      restore();
      process.env = saved;
    }
  });
});
