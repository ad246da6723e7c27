/**
 * Writing a recognition result where reviewers find it: `results/<orgId>/<rest of key>.json`
 * in the results bucket.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectRef } from '../shared/decision';
import { boundedKey } from './derived-key';
import type { RecognitionResult } from './rekognition';

/** `results/<orgId>/<rest of key>.json`, within S3's key limit (see derived-key.ts). */
export const resultKeyFor = (orgId: string, rest: string): string => boundedKey(`results/${orgId}/`, rest, '.json');

/** The JSON document a reviewer reads. */
export interface ResultDocument {
  readonly decisionId: string;
  readonly recognisedAt: string;
  readonly orgId: string;
  readonly operation: string;
  readonly object: ObjectRef;
  readonly summary: RecognitionResult['summary'];
  readonly response: Record<string, unknown>;
}

export const writeResult = async (
  s3: S3Client,
  bucket: string,
  key: string,
  document: ResultDocument,
): Promise<{ bucket: string; key: string; versionId?: string }> => {
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(document, null, 2),
      ContentType: 'application/json',
    }),
  );
  return { bucket, key, ...(put.VersionId !== undefined ? { versionId: put.VersionId } : {}) };
};
