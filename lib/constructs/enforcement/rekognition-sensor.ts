/**
 * CloudTrail events reach EventBridge only in the region of the call. A Rekognition call made in
 * another region than the enforcement stack's matches none of its rules; this sensor, in a small
 * stack of that region (same account), forwards every Rekognition call there to the enforcement
 * region's default bus, where `RekognitionCallsRule` matches it like a local one.
 */
import { Annotations, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLettersVisible, notifyingAlarm } from '../shared/notifying-alarm';
import { cloudTrailPattern } from './enforcement-patterns';

/** Properties of {@link RekognitionSensor}. */
export interface RekognitionSensorProps {
  /** Region of the enforcement stack (same account). */
  readonly targetRegion: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * @example
 * const sensor = new Stack(app, 'GovernedRecognitionSensor-eu-central-1', { env: { account, region: 'eu-central-1' } });
 * new RekognitionSensor(sensor, 'RekognitionSensor', { targetRegion: 'eu-west-1' });
 */
export class RekognitionSensor extends Construct {
  /** The forwarding rule (all management events: Detect and Search calls are read-only). */
  public readonly rule: events.Rule;
  /** Events that could not be put on the enforcement bus after EventBridge's retries. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Fires on the first message in `deadLetterQueue` (visible in this region's console). */
  public readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RekognitionSensorProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.region) && stack.region === props.targetRegion) {
      Annotations.of(this).addError(
        `RekognitionSensor in ${stack.region} would forward to its own region: the enforcement stack's rule sees these calls directly, so leave it out.`,
      );
    }
    const targetBus = events.EventBus.fromEventBusArn(
      this,
      'TargetBus',
      stack.formatArn({
        service: 'events',
        region: props.targetRegion,
        resource: 'event-bus',
        resourceName: 'default',
      }),
    );
    const role = new iam.Role(this, 'ForwardRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Forwards Rekognition calls to the default event bus in ${props.targetRegion}`,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the forwarding rule; nothing consumes it automatically.',
    });
    this.deadLetterAlarm = notifyingAlarm(this, 'DeadLetterAlarm', {
      description: `A Rekognition call in this region could not be forwarded to ${props.targetRegion}: enforcement did not see it; the periodic sweep still disables restricted roles. Inspect the message in this sensor's dead-letter queue.`,
      metric: deadLettersVisible(this.deadLetterQueue),
    });
    // The pipeline calls Rekognition only in its own region: every call seen here is someone else's.
    this.rule = new events.Rule(this, 'Rule', {
      description: `Rekognition calls in this region -> default event bus in ${props.targetRegion} (enforcement)`,
      eventPattern: cloudTrailPattern('rekognition'),
      targets: [new targets.EventBus(targetBus, { role, deadLetterQueue: this.deadLetterQueue })],
    });
    (this.rule.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  }
}
