import { DetectFacesCommand, SearchFacesByImageCommand } from '@aws-sdk/client-rekognition';
import { CopyObjectCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { isNoFaceAnswer } from '../../../lambda/recognition/rekognition';
import { decisionIdFor } from '../../../lambda/shared/audit';
import { OPERATIONS } from '../../../lambda/shared/settings';
import { s3Record, sqsEvent, sqsS3Record } from '../../helpers/events';
import { createHarness, type Harness, JPEG, QUARANTINE_BUCKET } from './harness';

const NO_FACE = 'There are no faces in the image. Should be at least 1.';
const rekognitionError = (name: string, message: string) => Object.assign(new Error(message), { name });
const SEARCH_KEY = 'incoming/thorn-like/search/photo.jpg';
const DETECT_KEY = 'incoming/thorn-like/detect/photo.jpg';
const objectOf = (key: string) => ({ bucket: 'govrec-intake', key, versionId: 'v-1' });

describe('recognition handler on a Rekognition error about the image', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = createHarness();
    harness.putObject(SEARCH_KEY, 'v-1', { body: JPEG });
    harness.putObject(DETECT_KEY, 'v-1', { body: JPEG });
  });
  afterEach(() => harness.reset());

  it.each<[string, 'search' | 'detect', string, string]>([
    ['InvalidImageFormatException', 'search', 'InvalidImageFormatException', 'Request has invalid image format'],
    ['ImageTooLargeException', 'search', 'ImageTooLargeException', 'Image size is too large.'],
    [
      'InvalidS3ObjectException',
      'search',
      'InvalidS3ObjectException',
      'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
    ],
    [
      'an InvalidParameterException that is not "no faces"',
      'search',
      'InvalidParameterException',
      'Requested image should either contain bytes or s3 object.',
    ],
    [
      'DetectFaces answering InvalidParameterException with the no-face text',
      'detect',
      'InvalidParameterException',
      NO_FACE,
    ],
    [
      'InvalidImageFormatException on DetectFaces',
      'detect',
      'InvalidImageFormatException',
      'Request has invalid image format',
    ],
  ])(
    'rejects the upload to quarantine as INVALID_IMAGE on %s, without a retry or a dead letter',
    async (_label, operation, name, message) => {
      const key = operation === 'search' ? SEARCH_KEY : DETECT_KEY;
      const decisionId = decisionIdFor(objectOf(key));
      if (operation === 'search')
        harness.mocks.rekognition.on(SearchFacesByImageCommand).rejects(rekognitionError(name, message));
      else harness.mocks.rekognition.on(DetectFacesCommand).rejects(rekognitionError(name, message));

      const response = await harness.run(sqsEvent(sqsS3Record([s3Record({ key, versionId: 'v-1' })])));

      expect(response.batchItemFailures).toEqual([]);
      expect(harness.rekognitionCalls()).toBe(1);
      expect(harness.sleep).not.toHaveBeenCalled();
      expect(harness.mocks.s3).toHaveReceivedCommandWith(CopyObjectCommand, {
        Bucket: QUARANTINE_BUCKET,
        Key: `quarantine/thorn-like/${operation}/photo.jpg`,
        Tagging: `govrec%3AdecisionId=${decisionId}&govrec%3Areason=INVALID_IMAGE&govrec%3Aorg=thorn-like`,
      });
      expect(harness.mocks.s3).toHaveReceivedCommandWith(DeleteObjectCommand, {
        Bucket: 'govrec-intake',
        Key: key,
        VersionId: 'v-1',
      });
      expect(harness.mocks.s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
      expect(harness.ledgerEntry(decisionId, 'DECISION')).toMatchObject({ effect: 'ALLOW', reason: 'ALLOWED' });
      expect(harness.ledgerEntry(decisionId, 'OUTCOME')).toMatchObject({ outcome: 'REJECTED' });
      expect(harness.ledgerEntry(decisionId, 'OUTCOME')?.record).toMatchObject({
        reason: 'INVALID_IMAGE',
        summary: { errorCode: name },
      });
      expect(harness.metricsLog).toEqual([
        `RekognitionCalls:${OPERATIONS[operation]}=1`,
        `RekognitionErrors:${OPERATIONS[operation]}=1`,
        'Quarantined=1',
        'Uploads:REJECTED=1',
        'EndToEndLatency=5000',
      ]);
    },
  );

  it("records a RECOGNIZED outcome with zero faces only for SearchFacesByImage's own no-face answer", async () => {
    harness.mocks.rekognition
      .on(SearchFacesByImageCommand)
      .rejects(rekognitionError('InvalidParameterException', NO_FACE));

    await harness.run(sqsEvent(sqsS3Record([s3Record({ key: SEARCH_KEY, versionId: 'v-1' })])));

    expect(harness.ledgerEntry(decisionIdFor(objectOf(SEARCH_KEY)), 'OUTCOME')).toMatchObject({
      outcome: 'RECOGNIZED',
    });
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  });

  it('leaves an error that is not about the image to the retry and the dead-letter queue', async () => {
    harness.mocks.rekognition
      .on(SearchFacesByImageCommand)
      .rejects(rekognitionError('AccessDeniedException', 'not authorised'));

    const response = await harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: SEARCH_KEY, versionId: 'v-1' })], 'm-denied')),
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-denied' }]);
    expect(harness.ledgerEntry(decisionIdFor(objectOf(SEARCH_KEY)), 'OUTCOME')).toBeUndefined();
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(CopyObjectCommand, 0);
  });
});

describe('isNoFaceAnswer', () => {
  it.each<[string, string, string, boolean]>([
    [OPERATIONS.search, 'InvalidParameterException', NO_FACE, true],
    [OPERATIONS.search, 'InvalidParameterException', 'There are no faces in the image', true],
    [OPERATIONS.search, 'InvalidParameterException', 'There are no faces in the Image. Should be at least 1.', true],
    [OPERATIONS.search, 'InvalidParameterException', 'Invalid collection id', false],
    [OPERATIONS.search, 'InvalidImageFormatException', NO_FACE, false],
    [OPERATIONS.detect, 'InvalidParameterException', NO_FACE, false],
    [OPERATIONS.index, 'InvalidParameterException', NO_FACE, false],
  ])('on %s, %s "%s" is %s', (operation, name, message, expected) => {
    expect(
      isNoFaceAnswer(operation as (typeof OPERATIONS)[keyof typeof OPERATIONS], rekognitionError(name, message)),
    ).toBe(expected);
  });
});
