/**
 * CloudTrail events reach EventBridge only in the region of the call. A Rekognition call made in
 * another region than the enforcement stack's matches none of its rules; this sensor, in a small
 * stack of that region (same account), forwards every Rekognition call there to the enforcement
 * region's default bus, where `RekognitionCallsRule` matches it like a local one.
 */
import { Annotations, type RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { busForwarding } from './bus-forwarding';
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
    const forwarding = busForwarding(this, {
      targetRegion: props.targetRegion,
      what: 'Rekognition calls',
      alarmDescription: `A Rekognition call in this region could not be forwarded to ${props.targetRegion}: enforcement did not see it; the periodic sweep still disables restricted roles. Inspect the message in this sensor's dead-letter queue.`,
      ...(props.removalPolicy !== undefined ? { removalPolicy: props.removalPolicy } : {}),
    });
    this.deadLetterQueue = forwarding.deadLetterQueue;
    this.deadLetterAlarm = forwarding.deadLetterAlarm;
    // The pipeline calls Rekognition only in its own region: every call seen here is someone else's.
    this.rule = new events.Rule(this, 'Rule', {
      description: `Rekognition calls in this region -> default event bus in ${props.targetRegion} (enforcement)`,
      eventPattern: cloudTrailPattern('rekognition'),
      targets: [forwarding.target()],
    });
    (this.rule.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  }
}
