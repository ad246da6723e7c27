/**
 * S3 event records in the exact shape Amazon S3 puts on an SQS queue. s3rver emits its own
 * records (eventVersion 2.0, raw keys, random principal ids, a malformed bucket ARN, no
 * versionId), so the offline run builds the real shape here before any handler sees an event:
 * a handler that parses these records parses production events.
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';

/** What S3 knows about an object-created event; everything else in a record is derived. */
export interface ObjectCreatedInput {
  readonly bucket: string;
  /** The raw object key (not encoded); the record carries it URL-encoded as S3 does. */
  readonly key: string;
  readonly size: number;
  /** ETag without the surrounding quotes. */
  readonly eTag: string;
  /** Present for versioned buckets; S3 leaves the field out otherwise. */
  readonly versionId?: string;
  /** Hex string that orders events for one key; see {@link Sequencer}. */
  readonly sequencer: string;
  /** `AWS:<role id>:<session name>` of the uploading role (see {@link assumedRolePrincipalId}). */
  readonly principalId: string;
  /** ISO instant of the upload (the simulated clock, not the wall clock). */
  readonly eventTime: string;
  readonly region: string;
  /** Canonical id of the bucket owner; S3 shows it as `ownerIdentity.principalId`. */
  readonly bucketOwnerId?: string;
  readonly sourceIPAddress?: string;
  /** Id of the bucket's notification configuration. */
  readonly configurationId?: string;
  readonly eventName?:
    | 'ObjectCreated:Put'
    | 'ObjectCreated:Copy'
    | 'ObjectCreated:Post'
    | 'ObjectCreated:CompleteMultipartUpload';
  readonly partition?: string;
  /** Request ids; derived from the sequencer when not given, so records are reproducible. */
  readonly requestId?: string;
}

// Characters S3 leaves as they are in an event key: form-urlencoding's unreserved set, and the
// `/` separator, which real S3 does not encode (other S3 look-alikes do, and break consumers).
const KEEP = /[A-Za-z0-9*._\-/]/;

/**
 * Encode an object key the way S3 does in event records: `application/x-www-form-urlencoded`
 * (space becomes `+`, UTF-8 bytes become `%XX`), with `/` kept.
 *
 * @example
 * encodeS3EventKey('incoming/thorn-like/red flower.jpg') // 'incoming/thorn-like/red+flower.jpg'
 * encodeS3EventKey('café.jpg')                           // 'caf%C3%A9.jpg'
 */
export const encodeS3EventKey = (key: string): string => {
  let out = '';
  for (const char of key) {
    if (char === ' ') out += '+';
    else if (KEEP.test(char)) out += char;
    else
      out += [...Buffer.from(char, 'utf8')]
        .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
        .join('');
  }
  return out;
};

/** The inverse, as a consumer of S3 events must apply it (`+` first, then percent-decoding). */
export const decodeS3EventKey = (encoded: string): string => decodeURIComponent(encoded.replace(/\+/g, ' '));

/**
 * The principal id S3 reports for a request made with assumed-role credentials.
 *
 * @example
 * assumedRolePrincipalId('AROAEXAMPLEID12345678', 'uploader') // 'AWS:AROAEXAMPLEID12345678:uploader'
 */
export const assumedRolePrincipalId = (roleId: string, sessionName: string): string => `AWS:${roleId}:${sessionName}`;

/**
 * Issues S3-style sequencers: upper-case hex of a fixed width, so a later event for a key always
 * compares greater as a string (what consumers that de-duplicate by sequencer rely on).
 */
export class Sequencer {
  private value: bigint;

  constructor(start = 0x5f1e0000_00000000n) {
    this.value = start;
  }

  next(): string {
    this.value += 1n;
    return this.value.toString(16).toUpperCase().padStart(18, '0');
  }
}

/**
 * Build one record as S3 sends it (eventVersion 2.1).
 *
 * @example
 * const record = s3ObjectCreatedRecord({ bucket, key: 'incoming/thorn-like/a b.jpg', size: 10, eTag: 'abc',
 *   versionId: 'v1', sequencer: new Sequencer().next(), principalId: 'AWS:AROA...:s', eventTime, region: 'eu-west-1' });
 */
export const s3ObjectCreatedRecord = (input: ObjectCreatedInput): S3EventRecord => {
  const partition = input.partition ?? 'aws';
  const requestId = input.requestId ?? input.sequencer.slice(-16);
  const object: S3EventRecord['s3']['object'] = {
    key: encodeS3EventKey(input.key),
    size: input.size,
    eTag: input.eTag,
    sequencer: input.sequencer,
    ...(input.versionId !== undefined ? { versionId: input.versionId } : {}),
  };
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: input.region,
    eventTime: input.eventTime,
    eventName: input.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: input.principalId },
    requestParameters: { sourceIPAddress: input.sourceIPAddress ?? '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': requestId,
      'x-amz-id-2': Buffer.from(`${input.bucket}/${requestId}`).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: input.configurationId ?? 'govrec-intake',
      bucket: {
        name: input.bucket,
        ownerIdentity: { principalId: input.bucketOwnerId ?? 'A3NL1KOZZKExample' },
        arn: `arn:${partition}:s3:::${input.bucket}`,
      },
      object,
    },
  };
};

/** The message body S3 delivers to an SQS queue: `{"Records":[...]}`. */
export const s3EventMessageBody = (records: readonly S3EventRecord[]): string =>
  JSON.stringify({ Records: [...records] } satisfies S3Event);

/** The test event S3 sends once when a notification configuration is created. */
export const s3TestEventBody = (bucket: string, eventTime: string): string =>
  JSON.stringify({
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: eventTime,
    Bucket: bucket,
    RequestId: 'TESTREQUEST',
    HostId: 'local',
  });

/** The subset of an s3rver record the conversion uses (the rest of it is not trustworthy). */
export interface S3rverRecord {
  readonly eventName: string;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly size?: number; readonly eTag?: string };
  };
}

/**
 * Convert a record s3rver emitted into the real shape. s3rver gives the raw key, size and ETag;
 * identity, time, version and ordering come from the caller, because s3rver invents them.
 */
export const fromS3rverRecord = (
  record: S3rverRecord,
  context: Omit<ObjectCreatedInput, 'bucket' | 'key' | 'size' | 'eTag' | 'eventName'>,
): S3EventRecord => {
  const eventName = record.eventName;
  if (!eventName.startsWith('ObjectCreated:')) {
    throw new TypeError(`Only ObjectCreated events are converted, got ${eventName}`);
  }
  return s3ObjectCreatedRecord({
    ...context,
    bucket: record.s3.bucket.name,
    key: record.s3.object.key,
    size: record.s3.object.size ?? 0,
    eTag: record.s3.object.eTag ?? '',
    eventName: eventName as ObjectCreatedInput['eventName'],
  });
};
