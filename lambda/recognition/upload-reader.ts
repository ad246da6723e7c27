/**
 * Reading an uploaded object version: its real size, its `purpose` metadata, the leading bytes
 * for the format check and, when small enough to send inline, the whole image.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectRef } from '../shared/decision';
import { MAX_INLINE_BYTES, MAX_S3_OBJECT_BYTES, SNIFF_BYTES } from './image';

export interface LoadedUpload {
  /** ContentLength as S3 reports it for this version. */
  readonly contentLength: number;
  /** `x-amz-meta-purpose`, when the uploader set it. */
  readonly purpose?: string;
  /** The first bytes (at least {@link SNIFF_BYTES} when the object has that many). */
  readonly head: Uint8Array;
  /** The whole object when it is at most {@link MAX_INLINE_BYTES}; otherwise Rekognition reads it from S3. */
  readonly bytes?: Uint8Array;
}

type BodyLike = AsyncIterable<Uint8Array> & { transformToByteArray?: () => Promise<Uint8Array>; destroy?: () => void };

const readHead = async (body: BodyLike): Promise<Uint8Array> => {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= SNIFF_BYTES) break;
  }
  // Stop downloading the rest of a large object: only its first bytes are needed here.
  body.destroy?.();
  return Buffer.concat(chunks).subarray(0, SNIFF_BYTES);
};

/** Get the object version named by the event (never "the latest", which may be another upload). */
export const readUpload = async (s3: S3Client, object: ObjectRef): Promise<LoadedUpload> => {
  const response = await s3.send(
    new GetObjectCommand({ Bucket: object.bucket, Key: object.key, VersionId: object.versionId }),
  );
  const contentLength = response.ContentLength ?? 0;
  const purpose = response.Metadata?.purpose;
  const body = response.Body as BodyLike | undefined;
  const base = { contentLength, ...(purpose !== undefined && purpose !== '' ? { purpose } : {}) };
  if (body === undefined || contentLength <= 0) return { ...base, head: new Uint8Array() };
  if (contentLength > MAX_S3_OBJECT_BYTES) {
    body.destroy?.();
    return { ...base, head: new Uint8Array() };
  }
  if (contentLength <= MAX_INLINE_BYTES && body.transformToByteArray !== undefined) {
    const bytes = await body.transformToByteArray();
    return { ...base, head: bytes.subarray(0, SNIFF_BYTES), bytes };
  }
  return { ...base, head: await readHead(body) };
};
