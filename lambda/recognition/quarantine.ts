/**
 * Moving a denied or rejected upload out of intake: copy the exact version to the quarantine
 * bucket, tag the copy with the decision (a separate call, because some S3 stand-ins ignore
 * `Tagging` on copy), then delete the intake *version*, not just add a delete marker.
 */
import { CopyObjectCommand, DeleteObjectCommand, PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectRef, ReasonCode } from '../shared/decision';
import { boundedKey } from './derived-key';

/** `quarantine/<orgId or _unknown>/<rest of key>`, within S3's key limit (see derived-key.ts). */
export const quarantineKeyFor = (orgId: string | undefined, rest: string): string =>
  boundedKey(`quarantine/${orgId ?? '_unknown'}/`, rest);

/** A CopySource value: the key percent-encoded segment by segment, with the version. */
export const copySourceFor = (object: ObjectRef): string => {
  const encodedKey = object.key.split('/').map(encodeURIComponent).join('/');
  return `${object.bucket}/${encodedKey}${object.versionId !== undefined ? `?versionId=${encodeURIComponent(object.versionId)}` : ''}`;
};

export interface QuarantineRequest {
  readonly object: ObjectRef;
  readonly quarantineBucket: string;
  readonly quarantineKey: string;
  readonly decisionId: string;
  readonly reason: ReasonCode;
  readonly orgId?: string;
}

/** Where the quarantined copy now is. */
export interface QuarantineLocation {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** The tags a quarantined copy carries, so a reviewer sees why it is there without the ledger. */
export const quarantineTags = (request: Pick<QuarantineRequest, 'decisionId' | 'reason' | 'orgId'>) => [
  { Key: 'govrec:decisionId', Value: request.decisionId },
  { Key: 'govrec:reason', Value: request.reason },
  { Key: 'govrec:org', Value: request.orgId ?? '_unknown' },
];

/** Errors S3 answers for an object version that does not exist (any more). */
export const GONE_ERRORS = ['NoSuchKey', 'NoSuchVersion', 'NotFound'] as const;

/** Whether `error` says the object version is not there. */
export const isGoneError = (error: unknown): boolean =>
  (GONE_ERRORS as readonly string[]).includes((error as Error | undefined)?.name ?? '') ||
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === 404;

/**
 * Copy the exact version to quarantine and tag the copy. Both are idempotent (same key, same
 * tags), so a redelivery after a crash repeats them safely. The intake version is not touched:
 * {@link deleteIntakeVersion} comes last, after the outcome is recorded.
 */
export const copyToQuarantine = async (s3: S3Client, request: QuarantineRequest): Promise<QuarantineLocation> => {
  const tags = quarantineTags(request);
  const copy = await s3.send(
    new CopyObjectCommand({
      Bucket: request.quarantineBucket,
      Key: request.quarantineKey,
      CopySource: copySourceFor(request.object),
      MetadataDirective: 'COPY',
      // REPLACE tags the copy atomically on S3 (and needs no tag-read right on the source);
      // the PutObjectTagging below repeats it for stand-ins that ignore tagging on copy.
      TaggingDirective: 'REPLACE',
      Tagging: new URLSearchParams(tags.map((tag): [string, string] => [tag.Key, tag.Value])).toString(),
    }),
  );
  const location: QuarantineLocation = {
    bucket: request.quarantineBucket,
    key: request.quarantineKey,
    ...(copy.VersionId !== undefined ? { versionId: copy.VersionId } : {}),
  };
  await s3.send(
    new PutObjectTaggingCommand({
      Bucket: location.bucket,
      Key: location.key,
      VersionId: location.versionId,
      Tagging: { TagSet: tags },
    }),
  );
  return location;
};

/**
 * Delete the intake *version* (with the VersionId; without it a versioned bucket would keep it
 * behind a delete marker). The last step of every quarantine: a version already gone (a retry
 * after a crash right after the delete) counts as deleted.
 */
export const deleteIntakeVersion = async (s3: S3Client, object: ObjectRef): Promise<void> => {
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: object.bucket, Key: object.key, VersionId: object.versionId }));
  } catch (error) {
    if (!isGoneError(error)) throw error;
  }
};

/**
 * Copy, tag, then delete the intake version, in one go (tools and the local report). The worker
 * does not use it: it records the outcome between the copy and the delete.
 */
export const quarantineObject = async (s3: S3Client, request: QuarantineRequest): Promise<QuarantineLocation> => {
  const location = await copyToQuarantine(s3, request);
  await deleteIntakeVersion(s3, request.object);
  return location;
};
