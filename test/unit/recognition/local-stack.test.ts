/**
 * The recognition logic against real S3 and DynamoDB protocol stand-ins (s3rver with versioned
 * buckets, dynalite with the audit and idempotency tables), with the clients built by
 * `createClients` from `AWS_ENDPOINT_URL_*` only. The policy Lambda and Rekognition are mocked.
 */

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { DetectFacesCommand, type RekognitionClient } from '@aws-sdk/client-rekognition';
import { DeleteObjectCommand, GetObjectCommand, GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { createIdempotencyConfig, createMessageHandler } from '../../../lambda/recognition/batch';
import { createClients, type RecognitionClients } from '../../../lambda/recognition/clients';
import { noMetrics } from '../../../lambda/recognition/metrics';
import { RekognitionGateway } from '../../../lambda/recognition/rekognition';
import { AUDIT_INDEXES, AUDIT_KEYS, AuditLedger, decisionIdFor } from '../../../lambda/shared/audit';
import type { PolicyRequest } from '../../../lambda/shared/decision';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { logger } from '../../../lambda/shared/powertools';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb';
import { type LocalS3, startLocalS3 } from '../../../local/s3';
import { Sequencer } from '../../../local/s3-events';
import { uploadAs } from '../../../local/s3-upload';
import { sqsEvent, sqsS3Record } from '../../helpers/events';
import { allowFor, answer, JPEG, NOW, SETTINGS } from './harness';

const INTAKE = 'intake';
const QUARANTINE = 'quarantine';
const RESULTS = 'results';

describe('recognition handler against s3rver and dynalite', () => {
  let s3: LocalS3;
  let ddb: LocalDynamoDb;
  let clients: RecognitionClients;
  let lambdaMock: AwsClientStub<LambdaClient>;
  let rekognitionMock: AwsClientStub<RekognitionClient>;
  let run: (body: Parameters<typeof sqsS3Record>[0]) => ReturnType<typeof processPartialResponse>;
  const sequencer = new Sequencer();
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    s3 = await startLocalS3({
      buckets: [{ name: INTAKE, versioned: true }, { name: QUARANTINE, versioned: true }, { name: RESULTS }],
    });
    ddb = await startLocalDynamoDb();
    await ddb.client.send(
      new CreateTableCommand({
        TableName: 'audit',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: AUDIT_KEYS.partition, KeyType: 'HASH' },
          { AttributeName: AUDIT_KEYS.sort, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          ...new Set([
            AUDIT_KEYS.partition,
            AUDIT_KEYS.sort,
            ...Object.values(AUDIT_INDEXES).flatMap((keys) => [keys.partition, keys.sort]),
          ]),
        ].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
        GlobalSecondaryIndexes: Object.entries(AUDIT_INDEXES).map(([name, keys]) => ({
          IndexName: name,
          KeySchema: [
            { AttributeName: keys.partition, KeyType: 'HASH' },
            { AttributeName: keys.sort, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    await ddb.client.send(
      new CreateTableCommand({
        TableName: 'idempotency',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      }),
    );
    Object.assign(process.env, s3.env, ddb.env);
    clients = createClients({ s3ForcePathStyle: true });
    lambdaMock = mockClient(clients.lambda);
    rekognitionMock = mockClient(clients.rekognition);
    const deps = {
      s3: clients.s3,
      lambda: clients.lambda,
      ledger: new AuditLedger(clients.auditDocuments, 'audit'),
      rekognition: new RekognitionGateway(clients.rekognition, noMetrics),
      settings: SETTINGS,
      clock: fixedClock(NOW),
      metrics: noMetrics,
      logger,
      quarantineBucket: QUARANTINE,
      resultsBucket: RESULTS,
      policyFunctionName: 'policy',
      policyTimeoutMs: 2000,
      maxReceiveCount: 5,
    };
    const config = createIdempotencyConfig();
    config.registerLambdaContext({ getRemainingTimeInMillis: () => 30_000 } as Context);
    const handler = createMessageHandler(
      deps,
      new DynamoDBPersistenceLayer({ tableName: 'idempotency', awsSdkV3Client: clients.dynamodb }),
      config,
    );
    run = async (records) =>
      processPartialResponse(sqsEvent(sqsS3Record(records)), handler, new BatchProcessor(EventType.SQS), {
        throwOnFullBatchFailure: false,
      });
  });

  afterAll(async () => {
    process.env = savedEnv;
    await s3?.stop();
    await ddb?.stop();
  });

  beforeEach(() => {
    lambdaMock.reset();
    rekognitionMock.reset();
    lambdaMock
      .on(InvokeCommand)
      .callsFake((input) =>
        answer(allowFor(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)) as PolicyRequest)),
      );
    rekognitionMock.on(DetectFacesCommand).resolves({ FaceDetails: [{ Confidence: 99 }] });
  });

  const upload = (key: string, body: Uint8Array = JPEG) =>
    uploadAs(s3, {
      bucket: INTAKE,
      key,
      body,
      principalId: 'AWS:AROATHORN:uploader',
      eventTime: '2027-01-01T00:00:00.000Z',
      sequencer,
    });
  const readText = async (bucket: string, key: string) =>
    (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

  it('recognises an allowed upload with a space and an accent in its name and writes the result', async () => {
    const key = 'incoming/thorn-like/detect/café au lait.jpg';
    const { record, versionId } = await upload(key);

    const response = await run([record as never]);

    expect(response.batchItemFailures).toEqual([]);
    expect(rekognitionMock).toHaveReceivedCommandTimes(DetectFacesCommand, 1);
    const result = JSON.parse(await readText(RESULTS, 'results/thorn-like/detect/café au lait.jpg.json'));
    expect(result).toMatchObject({
      decisionId: decisionIdFor({ bucket: INTAKE, key, versionId }),
      summary: { faces: 1, matches: 0 },
    });
    const outcome = await new AuditLedger(clients.auditDocuments, 'audit').getOutcome(
      decisionIdFor({ bucket: INTAKE, key, versionId }),
    );
    expect(outcome).toMatchObject({ outcome: 'RECOGNIZED', orgId: 'thorn-like' });
  });

  it('moves a denied upload version to quarantine with its tags and removes it from intake', async () => {
    const key = 'incoming/metro-police/detect/red flower.jpg';
    const { record, versionId } = await upload(key);
    lambdaMock.on(InvokeCommand).callsFake((input) => {
      const request = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)) as PolicyRequest;
      return answer(allowFor(request, { effect: 'DENY', reason: 'MORATORIUM_IN_FORCE' }));
    });

    const response = await run([record as never]);

    expect(response.batchItemFailures).toEqual([]);
    expect(rekognitionMock.calls()).toHaveLength(0);
    expect(await readText(QUARANTINE, 'quarantine/metro-police/detect/red flower.jpg')).toBe(
      Buffer.from(JPEG).toString(),
    );
    const tags = await clients.s3.send(
      new GetObjectTaggingCommand({ Bucket: QUARANTINE, Key: 'quarantine/metro-police/detect/red flower.jpg' }),
    );
    expect(tags.TagSet).toEqual(
      expect.arrayContaining([
        { Key: 'govrec:decisionId', Value: decisionIdFor({ bucket: INTAKE, key, versionId }) },
        { Key: 'govrec:reason', Value: 'MORATORIUM_IN_FORCE' },
      ]),
    );
    // The decided version itself is gone (a delete marker alone would leave it readable by id).
    await expect(
      clients.s3.send(new GetObjectCommand({ Bucket: INTAKE, Key: key, VersionId: versionId })),
    ).rejects.toMatchObject({ name: expect.stringMatching(/^NoSuch(Version|Key)$/) });
    await expect(clients.s3.send(new GetObjectCommand({ Bucket: INTAKE, Key: key }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });

  it('keeps a version readable by its id behind a delete marker, so the check above fails for a delete without a version id', async () => {
    const key = 'incoming/metro-police/detect/hidden only.jpg';
    const { versionId } = await upload(key);

    const marker = await clients.s3.send(new DeleteObjectCommand({ Bucket: INTAKE, Key: key }));

    expect(marker.DeleteMarker).toBe(true);
    await expect(clients.s3.send(new GetObjectCommand({ Bucket: INTAKE, Key: key }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
    expect(
      await (
        await clients.s3.send(new GetObjectCommand({ Bucket: INTAKE, Key: key, VersionId: versionId }))
      ).Body!.transformToString(),
    ).toBe(Buffer.from(JPEG).toString());
  });

  it('rejects a non-image with a ledger entry whose index keys are all present', async () => {
    const key = 'incoming/thorn-like/detect/notes.jpg';
    const { record, versionId } = await upload(key, Buffer.from('plain text, not a picture'));

    const response = await run([record as never]);

    expect(response.batchItemFailures).toEqual([]);
    expect(lambdaMock.calls()).toHaveLength(0);
    const ledger = new AuditLedger(clients.auditDocuments, 'audit');
    expect(await ledger.getDecision(decisionIdFor({ bucket: INTAKE, key, versionId }))).toMatchObject({
      effect: 'DENY',
      reason: 'INVALID_IMAGE',
    });
    expect(await ledger.getOutcome(decisionIdFor({ bucket: INTAKE, key, versionId }))).toMatchObject({
      outcome: 'REJECTED',
    });
  });

  it('rejects a key outside the intake layout and files it under _unknown', async () => {
    const key = 'incoming/Not An Org.jpg';
    const { record, versionId } = await upload(key);

    const response = await run([record as never]);

    expect(response.batchItemFailures).toEqual([]);
    expect(await readText(QUARANTINE, 'quarantine/_unknown/Not An Org.jpg')).toBe(Buffer.from(JPEG).toString());
    const ledger = new AuditLedger(clients.auditDocuments, 'audit');
    expect(await ledger.getDecision(decisionIdFor({ bucket: INTAKE, key, versionId }))).toMatchObject({
      reason: 'INVALID_REQUEST',
      request: { orgId: '_unknown', operation: '(missing)' },
    });
  });

  it('does not call Rekognition again when the event is delivered again', async () => {
    const { record } = await upload('incoming/thorn-like/detect/twice.png');

    await run([record as never]);
    await run([record as never]);

    expect(rekognitionMock).toHaveReceivedCommandTimes(DetectFacesCommand, 1);
  });
});
