/**
 * Where organisations upload: the intake bucket, the bucket policy that binds the upload prefix
 * to the uploader's principal tag, and the queue (with dead-letter queue and alarm) that carries
 * object-created events to the recognition worker.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EncryptedBucket } from '../shared/encrypted-bucket';
import { deadLettersVisible, notifyingAlarm } from '../shared/notifying-alarm';
import { INCOMING_PREFIX, intakeBucketPolicyStatements } from './intake-bucket-policy';

export interface GovernedIntakeProps {
  /** The principal tag whose value must name the organisation in the key (`govrec:org`). */
  readonly orgPrincipalTag: string;
  /** IAM role ARNs registered for some organisation: the only principals allowed to upload. */
  readonly uploaderRoleArns: readonly string[];
  /** The bucket that receives server access logs. */
  readonly accessLogsBucket: s3.IBucket;
  /** Where the dead-letter alarm goes. */
  readonly alarmTopic: sns.ITopic;
  /**
   * The timeout of the function that consumes the queue: the visibility timeout is six times it,
   * so a message is not redelivered while a (retrying) batch is still running.
   */
  readonly consumerTimeout: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Receives before a message goes to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;
/** Age of the oldest waiting event at which the intake is considered stalled. */
export const STALLED_AFTER = Duration.hours(1);

/**
 * The intake side of the pipeline.
 *
 * @example
 * const intake = new GovernedIntake(this, 'Intake', { orgPrincipalTag: 'govrec:org', uploaderRoleArns, accessLogsBucket, alarmTopic, consumerTimeout: Duration.seconds(60) });
 * fn.addEventSource(new SqsEventSource(intake.queue, { reportBatchItemFailures: true }));
 */
export class GovernedIntake extends Construct {
  /** The intake bucket (uploads go to `incoming/<orgId>/<operation>/<name>`). */
  public readonly bucket: s3.Bucket;
  /** The intake bucket's key. */
  public readonly bucketKey: kms.Key;
  /** Object-created events for `incoming/`. */
  public readonly queue: sqs.Queue;
  /** Events that failed {@link MAX_RECEIVE_COUNT} times. */
  public readonly deadLetterQueue: sqs.Queue;
  /**
   * Receives before a message is dead-lettered. The consumer gets it (as `MAX_RECEIVE_COUNT`) so
   * its final receive records a fail-closed outcome instead of leaving the upload without one.
   */
  public readonly maxReceiveCount: number = MAX_RECEIVE_COUNT;
  /** The key of both queues (not the bucket's: sharing it creates a dependency cycle). */
  public readonly queueKey: kms.Key;
  /** Fires when any message is waiting in the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Fires when events wait for an hour: the worker is stalled and uploads would expire unprocessed. */
  public readonly stalledAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: GovernedIntakeProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const intake = new EncryptedBucket(this, 'Bucket', {
      purpose: 'intake',
      accessLogsBucket: props.accessLogsBucket,
      removalPolicy,
    });
    this.bucket = intake.bucket;
    this.bucketKey = intake.key;
    for (const statement of intakeBucketPolicyStatements(
      this.bucket.bucketArn,
      props.orgPrincipalTag,
      props.uploaderRoleArns,
    )) {
      this.bucket.addToResourcePolicy(statement);
    }

    this.queueKey = new kms.Key(this, 'QueueKey', {
      description: 'governed-recognition intake queues',
      enableKeyRotation: true,
      removalPolicy,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.queueKey,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      // Shorter than the dead-letter queue's 14 days: a message keeps its first enqueue time when it
      // is dead-lettered, so it stays there at least ten days.
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queue), {
      prefix: INCOMING_PREFIX,
    });
    acknowledgeNotificationsHandler(this);

    this.deadLetterAlarm = notifyingAlarm(this, 'DeadLetterAlarm', {
      description:
        'An intake event failed repeatedly and is in the dead-letter queue: the upload has no recorded outcome yet. Inspect the message and redrive it.',
      metric: deadLettersVisible(this.deadLetterQueue),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      topic: props.alarmTopic,
    });

    this.stalledAlarm = notifyingAlarm(this, 'StalledAlarm', {
      description:
        'Intake events have waited over an hour: the recognition worker is not consuming. Uploads expire from the queue after 4 days.',
      metric: this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: STALLED_AFTER.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      topic: props.alarmTopic,
    });
  }
}

/** The construct id CDK gives its stack-wide singleton that applies bucket notifications. */
const NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/** CDK's own deploy-time handler that writes the notification configuration (not ours to shape). */
const acknowledgeNotificationsHandler = (scope: Construct): void => {
  const handler = Stack.of(scope).node.tryFindChild(NOTIFICATIONS_HANDLER_ID);
  if (handler === undefined) return;
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'CDK-provided deploy-time handler that sets the bucket notification configuration; the managed policy only lets it write its own logs.',
  });
};
