/**
 * The guardrails' one exemption is a break-glass role; every use of it that CloudTrail delivers to
 * this account and region is sent to the alarm topic as it happens (the CloudTrail event itself)
 * and raises an alarm. Lives in the pipeline (enforcement) stack, where the intake bucket's data
 * events and the calls made in this account arrive.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { notifyingAlarm } from '../shared/notifying-alarm';

/** Properties of {@link BreakGlassMonitor}. */
export interface BreakGlassMonitorProps {
  /** The exempt role (`guardrails.breakGlassPrincipalArn`). */
  readonly breakGlassPrincipalArn: string;
  /** Receives each use (the CloudTrail event) and the alarm. If KMS-encrypted, EventBridge gets use of its key. */
  readonly alarmTopic: sns.ITopic;
}

/**
 * The EventBridge pattern of a break-glass use: any API call made from a session of the role, or
 * an `AssumeRole` of it (recorded in the role's own account).
 */
export const breakGlassPattern = (arn: string): events.EventPattern => ({
  detailType: ['AWS API Call via CloudTrail'],
  detail: {
    $or: [
      { userIdentity: { sessionContext: { sessionIssuer: { arn: [arn] } } } },
      { eventName: ['AssumeRole'], requestParameters: { roleArn: [arn] } },
    ],
  },
});

/**
 * @example
 * new BreakGlassMonitor(this, 'BreakGlass', { breakGlassPrincipalArn: config.guardrails.breakGlassPrincipalArn!, alarmTopic });
 */
export class BreakGlassMonitor extends Construct {
  /** Matches every use. */
  public readonly rule: events.Rule;
  /** Fires on the first use in a five-minute period. */
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: BreakGlassMonitorProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: `Any use of the moratorium break-glass role ${props.breakGlassPrincipalArn} -> alarm topic (and alarmed)`,
      eventPattern: breakGlassPattern(props.breakGlassPrincipalArn),
      targets: [new targets.SnsTopic(props.alarmTopic)],
    });
    // EventBridge publishes as events.amazonaws.com: an encrypted topic drops the message without this.
    props.alarmTopic.masterKey?.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeToPublishBreakGlassUse',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        // The rule's own ARN would make a cycle (key -> rule -> topic -> key): rules of this account.
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/*` },
        },
      }),
    );
    // Read-only calls (Rekognition Detect*/Search*) reach a rule only in this state.
    (this.rule.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
    this.alarm = notifyingAlarm(this, 'Alarm', {
      description: `The moratorium break-glass role ${props.breakGlassPrincipalArn} was used: it is exempt from the SCP and RCP. Each use was also published to this topic as its CloudTrail event; check them in CloudTrail, and who authorised them (docs/runbook.md).`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'MatchedEvents',
        dimensionsMap: { RuleName: this.rule.ruleName },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      topic: props.alarmTopic,
    });
  }
}
