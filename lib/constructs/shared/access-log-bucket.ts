/**
 * The destination of the S3 server access logs of every other bucket. S3 log delivery cannot
 * write to a bucket encrypted with a customer-managed KMS key, so this one uses SSE-S3.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AccessLogBucketProps {
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * How long access logs are kept.
   * @default Duration.days(400) (a year of audit evidence plus a margin)
   */
  readonly retention?: Duration;
}

/**
 * A hardened bucket for S3 server access logs (SSE-S3, TLS only, no public access).
 *
 * @example
 * const logs = new AccessLogBucket(this, 'AccessLogs', { removalPolicy: RemovalPolicy.RETAIN });
 * new s3.Bucket(this, 'Data', { serverAccessLogsBucket: logs.bucket, serverAccessLogsPrefix: 'data/' });
 */
export class AccessLogBucket extends Construct {
  /** The bucket that receives access logs. */
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        {
          id: 'ExpireLogs',
          expiration: props.retention ?? Duration.days(400),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy,
      autoDeleteObjects: false,
    });
    // Logging the log bucket into itself would create a delivery loop; a separate bucket for it
    // would need its own logs. The chain has to stop somewhere, and it stops here.
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server access log destination; logging it into itself would loop, and the data buckets it serves all log here.',
    });
  }
}
