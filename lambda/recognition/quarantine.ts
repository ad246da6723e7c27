/**
 * Moving a denied or rejected upload out of intake: copy the exact version to the quarantine
 * bucket, tag the copy with the decision (a separate call, because some S3 stand-ins ignore
 * `Tagging` on copy), then delete the intake *version*, not just add a delete marker.
 */
import { CopyObjectCommand, DeleteObjectCommand, PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectRef, ReasonCode } from '../shared/decision';

/** `quarantine/<orgId or _unknown>/<rest of key>`. */
export const quarantineKeyFor = (orgId: string | undefined, rest: string): string =>
  `quarantine/${orgId ?? '_unknown'}/${rest}`;

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

/**
 * Copy, tag, delete. Copy and tag are idempotent, and the delete comes last, so a retry after a
 * failure part-way finds the intake version still there and repeats the same steps.
 */
export const quarantineObject = async (s3: S3Client, request: QuarantineRequest): Promise<QuarantineLocation> => {
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
  // Deleting with the VersionId removes the version itself; without it a versioned bucket would keep it behind a delete marker.
  await s3.send(
    new DeleteObjectCommand({
      Bucket: request.object.bucket,
      Key: request.object.key,
      VersionId: request.object.versionId,
    }),
  );
  return location;
};
