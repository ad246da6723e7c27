import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DetectFacesCommand, SearchFacesByImageCommand } from '@aws-sdk/client-rekognition';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { decisionIdFor } from '../../../lambda/shared/audit';
import { s3Record, s3TestEvent, sqsEvent, sqsRecord, sqsS3Record } from '../../helpers/events';
import { createHarness, type Harness, JPEG } from './harness';

const KEY = 'incoming/thorn-like/search/child.jpg';
const OBJECT = { bucket: 'govrec-intake', key: KEY, versionId: 'v-1' };
const waitFor = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
};
const throttling = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

describe('recognition handler on SQS batches', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = createHarness();
    harness.putObject(KEY, 'v-1', { body: JPEG });
  });
  afterEach(() => harness.reset());

  it('calls Rekognition once when the same event is delivered twice', async () => {
    const event = sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-1' })]));

    const first = await harness.run(event);
    const second = await harness.run(event);

    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 1);
    expect(harness.mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
  });

  it('counts a re-delivery that finds the outcome in the ledger as DUPLICATE', async () => {
    const event = sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-1' })]));
    await harness.run(event);
    harness.idempotency.clear();
    harness.metricsLog.length = 0;

    await harness.run(event);

    expect(harness.metricsLog).toEqual(['Uploads:DUPLICATE=1']);
  });

  it('calls Rekognition once when a re-delivery arrives after the idempotency record is gone', async () => {
    const event = sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-1' })]));

    await harness.run(event);
    harness.idempotency.clear();
    const again = await harness.run(event);

    expect(again.batchItemFailures).toEqual([]);
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 1);
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
  });

  it('treats two notifications for the same object version in one batch as one upload', async () => {
    const record = s3Record({ key: KEY, versionId: 'v-1' });

    const response = await harness.run(
      sqsEvent(
        sqsS3Record([record], 'm-1'),
        sqsS3Record([{ ...record, eventTime: '2027-01-01T00:00:01.000Z' }], 'm-2'),
      ),
    );

    // Messages run one after the other, so the twin finds the upload completed and is acknowledged.
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 1);
    expect(harness.mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
  });

  it('sends the twin of an upload still in progress (another invocation) back to the queue', async () => {
    const record = s3Record({ key: KEY, versionId: 'v-1' });
    let release: () => void = () => undefined;
    harness.mocks.rekognition
      .on(SearchFacesByImageCommand)
      .callsFake(() => new Promise((resolve) => (release = () => resolve({ FaceMatches: [] }))));

    const first = harness.run(sqsEvent(sqsS3Record([record], 'm-1')));
    await waitFor(() => harness.rekognitionCalls() === 1);
    const twin = await harness.run(sqsEvent(sqsS3Record([record], 'm-2')));
    release();

    expect(twin.batchItemFailures).toEqual([{ itemIdentifier: 'm-2' }]);
    expect((await first).batchItemFailures).toEqual([]);
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 1);
  });

  it('has at most one Rekognition call in flight per invocation', async () => {
    const keys = Array.from({ length: 5 }, (_, i) => `incoming/thorn-like/detect/crowd-${i}.jpg`);
    for (const key of keys) harness.putObject(key, 'v-1', { body: JPEG });
    let inFlight = 0;
    let most = 0;
    harness.mocks.rekognition.on(DetectFacesCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { FaceDetails: [] };
    });

    const response = await harness.run(
      sqsEvent(...keys.map((key, i) => sqsS3Record([s3Record({ key, versionId: 'v-1' })], `m-${i}`))),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(DetectFacesCommand, 5);
    expect(most).toBe(1);
  });

  it('retries throttling with growing jittered delays, then fails only that message', async () => {
    harness.mocks.rekognition.on(SearchFacesByImageCommand).rejects(throttling());

    const response = await harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-1' })], 'm-throttled')),
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-throttled' }]);
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 3);
    expect(harness.sleep.mock.calls).toEqual([[50], [100]]);
    expect(harness.metricsLog).toEqual(
      Array.from({ length: 3 }, () => [
        'RekognitionCalls:SearchFacesByImage=1',
        'RekognitionErrors:SearchFacesByImage=1',
        'RekognitionThrottles:SearchFacesByImage=1',
      ]).flat(),
    );
    expect(harness.ledgerEntry(decisionIdFor(OBJECT), 'OUTCOME')).toBeUndefined();
  });

  it('recognises on the re-delivery after throttling eased', async () => {
    harness.mocks.rekognition.on(SearchFacesByImageCommand).rejects(throttling());
    const event = sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-1' })]));
    await harness.run(event);
    harness.mocks.rekognition.on(SearchFacesByImageCommand).resolves({ FaceMatches: [] });

    const retry = await harness.run(event);

    expect(retry.batchItemFailures).toEqual([]);
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 4);
    expect(harness.ledgerEntry(decisionIdFor(OBJECT), 'OUTCOME')).toMatchObject({ outcome: 'RECOGNIZED' });
  });

  it.each(['ProvisionedThroughputExceededException', 'LimitExceededException'])(
    'retries %s like throttling',
    async (name) => {
      harness.mocks.rekognition
        .on(SearchFacesByImageCommand)
        .rejectsOnce(Object.assign(new Error('slow down'), { name }))
        .resolves({ FaceMatches: [] });

      const response = await harness.run(sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-1' })])));

      expect(response.batchItemFailures).toEqual([]);
      expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 2);
    },
  );

  it('fails only the messages that cannot be read, and settles a vanished upload as GONE', async () => {
    const detectKey = 'incoming/thorn-like/detect/ok.jpg';
    harness.putObject(detectKey, 'v-2', { body: JPEG });

    const response = await harness.run(
      sqsEvent(
        sqsS3Record([s3Record({ key: detectKey, versionId: 'v-2' })], 'm-good'),
        sqsRecord('this is not json', 'm-poison'),
        sqsS3Record([s3Record({ key: 'incoming/thorn-like/detect/vanished.jpg', versionId: 'v-3' })], 'm-missing'),
        sqsRecord({ Records: [{ unexpected: true }] }, 'm-shape'),
      ),
    );

    // Messages run one at a time, so failures are reported in batch order.
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-poison' }, { itemIdentifier: 'm-shape' }]);
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(DetectFacesCommand, 1);
    const vanished = decisionIdFor({
      bucket: 'govrec-intake',
      key: 'incoming/thorn-like/detect/vanished.jpg',
      versionId: 'v-3',
    });
    expect(harness.ledgerEntry(vanished, 'OUTCOME')).toMatchObject({ outcome: 'GONE' });
  });

  it('acknowledges the S3 test event and does nothing else', async () => {
    const response = await harness.run(sqsEvent(sqsRecord(s3TestEvent(), 'm-test')));

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.mocks.s3.calls()).toHaveLength(0);
    expect(harness.mocks.lambda.calls()).toHaveLength(0);
    expect(harness.mocks.rekognition.calls()).toHaveLength(0);
  });

  it('skips S3 events that are not object-created', async () => {
    const response = await harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-1', eventName: 'ObjectRemoved:Delete' })])),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.mocks.s3.calls()).toHaveLength(0);
  });

  it('processes every record of a multi-record notification', async () => {
    const second = 'incoming/thorn-like/detect/second.jpg';
    harness.putObject(second, 'v-9', { body: JPEG });

    await harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-1' }), s3Record({ key: second, versionId: 'v-9' })])),
    );

    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 1);
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(DetectFacesCommand, 1);
  });
});
