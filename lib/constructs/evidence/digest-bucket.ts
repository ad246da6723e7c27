/**
 * The bucket digests are kept in: versioned, Object Lock in COMPLIANCE mode (no principal, root
 * included, can shorten a retention or delete a locked version before it lapses), encrypted,
 * TLS only, access-logged. Always retained: it is the evidence.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface DigestBucketProps {
  /** Default retention, in days, of anything written without its own (the digests set theirs). */
  readonly retentionDays: number;
  readonly accessLogsBucket: s3.IBucket;
}

/** Object Lock default retention is at most 100 years. */
export const MAX_RETENTION_DAYS = 36_500;

export class DigestBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DigestBucketProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1 || props.retentionDays > MAX_RETENTION_DAYS)
      throw new RangeError(
        `digest retention must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (got ${props.retentionDays}): shorten evidence.retentionMarginDays or the moratorium`,
      );
    this.bucket = new s3.Bucket(this, 'Bucket', {
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.retentionDays)),
      // SSE-S3: an auditor with read access needs no grant on a key the operator controls.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'evidence-digests/',
      removalPolicy: RemovalPolicy.RETAIN,
      autoDeleteObjects: false,
    });
  }
}
