/**
 * The bench-only ungoverned variant: what it skips (the policy Lambda, the DECISION record) and
 * what it keeps (the real reading, verification, Rekognition call, result and OUTCOME record),
 * so the governance overhead it measures is the policy step and nothing else.
 */
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DetectFacesCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { processUploadUngoverned } from '../../../bench/governance/ungoverned';
import { BenchSanityError } from '../../../bench/lib/errors';
import { exampleGovernance } from '../../../bench/lib/repo';
import { noMetrics } from '../../../lambda/recognition/metrics';
import type { S3NotificationRecord } from '../../../lambda/recognition/notification';
import { RekognitionGateway } from '../../../lambda/recognition/rekognition';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger, decisionIdFor } from '../../../lambda/shared/audit';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { logger } from '../../../lambda/shared/powertools';
import { parseGovernance } from '../../../lambda/shared/settings';
import { s3Record } from '../../helpers/events';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);

describe('processUploadUngoverned', () => {
  const s3 = new S3Client({});
  const lambda = new LambdaClient({});
  const rekognition = new RekognitionClient({ maxAttempts: 1 });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), AUDIT_TRANSLATE_CONFIG);
  const mocks = {
    s3: mockClient(s3),
    lambda: mockClient(lambda),
    rekognition: mockClient(rekognition),
    audit: mockClient(documents),
  };
  const items: Record<string, unknown>[] = [];
  const deps = {
    s3,
    lambda,
    ledger: new AuditLedger(documents, 'audit'),
    rekognition: new RekognitionGateway(rekognition, noMetrics),
    settings: parseGovernance(exampleGovernance().json),
    clock: fixedClock('2027-01-01T00:00:05.000Z'),
    metrics: noMetrics,
    logger,
    quarantineBucket: 'govrec-quarantine',
    resultsBucket: 'govrec-results',
    policyFunctionName: 'govrec-policy',
    policyTimeoutMs: 5000,
    maxReceiveCount: 5,
  };

  beforeEach(() => {
    items.length = 0;
    for (const mock of Object.values(mocks)) mock.reset();
    mocks.s3
      .on(GetObjectCommand)
      .callsFake(() => ({ Body: sdkStreamMixin(Readable.from([PNG])), ContentLength: PNG.length, Metadata: {} }));
    mocks.s3.on(PutObjectCommand).resolves({});
    mocks.rekognition.on(DetectFacesCommand).resolves({ FaceDetails: [{ Confidence: 99 }] });
    mocks.audit.on(PutCommand).callsFake((input) => {
      items.push(input.Item as Record<string, unknown>);
      return {};
    });
    mocks.audit.on(GetCommand).resolves({});
  });

  const record = (key: string) => s3Record({ key, versionId: 'v1' }) as unknown as S3NotificationRecord;

  it('recognises the upload and records one OUTCOME without asking the policy Lambda or recording a DECISION', async () => {
    const result = await processUploadUngoverned(record('incoming/thorn-like/detect/a.png'), deps);

    const decisionId = decisionIdFor({
      bucket: 'govrec-intake',
      key: 'incoming/thorn-like/detect/a.png',
      versionId: 'v1',
    });
    expect(result).toMatchObject({ decisionId, outcome: 'RECOGNIZED', duplicate: false });
    expect(mocks.lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(mocks.rekognition.commandCalls(DetectFacesCommand)).toHaveLength(1);
    expect(items.map((item) => [item.decisionId, item.entry, item.outcome])).toEqual([
      [decisionId, 'OUTCOME', 'RECOGNIZED'],
    ]);
    expect(
      mocks.s3.commandCalls(PutObjectCommand).map((call) => [call.args[0].input.Bucket, call.args[0].input.Key]),
    ).toEqual([['govrec-results', 'results/thorn-like/detect/a.png.json']]);
  });

  it.each([
    ['a key outside the intake layout', 'incoming/a.png'],
    ['an organisation that is not registered', 'incoming/nobody-here/detect/a.png'],
  ])('fails loudly on %s instead of producing a number', async (_case, key) => {
    await expect(processUploadUngoverned(record(key), deps)).rejects.toThrow(BenchSanityError);
    expect(mocks.rekognition.commandCalls(DetectFacesCommand)).toHaveLength(0);
  });
});
