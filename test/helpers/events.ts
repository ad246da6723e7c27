/**
 * Builders for the events the pipeline receives: S3 object-created records (as real S3 sends
 * them: URL-encoded keys, `+` for spaces), their SQS envelopes and SQS batches.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';

export interface S3RecordOptions {
  readonly bucket?: string;
  /** The key as S3 puts it in the event, i.e. already URL-encoded. */
  readonly key: string;
  readonly size?: number;
  readonly versionId?: string;
  readonly principalId?: string;
  readonly eventTime?: string;
  readonly eventName?: string;
}

export const INTAKE_BUCKET = 'govrec-intake';

/**
 * Encode a key the way S3 does in event notifications: percent-encoded UTF-8, spaces as `+`.
 *
 * @example
 * encodeEventKey('incoming/ngo/detect/café au lait.jpg') // 'incoming/ngo/detect/caf%C3%A9+au+lait.jpg'
 */
export const encodeEventKey = (key: string): string =>
  key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%20/g, '+'))
    .join('/');

/** One S3 event record, shaped like S3's (eventVersion 2.1). */
export const s3Record = (options: S3RecordOptions) => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: 'eu-west-1',
  eventTime: options.eventTime ?? '2027-01-01T00:00:00.000Z',
  eventName: options.eventName ?? 'ObjectCreated:Put',
  userIdentity: { principalId: options.principalId ?? 'AWS:AROAEXAMPLEROLEID01:uploader' },
  requestParameters: { sourceIPAddress: '203.0.113.10' },
  responseElements: { 'x-amz-request-id': 'REQ', 'x-amz-id-2': 'ID2' },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId: 'intake',
    bucket: {
      name: options.bucket ?? INTAKE_BUCKET,
      ownerIdentity: { principalId: 'OWNER' },
      arn: `arn:aws:s3:::${options.bucket ?? INTAKE_BUCKET}`,
    },
    object: {
      key: options.key,
      size: options.size ?? 1024,
      eTag: '0123456789abcdef0123456789abcdef',
      ...(options.versionId !== undefined ? { versionId: options.versionId } : {}),
      sequencer: '0055AED6DCD90281E5',
    },
  },
});

/** The notification S3 sends once when a bucket notification is configured. */
export const s3TestEvent = () => ({
  Service: 'Amazon S3',
  Event: 's3:TestEvent',
  Time: '2027-01-01T00:00:00.000Z',
  Bucket: INTAKE_BUCKET,
  RequestId: 'REQ',
  HostId: 'HOST',
});

/** An SQS message whose body is `body` (objects are JSON-encoded). */
export const sqsRecord = (body: unknown, messageId = 'm-1'): SQSRecord => ({
  messageId,
  receiptHandle: `receipt-${messageId}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1798761600000',
    SenderId: 'AIDAEXAMPLE',
    ApproximateFirstReceiveTimestamp: '1798761600000',
  },
  messageAttributes: {},
  md5OfBody: 'md5',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:govrec-intake-events',
  awsRegion: 'eu-west-1',
});

/** An SQS message carrying an S3 notification with the given records. */
export const sqsS3Record = (records: readonly ReturnType<typeof s3Record>[], messageId = 'm-1'): SQSRecord =>
  sqsRecord({ Records: records }, messageId);

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
