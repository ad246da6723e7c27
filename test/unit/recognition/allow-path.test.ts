import { createHash } from 'node:crypto';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DetectFacesCommand, IndexFacesCommand, SearchFacesByImageCommand } from '@aws-sdk/client-rekognition';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { MAX_INLINE_BYTES } from '../../../lambda/recognition/image';
import { decisionIdFor } from '../../../lambda/shared/audit';
import { s3Record, sqsEvent, sqsS3Record } from '../../helpers/events';
import { createHarness, type Harness, JPEG, PNG, RESULTS_BUCKET } from './harness';

const KEY_BY_OP = {
  search: 'incoming/thorn-like/search/child.jpg',
  detect: 'incoming/thorn-like/detect/child.jpg',
  index: 'incoming/thorn-like/index/child.jpg',
};
const object = (key: string) => ({ bucket: 'govrec-intake', key, versionId: 'v-1' });

describe('recognition handler on an allowed upload', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = createHarness();
  });
  afterEach(() => harness.reset());

  it('sends exactly one SearchFacesByImage against the organisation collection and writes the result', async () => {
    harness.putObject(KEY_BY_OP.search, 'v-1', { body: JPEG });

    const response = await harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: KEY_BY_OP.search, versionId: 'v-1', size: JPEG.length })])),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 1);
    expect(harness.mocks.rekognition).toHaveReceivedCommandWith(SearchFacesByImageCommand, {
      CollectionId: 'child-rescue-faces',
      FaceMatchThreshold: 80,
      MaxFaces: 10,
      Image: { Bytes: new Uint8Array(JPEG) },
    });
    const put = harness.mocks.s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put.Bucket).toBe(RESULTS_BUCKET);
    expect(put.Key).toBe('results/thorn-like/search/child.jpg.json');
    const result = JSON.parse(put.Body as string);
    expect(result).toMatchObject({
      decisionId: decisionIdFor(object(KEY_BY_OP.search)),
      recognisedAt: '2027-01-01T00:00:05.000Z',
      operation: 'SearchFacesByImage',
      summary: { faces: 1, matches: 2, bestSimilarity: 97.25 },
      response: { FaceModelVersion: '7.0', SearchedFaceConfidence: 99.9 },
    });
    const outcome = harness.ledgerEntry(decisionIdFor(object(KEY_BY_OP.search)), 'OUTCOME');
    expect(outcome?.outcome).toBe('RECOGNIZED');
    expect((outcome?.record as { summary?: unknown } | undefined)?.summary).toEqual({
      faces: 1,
      matches: 2,
      bestSimilarity: 97.25,
    });
    expect(harness.metricsLog).toEqual([
      'RekognitionCalls:SearchFacesByImage=1',
      'Uploads:RECOGNIZED=1',
      'EndToEndLatency=5000',
    ]);
  });

  it('asks the policy Lambda with the caller, organisation, operation, purpose, event time and exact object', async () => {
    harness.putObject(KEY_BY_OP.detect, 'v-1', { body: PNG, metadata: { purpose: 'victim-identification' } });

    await harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: KEY_BY_OP.detect, versionId: 'v-1', principalId: 'AWS:AROAX:alice' })])),
    );

    expect(harness.mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    const input = harness.mocks.lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input.FunctionName).toBe('govrec-policy');
    expect(input.InvocationType).toBe('RequestResponse');
    expect(harness.policyRequests()).toEqual([
      {
        principalId: 'AWS:AROAX:alice',
        orgId: 'thorn-like',
        operation: 'detect',
        purpose: 'victim-identification',
        at: '2027-01-01T00:00:00.000Z',
        object: object(KEY_BY_OP.detect),
      },
    ]);
    expect(harness.mocks.s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'govrec-intake',
      Key: KEY_BY_OP.detect,
      VersionId: 'v-1',
    });
  });

  it('uses the organisation first registered purpose when the object has no purpose metadata', async () => {
    harness.putObject(KEY_BY_OP.detect, 'v-1', { body: JPEG });

    await harness.run(sqsEvent(sqsS3Record([s3Record({ key: KEY_BY_OP.detect, versionId: 'v-1' })])));

    expect(harness.policyRequests()[0]?.purpose).toBe('child-rescue');
  });

  it('sends DetectFaces with DEFAULT attributes', async () => {
    harness.putObject(KEY_BY_OP.detect, 'v-1', { body: JPEG });

    await harness.run(sqsEvent(sqsS3Record([s3Record({ key: KEY_BY_OP.detect, versionId: 'v-1' })])));

    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(DetectFacesCommand, 1);
    expect(harness.mocks.rekognition).toHaveReceivedCommandWith(DetectFacesCommand, {
      Attributes: ['DEFAULT'],
      Image: { Bytes: new Uint8Array(JPEG) },
    });
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 0);
  });

  it('sends IndexFaces with a safe external image id, one face and the AUTO quality filter', async () => {
    const key = 'incoming/thorn-like/index/girl (2) é.jpg';
    harness.putObject(key, 'v-1', { body: JPEG });

    await harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: 'incoming/thorn-like/index/girl+%282%29+%C3%A9.jpg', versionId: 'v-1' })])),
    );

    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(IndexFacesCommand, 1);
    const input = harness.mocks.rekognition.commandCalls(IndexFacesCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ CollectionId: 'child-rescue-faces', MaxFaces: 1, QualityFilter: 'AUTO' });
    expect(input.ExternalImageId).toBe(`girl__2___.jpg:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`);
    expect(input.ExternalImageId).toMatch(/^[a-zA-Z0-9_.\-:]+$/);
  });

  it('references the S3 object version instead of sending bytes above 5 MB', async () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(MAX_INLINE_BYTES + 1 - JPEG.length)]);
    harness.putObject(KEY_BY_OP.search, 'v-1', { body: big });

    await harness.run(sqsEvent(sqsS3Record([s3Record({ key: KEY_BY_OP.search, versionId: 'v-1', size: big.length })])));

    expect(harness.mocks.rekognition).toHaveReceivedCommandWith(SearchFacesByImageCommand, {
      Image: { S3Object: { Bucket: 'govrec-intake', Name: KEY_BY_OP.search, Version: 'v-1' } },
    });
  });

  it('records a RECOGNIZED outcome with zero faces when Rekognition finds no face', async () => {
    harness.mocks.rekognition.on(SearchFacesByImageCommand).rejects(
      Object.assign(new Error('There are no faces in the image. Should be at least 1.'), {
        name: 'InvalidParameterException',
      }),
    );
    harness.putObject(KEY_BY_OP.search, 'v-1', { body: JPEG });

    const response = await harness.run(sqsEvent(sqsS3Record([s3Record({ key: KEY_BY_OP.search, versionId: 'v-1' })])));

    expect(response.batchItemFailures).toEqual([]);
    const outcome = harness.ledgerEntry(decisionIdFor(object(KEY_BY_OP.search)), 'OUTCOME');
    expect(outcome?.outcome).toBe('RECOGNIZED');
    expect((outcome?.record as { summary?: unknown } | undefined)?.summary).toEqual({
      faces: 0,
      matches: 0,
      errorCode: 'InvalidParameterException',
    });
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 1);
  });
});
