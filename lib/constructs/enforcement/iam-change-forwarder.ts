/**
 * IAM is a global service: its CloudTrail events reach EventBridge in us-east-1 only. When the
 * enforcement stack lives elsewhere, this companion (in a small us-east-1 stack of the same
 * account) forwards the IAM role changes to that region's default bus, where the IAM rule of
 * {@link EnforcementTriggers} matches them as if they had been delivered there.
 */
import { Annotations, type RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { busForwarding } from './bus-forwarding';
import { cloudTrailPattern, IAM_ROLE_CHANGES, roleChainingPattern } from './enforcement-patterns';

/** The only region where EventBridge receives IAM's CloudTrail events. */
export const IAM_EVENTS_REGION = 'us-east-1';

/** Properties of {@link IamChangeForwarder}. */
export interface IamChangeForwarderProps {
  /** Region of the stack that holds `EnforcementTriggers` (same account). */
  readonly targetRegion: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Topic in us-east-1 for the dead-letter alarm (a CloudWatch alarm can only notify a topic of
   * its own region, so the main stack's topic cannot be used).
   * @default - the alarm is created without an action: visible in the us-east-1 console only
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * Forwards IAM role-change events from us-east-1 to the enforcement region's default bus.
 *
 * @example
 * const companion = new Stack(app, 'GovrecIamEvents', { env: { account, region: 'us-east-1' } });
 * new IamChangeForwarder(companion, 'IamChangeForwarder', { targetRegion: 'eu-west-1' });
 * // and pass `iamEventsForwarded: true` to EnforcementTriggers in the eu-west-1 stack
 */
export class IamChangeForwarder extends Construct {
  /** The us-east-1 rule that forwards. */
  public readonly rule: events.Rule;
  /** Forwards role chaining through STS's global endpoint, whose events arrive in us-east-1. */
  public readonly roleChainingRule: events.Rule;
  /** Events that could not be put on the target bus after EventBridge's retries. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Fires on the first message in `deadLetterQueue`: an IAM change the enforcement never saw. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: IamChangeForwarderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.region) || stack.region !== IAM_EVENTS_REGION) {
      Annotations.of(this).addError(
        `IamChangeForwarder must be in a stack with env.region '${IAM_EVENTS_REGION}' (IAM events arrive only there); this one is in ${Token.isUnresolved(stack.region) ? 'an unresolved region' : stack.region}.`,
      );
    }
    if (props.targetRegion === IAM_EVENTS_REGION) {
      Annotations.of(this).addError(
        `targetRegion is ${IAM_EVENTS_REGION} already: the enforcement stack sees IAM events directly, so leave IamChangeForwarder out.`,
      );
    }

    const forwarding = busForwarding(this, {
      targetRegion: props.targetRegion,
      what: 'IAM role changes',
      alarmDescription: `An IAM role change could not be forwarded to ${props.targetRegion}: enforcement did not see it, and tamper on that role is caught only by the next sweep. Inspect the message in the forwarder's dead-letter queue (us-east-1) and start a sweep (docs/runbook.md).`,
      ...(props.removalPolicy !== undefined ? { removalPolicy: props.removalPolicy } : {}),
      ...(props.alarmTopic !== undefined ? { alarmTopic: props.alarmTopic } : {}),
    });
    this.deadLetterQueue = forwarding.deadLetterQueue;
    this.deadLetterAlarm = forwarding.deadLetterAlarm;

    this.rule = new events.Rule(this, 'Rule', {
      description: `IAM role changes -> default event bus in ${props.targetRegion} (enforcement)`,
      eventPattern: cloudTrailPattern('iam', { eventName: [...IAM_ROLE_CHANGES] }),
      targets: [forwarding.target()],
    });
    this.roleChainingRule = new events.Rule(this, 'RoleChainingRule', {
      description: `Role sessions assuming roles through the STS global endpoint -> default event bus in ${props.targetRegion} (enforcement)`,
      eventPattern: roleChainingPattern(),
      targets: [forwarding.target()],
    });
    (this.roleChainingRule.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  }
}
