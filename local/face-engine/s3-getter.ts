/**
 * The `Image.S3Object` reader for the local engine, over any S3 client (the offline run passes
 * the one configured for its local S3), so the engine itself stays free of S3 settings.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3ObjectGetter } from './request-input';

/**
 * Reads objects with `client` (version-specific when Rekognition's request names a version).
 *
 * @example
 * new RekognitionServer({ folder, getS3Object: s3ObjectGetter(localS3Client) });
 */
export const s3ObjectGetter =
  (client: S3Client): S3ObjectGetter =>
  async (bucket, key, version) => {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: version }));
    if (!response.Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return response.Body.transformToByteArray();
  };
