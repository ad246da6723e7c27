/**
 * What every cross-region forwarder of CloudTrail events needs: the enforcement region's default
 * bus as a target, a role EventBridge assumes to put events there (this account only), a
 * dead-letter queue for events it could not deliver, and an alarm on it. Created on the caller's
 * scope (`TargetBus`, `ForwardRole`, `DeadLetterQueue`, `DeadLetterAlarm`).
 */
import { Duration, RemovalPolicy as Removal, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { deadLettersVisible, notifyingAlarm } from '../shared/notifying-alarm';

export interface BusForwardingProps {
  /** Region of the enforcement stack, whose default bus receives the events. */
  readonly targetRegion: string;
  /** What the role forwards, for its description (e.g. `IAM role changes`). */
  readonly what: string;
  /** The dead-letter alarm's description: what was missed and what to do. */
  readonly alarmDescription: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Topic the dead-letter alarm notifies. @default - none */
  readonly alarmTopic?: sns.ITopic;
}

export interface BusForwarding {
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** A rule target that puts the event on the enforcement bus, dead-lettering what fails. */
  readonly target: () => events.IRuleTarget;
}

export const busForwarding = (scope: Construct, props: BusForwardingProps): BusForwarding => {
  const stack = Stack.of(scope);
  const targetBus = events.EventBus.fromEventBusArn(
    scope,
    'TargetBus',
    stack.formatArn({ service: 'events', region: props.targetRegion, resource: 'event-bus', resourceName: 'default' }),
  );
  const role = new iam.Role(scope, 'ForwardRole', {
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
    description: `Forwards ${props.what} to the default event bus in ${props.targetRegion}`,
  });
  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: props.removalPolicy ?? Removal.RETAIN,
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of the forwarding rule; nothing consumes it automatically.',
  });
  const deadLetterAlarm = notifyingAlarm(scope, 'DeadLetterAlarm', {
    description: props.alarmDescription,
    metric: deadLettersVisible(deadLetterQueue),
    ...(props.alarmTopic !== undefined ? { topic: props.alarmTopic } : {}),
  });
  return {
    deadLetterQueue,
    deadLetterAlarm,
    target: () => new targets.EventBus(targetBus, { role, deadLetterQueue }),
  };
};
