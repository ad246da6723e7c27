/**
 * The one shape every data bucket of the pipeline has: its own customer-managed KMS key (with
 * rotation), versioning, no public access, TLS only, server access logs, and lifecycle rules.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface EncryptedBucketProps {
  /** What the bucket holds, used in the key description (e.g. `intake`). */
  readonly purpose: string;
  /** The bucket that receives this bucket's server access logs. */
  readonly accessLogsBucket: s3.IBucket;
  /**
   * Expire current objects after this many days (quarantine, results).
   * @default - current objects never expire
   */
  readonly expireAfterDays?: number;
  /**
   * Keep noncurrent (overwritten or deleted) versions this long.
   * @default Duration.days(30)
   */
  readonly noncurrentVersionRetention?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A versioned, KMS-encrypted, TLS-only bucket with access logs.
 *
 * @example
 * const quarantine = new EncryptedBucket(this, 'Quarantine', { purpose: 'quarantine', accessLogsBucket: logs.bucket, expireAfterDays: 90 });
 * quarantine.bucket.grantPut(fn);
 */
export class EncryptedBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The bucket's own key: a reader needs `kms:Decrypt`, a writer `kms:GenerateDataKey` on it. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptedBucketProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.key = new kms.Key(this, 'Key', {
      description: `governed-recognition ${props.purpose} bucket`,
      enableKeyRotation: true,
      removalPolicy,
    });
    const lifecycleRules: s3.LifecycleRule[] = [
      {
        id: 'ExpireNoncurrentVersions',
        noncurrentVersionExpiration: props.noncurrentVersionRetention ?? Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
        expiredObjectDeleteMarker: props.expireAfterDays === undefined ? true : undefined,
      },
    ];
    if (props.expireAfterDays !== undefined) {
      lifecycleRules.push({ id: 'ExpireCurrentVersions', expiration: Duration.days(props.expireAfterDays) });
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      // Bucket keys cut the KMS calls per object to one per bucket key period.
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: `${props.purpose}/`,
      lifecycleRules,
      removalPolicy,
      autoDeleteObjects: false,
    });
  }
}
