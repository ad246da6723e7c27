import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DetectFacesCommand } from '@aws-sdk/client-rekognition';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { MAX_S3_OBJECT_BYTES } from '../../../lambda/recognition/image';
import { decisionIdFor } from '../../../lambda/shared/audit';
import { s3Record, sqsEvent, sqsS3Record } from '../../helpers/events';
import { allowFor, answer, createHarness, type Harness, JPEG, QUARANTINE_BUCKET } from './harness';

const KEY = 'incoming/thorn-like/detect/upload.jpg';
const OBJECT = { bucket: 'govrec-intake', key: KEY, versionId: 'v-1' };

const expectNoPolicyNoRekognition = (harness: Harness): void => {
  expect(harness.mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 0);
  expect(harness.rekognitionCalls()).toBe(0);
};

describe('recognition handler on an input Rekognition cannot take', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = createHarness();
  });
  afterEach(() => harness.reset());

  it.each<[string, Buffer, number | undefined, number]>([
    ['a text file', Buffer.from('hello, this is not an image'), undefined, 27],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00'), undefined, 10],
    ['an object that is empty in S3 though the event says otherwise', Buffer.alloc(0), undefined, 100],
    ['an object over 15 MB in S3 though the event says otherwise', JPEG, MAX_S3_OBJECT_BYTES + 1, 100],
  ])('rejects %s as INVALID_IMAGE without asking the policy', async (_label, body, contentLength, eventSize) => {
    harness.putObject(KEY, 'v-1', { body, ...(contentLength !== undefined ? { contentLength } : {}) });

    const response = await harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-1', size: eventSize })])),
    );

    expect(response.batchItemFailures).toEqual([]);
    expectNoPolicyNoRekognition(harness);
    expect(harness.mocks.s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Bucket: QUARANTINE_BUCKET,
      Key: 'quarantine/thorn-like/detect/upload.jpg',
    });
    expect(harness.mocks.s3).toHaveReceivedCommandWith(PutObjectTaggingCommand, {
      Tagging: { TagSet: expect.arrayContaining([{ Key: 'govrec:reason', Value: 'INVALID_IMAGE' }]) },
    });
    expect(harness.mocks.s3).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Bucket: 'govrec-intake',
      Key: KEY,
      VersionId: 'v-1',
    });
    expect(harness.ledgerEntry(decisionIdFor(OBJECT), 'DECISION')).toMatchObject({
      effect: 'DENY',
      reason: 'INVALID_IMAGE',
      policyIds: [],
    });
    expect(harness.ledgerEntry(decisionIdFor(OBJECT), 'OUTCOME')).toMatchObject({ outcome: 'REJECTED' });
  });

  it.each<[string, number, boolean]>([
    ['0 bytes', 0, false],
    ['1 byte over 15 MB', MAX_S3_OBJECT_BYTES + 1, false],
    ['exactly 15 MB', MAX_S3_OBJECT_BYTES, true],
  ])('judges an event size of %s before reading the object', async (_label, size, read) => {
    harness.putObject(KEY, 'v-1', { body: JPEG, contentLength: size });

    await harness.run(sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-1', size })])));

    expect(harness.mocks.s3).toHaveReceivedCommandTimes(GetObjectCommand, read ? 1 : 0);
    if (!read) {
      expectNoPolicyNoRekognition(harness);
      expect(harness.ledgerEntry(decisionIdFor(OBJECT), 'OUTCOME')).toMatchObject({ outcome: 'REJECTED' });
    } else {
      expect(harness.mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    }
  });

  it.each<[string, string, string, string]>([
    ['no operation segment', 'incoming/thorn-like/photo.jpg', 'quarantine/thorn-like/photo.jpg', 'photo.jpg'],
    [
      'an unknown operation',
      'incoming/thorn-like/compare/photo.jpg',
      'quarantine/thorn-like/compare/photo.jpg',
      'compare',
    ],
    [
      'an organisation segment that is not a slug',
      'incoming/Thorn_Like/detect/photo.jpg',
      'quarantine/_unknown/Thorn_Like/detect/photo.jpg',
      'detect',
    ],
    ['an empty name', 'incoming/thorn-like/detect/', 'quarantine/thorn-like/detect/', 'detect'],
    ['a dot-dot segment', 'incoming/thorn-like/detect/../x.jpg', 'quarantine/thorn-like/detect/../x.jpg', 'detect'],
    ['nothing after the prefix', 'incoming/x.jpg', 'quarantine/_unknown/x.jpg', '(missing)'],
  ])('rejects a key with %s as INVALID_REQUEST before reading it', async (_label, key, quarantineKey, operation) => {
    harness.putObject(key, 'v-1', { body: JPEG });

    await harness.run(sqsEvent(sqsS3Record([s3Record({ key, versionId: 'v-1' })])));

    expectNoPolicyNoRekognition(harness);
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    expect(harness.mocks.s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Bucket: QUARANTINE_BUCKET,
      Key: quarantineKey,
    });
    const id = decisionIdFor({ bucket: 'govrec-intake', key, versionId: 'v-1' });
    expect(harness.ledgerEntry(id, 'DECISION')).toMatchObject({ effect: 'DENY', reason: 'INVALID_REQUEST', operation });
    expect(harness.ledgerEntry(id, 'OUTCOME')).toMatchObject({ outcome: 'REJECTED' });
  });
});

describe('recognition handler on URL-encoded keys', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = createHarness();
  });
  afterEach(() => harness.reset());

  it.each<[string, string, string]>([
    ['a space as +', 'incoming/thorn-like/detect/red+flower.jpg', 'incoming/thorn-like/detect/red flower.jpg'],
    ['non-ASCII UTF-8', 'incoming/thorn-like/detect/caf%C3%A9.jpg', 'incoming/thorn-like/detect/café.jpg'],
    ['an encoded plus', 'incoming/thorn-like/detect/a%2Bb.jpg', 'incoming/thorn-like/detect/a+b.jpg'],
  ])('reads, decides on and writes the result for the decoded key (%s)', async (_label, eventKey, key) => {
    harness.putObject(key, 'v-1', { body: JPEG });

    const response = await harness.run(sqsEvent(sqsS3Record([s3Record({ key: eventKey, versionId: 'v-1' })])));

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.mocks.s3).toHaveReceivedCommandWith(GetObjectCommand, { Key: key, VersionId: 'v-1' });
    expect(harness.policyRequests()[0]?.object).toEqual({ bucket: 'govrec-intake', key, versionId: 'v-1' });
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(DetectFacesCommand, 1);
    expect(
      harness.ledgerEntry(decisionIdFor({ bucket: 'govrec-intake', key, versionId: 'v-1' }), 'OUTCOME'),
    ).toMatchObject({ outcome: 'RECOGNIZED' });
  });

  it.each<[string, string, string]>([
    [
      'red+flower.jpg',
      'incoming/thorn-like/detect/red flower.jpg',
      'govrec-intake/incoming/thorn-like/detect/red%20flower.jpg?versionId=v-1',
    ],
    [
      'caf%C3%A9.jpg',
      'incoming/thorn-like/detect/café.jpg',
      'govrec-intake/incoming/thorn-like/detect/caf%C3%A9.jpg?versionId=v-1',
    ],
  ])('quarantines %s by its decoded key with an encoded copy source', async (name, key, copySource) => {
    harness.putObject(key, 'v-1', { body: JPEG });
    harness.setPolicy((request) => answer(allowFor(request, { effect: 'DENY', reason: 'NO_PERMIT', policyIds: [] })));

    await harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: `incoming/thorn-like/detect/${name}`, versionId: 'v-1' })])),
    );

    expect(harness.mocks.s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      CopySource: copySource,
      Key: `quarantine/thorn-like/detect/${key.split('/').pop()}`,
    });
    expect(harness.mocks.s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: key, VersionId: 'v-1' });
  });
});
