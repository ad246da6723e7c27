/**
 * The CloudTrail trail that feeds enforcement: every management event (read-only ones included,
 * because Rekognition `Detect*`/`Search*` calls are read-only) and write data events for the
 * intake prefix, encrypted with its own KMS key into its own locked-down bucket.
 */
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of {@link EnforcementTrail}. */
export interface EnforcementTrailProps {
  /** The intake bucket whose uploads under {@link intakePrefix} are logged as data events. */
  readonly intakeBucket: s3.IBucket;
  /**
   * Key prefix of uploads in the intake bucket.
   * @default 'incoming/'
   */
  readonly intakePrefix?: string;
  /**
   * Also deliver the trail to a CloudWatch Logs group (costs extra; the bucket is the record).
   * @default false
   */
  readonly sendToCloudWatchLogs?: boolean;
  /**
   * Bucket that receives the trail bucket's server access logs.
   * @default - a dedicated access-log bucket is created
   */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * What happens to the key and buckets when the stack is deleted. Audit logs usually outlive the
   * stack; with DESTROY a non-empty bucket still makes CloudFormation fail to delete it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A multi-region trail with global service events, log file validation and KMS encryption.
 *
 * @example
 * const trail = new EnforcementTrail(this, 'Trail', { intakeBucket });
 * trail.trail // cloudtrail.Trail
 */
export class EnforcementTrail extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.Trail;
  /** Where log files and digest files land (objects are SSE-KMS with {@link key}). */
  public readonly bucket: s3.Bucket;
  /** The trail's own customer-managed key. */
  public readonly key: kms.Key;
  /**
   * The trail's event selectors in the CloudTrail API's shape (PutEventSelectors), for writing
   * them back after tampering; a test checks they equal what the trail itself declares.
   */
  public readonly apiEventSelectors: readonly Record<string, unknown>[];

  constructor(scope: Construct, id: string, props: EnforcementTrailProps) {
    super(scope, id);
    const {
      intakeBucket,
      intakePrefix = 'incoming/',
      sendToCloudWatchLogs = false,
      removalPolicy = RemovalPolicy.RETAIN,
    } = props;

    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the governed-recognition enforcement trail',
      enableKeyRotation: true,
      removalPolicy,
    });
    // The trail ARN cannot appear here (it depends on this key), so the conditions pin the
    // encryption context and the source to trails of this account.
    const thisAccountTrails = `arn:${Aws.PARTITION}:cloudtrail:*:${Aws.ACCOUNT_ID}:trail/*`;
    const cloudTrailPrincipal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToEncryptLogs',
        principals: [cloudTrailPrincipal],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': thisAccountTrails,
            'aws:SourceArn': thisAccountTrails,
          },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToDescribeKey',
        principals: [cloudTrailPrincipal],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
      }),
    );

    const accessLogsBucket = props.accessLogsBucket ?? this.createAccessLogsBucket(removalPolicy);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: 'enforcement-trail/',
      lifecycleRules: [{ id: 'ExpireOldVersions', noncurrentVersionExpiration: Duration.days(365) }],
      removalPolicy,
    });

    this.trail = new cloudtrail.Trail(this, 'Resource', {
      bucket: this.bucket,
      encryptionKey: this.key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      sendToCloudWatchLogs,
    });
    this.apiEventSelectors = [
      { IncludeManagementEvents: true, ReadWriteType: 'All' },
      {
        DataResources: [{ Type: 'AWS::S3::Object', Values: [`${intakeBucket.bucketArn}/${intakePrefix}`] }],
        IncludeManagementEvents: false,
        ReadWriteType: 'WriteOnly',
      },
    ];
    // Only writes into the intake prefix matter (uploads); reads would multiply the cost.
    this.trail.addS3EventSelector([{ bucket: intakeBucket, objectPrefix: intakePrefix }], {
      readWriteType: cloudtrail.ReadWriteType.WRITE_ONLY,
      includeManagementEvents: false,
    });
  }

  private createAccessLogsBucket(removalPolicy: RemovalPolicy): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      // Server access log delivery supports SSE-S3 only on the target bucket.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'ExpireAccessLogs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) },
      ],
      removalPolicy,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log target of the trail bucket; logging it into itself or a further bucket would recurse without adding evidence.',
    });
    return bucket;
  }
}
