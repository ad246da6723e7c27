/**
 * Checking request parameters the way Rekognition does, before any model work: the image source
 * (`Bytes` or `S3Object`, never both), its size, and the identifiers and numbers callers pass.
 */
import type { Image } from '@aws-sdk/client-rekognition';
import { InvalidParameterError, InvalidS3ObjectError } from './errors';
import { assertSize, MAX_BYTES_IMAGE, MAX_S3_IMAGE } from './image';

/**
 * Reads an object from S3 (or the local stand-in) for `Image.S3Object`.
 *
 * @example
 * const getS3Object: S3ObjectGetter = async (bucket, key, version) =>
 *   (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: version }))).Body!.transformToByteArray();
 */
export type S3ObjectGetter = (bucket: string, key: string, version?: string) => Promise<Uint8Array>;

/** The image bytes a request points at, size-checked. */
export const imageBytes = async (
  image: Image | undefined,
  field: string,
  getS3Object?: S3ObjectGetter,
): Promise<Uint8Array> => {
  if (image === undefined || image === null || typeof image !== 'object')
    throw new InvalidParameterError(`${field} is required`);
  const { Bytes: bytes, S3Object: s3 } = image;
  if (bytes !== undefined && s3 !== undefined)
    throw new InvalidParameterError(`${field} must have either Bytes or S3Object, not both`);
  if (bytes !== undefined) {
    if (!(bytes instanceof Uint8Array) || bytes.length === 0)
      throw new InvalidParameterError(`${field}.Bytes must be non-empty base64`);
    assertSize(bytes, MAX_BYTES_IMAGE);
    return bytes;
  }
  if (s3 === undefined) throw new InvalidParameterError(`${field} must have Bytes or S3Object`);
  if (typeof s3.Bucket !== 'string' || s3.Bucket === '' || typeof s3.Name !== 'string' || s3.Name === '') {
    throw new InvalidParameterError(`${field}.S3Object needs Bucket and Name`);
  }
  if (s3.Version !== undefined && typeof s3.Version !== 'string')
    throw new InvalidParameterError(`${field}.S3Object.Version must be a string`);
  if (!getS3Object)
    throw new InvalidS3ObjectError('S3 objects are not available to this local engine (no getter configured)');
  let object: Uint8Array;
  try {
    object = await getS3Object(s3.Bucket, s3.Name, s3.Version);
  } catch (error) {
    throw new InvalidS3ObjectError(
      'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
      {
        cause: error,
      },
    );
  }
  assertSize(object, MAX_S3_IMAGE);
  return object;
};

const COLLECTION_ID = /^[a-zA-Z0-9_.-]{1,255}$/;
const EXTERNAL_IMAGE_ID = /^[a-zA-Z0-9_.\-:]{1,255}$/;

/** Rekognition's CollectionId rule; it also keeps ids safe as file names. */
export const collectionId = (value: unknown): string => {
  if (typeof value !== 'string' || !COLLECTION_ID.test(value)) {
    throw new InvalidParameterError('CollectionId must be 1-255 characters of [a-zA-Z0-9_.-]');
  }
  return value;
};

/** Rekognition's ExternalImageId rule (optional). */
export const externalImageId = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !EXTERNAL_IMAGE_ID.test(value)) {
    throw new InvalidParameterError('ExternalImageId must be 1-255 characters of [a-zA-Z0-9_.\\-:]');
  }
  return value;
};

/** An optional number in [min, max]; `fallback` when absent. */
export const numberIn = (value: unknown, name: string, min: number, max: number, fallback: number): number => {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidParameterError(`${name} must be a number from ${min} to ${max}`);
  }
  return value;
};

/** An optional integer in [min, max]; `fallback` when absent. */
export const integerIn = (value: unknown, name: string, min: number, max: number, fallback: number): number => {
  const n = numberIn(value, name, min, max, fallback);
  if (!Number.isInteger(n)) throw new InvalidParameterError(`${name} must be an integer`);
  return n;
};
