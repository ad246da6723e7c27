/**
 * An upload "as" an organisation's role: the object goes into the local S3 over the real API and
 * the event s3rver emitted for it comes back in the shape real S3 would deliver, carrying the
 * identity of the role that uploaded (s3rver cannot know it: it has one account).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3EventRecord } from 'aws-lambda';
import { LocalS3Error } from './errors';
import type { LocalS3 } from './s3';
import { fromS3rverRecord, type Sequencer } from './s3-events';

export interface UploadAsInput {
  readonly bucket: string;
  readonly key: string;
  readonly body: Uint8Array;
  readonly contentType?: string;
  /** `AWS:<role id>:<session>` of the uploading role. */
  readonly principalId: string;
  /** ISO instant on the simulated clock. */
  readonly eventTime: string;
  readonly sequencer: Sequencer;
  readonly sourceIPAddress?: string;
}

export interface UploadResult {
  readonly record: S3EventRecord;
  readonly versionId?: string;
  readonly eTag: string;
}

/**
 * Put an object and return the S3 event record for it.
 *
 * @example
 * const { record } = await uploadAs(s3, { bucket: 'intake', key: 'incoming/thorn-like/a.jpg', body,
 *   principalId: 'AWS:AROAEXAMPLE:ngo', eventTime: '2027-05-01T10:00:00.000Z', sequencer });
 * queue.send(s3EventMessageBody([record]));
 */
export const uploadAs = async (s3: LocalS3, input: UploadAsInput): Promise<UploadResult> => {
  s3.takeEmittedRecords(); // drop anything stale so the match below is this upload's
  const response = await s3.client.send(
    new PutObjectCommand({ Bucket: input.bucket, Key: input.key, Body: input.body, ContentType: input.contentType }),
  );
  const emitted = s3
    .takeEmittedRecords()
    .filter(
      (record) =>
        record.eventName === 'ObjectCreated:Put' &&
        record.s3.bucket.name === input.bucket &&
        record.s3.object.key === input.key,
    );
  const raw = emitted.at(-1);
  if (raw === undefined)
    throw new LocalS3Error(`s3rver emitted no ObjectCreated:Put event for s3://${input.bucket}/${input.key}`);
  const record = fromS3rverRecord(raw, {
    principalId: input.principalId,
    eventTime: input.eventTime,
    region: s3.region,
    versionId: response.VersionId,
    sequencer: input.sequencer.next(),
    sourceIPAddress: input.sourceIPAddress,
  });
  return { record, versionId: response.VersionId, eTag: record.s3.object.eTag };
};
