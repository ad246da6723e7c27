/**
 * Enforcement sees nothing without its trail. Anyone who stops it, deletes it, or narrows what it
 * records (UpdateTrail, PutEventSelectors) blinds the rules; this guard catches those calls on the
 * enforcement trail, reverts what can be reverted (StartLogging; the stack's selectors and
 * settings written back) and raises a critical alarm on every one, reverted or not.
 */
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { notifyingAlarm } from '../shared/notifying-alarm';
import { cloudTrailPattern, notByRoles } from './enforcement-patterns';
import { catchAllTo, sdkTask } from './enforcement-sdk-task';

/** CloudTrail calls that stop, remove or narrow a trail. */
export const TRAIL_TAMPER_EVENTS = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'] as const;

/** Properties of {@link TrailGuard}. */
export interface TrailGuardProps {
  /** The enforcement trail. */
  readonly trail: cloudtrail.Trail;
  /** Its bucket and key, written back by the UpdateTrail revert. */
  readonly trailBucket: s3.IBucket;
  readonly trailKey: kms.IKey;
  /** The trail's selectors in the PutEventSelectors shape (`EnforcementTrail.apiEventSelectors`). */
  readonly eventSelectors: readonly Record<string, unknown>[];
  /** Receives the critical notifications and the alarm. */
  readonly alarmTopic: sns.ITopic;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * @example
 * new TrailGuard(this, 'TrailGuard', { trail, trailBucket, trailKey, alarmTopic });
 */
export class TrailGuard extends Construct {
  /** Matches tamper calls on the trail (not the guard's own reverts). */
  public readonly rule: events.Rule;
  /** Reverts and notifies (input: the CloudTrail event). */
  public readonly repair: sfn.StateMachine;
  /** Critical: fires on the first matched tamper call, whatever the repair achieved. */
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: TrailGuardProps) {
    super(scope, id);
    const cfnTrail = props.trail.node.defaultChild as cloudtrail.CfnTrail;
    // `Ref` of a trail is its name; API calls may name it by name or ARN.
    const trailName = cfnTrail.ref;
    const trailArn = props.trail.trailArn;
    const role = new iam.Role(this, 'RepairRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Trail guard: restarts the enforcement trail and writes its settings back',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RepairEnforcementTrail',
        actions: ['cloudtrail:StartLogging', 'cloudtrail:PutEventSelectors', 'cloudtrail:UpdateTrail'],
        resources: [trailArn],
      }),
    );

    const critical = (subject: string, message: string) =>
      new tasks.SnsPublish(this, subject, {
        topic: props.alarmTopic,
        subject: `CRITICAL: ${subject}`,
        message: sfn.TaskInput.fromText(
          sfn.JsonPath.format(
            `${message} Call {} by {} at {} (event {}); find who in CloudTrail and review their rights.`,
            sfn.JsonPath.stringAt('$.detail.eventName'),
            sfn.JsonPath.stringAt('$.detail.userIdentity.arn'),
            sfn.JsonPath.stringAt('$.detail.eventTime'),
            sfn.JsonPath.stringAt('$.detail.eventID'),
          ),
        ),
        resultPath: sfn.JsonPath.DISCARD,
      });
    const startLogging = sdkTask(this, 'Start logging', {
      service: 'cloudtrail',
      action: 'startLogging',
      parameters: { Name: trailArn },
    });
    const putSelectors = sdkTask(this, 'Write event selectors back', {
      service: 'cloudtrail',
      action: 'putEventSelectors',
      // The selectors as this stack defines them (management events, the intake data events).
      parameters: { TrailName: trailArn, EventSelectors: props.eventSelectors },
    });
    const updateTrail = sdkTask(this, 'Write trail settings back', {
      service: 'cloudtrail',
      action: 'updateTrail',
      parameters: {
        Name: trailArn,
        S3BucketName: props.trailBucket.bucketName,
        KmsKeyId: props.trailKey.keyArn,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
      },
    });
    for (const write of [startLogging, putSelectors, updateTrail]) {
      write.addRetry({ errors: ['CloudTrail.ThrottlingException', 'CloudTrail.OperationNotPermittedException'] });
    }
    const reverted = critical(
      'Enforcement trail tampered, reverted',
      'The enforcement trail was stopped or narrowed and has been restored to what the stack defines.',
    );
    const deleted = critical(
      'Enforcement trail deleted',
      'The enforcement trail was DELETED: nothing reaches the enforcement rules until the stack is deployed again (cdk deploy re-creates it); the periodic sweep keeps disabling restricted roles meanwhile.',
    );
    const failed = critical(
      'Enforcement trail tampered, revert FAILED',
      'The enforcement trail was stopped or narrowed and could NOT be restored (see the execution): restore it by hand or deploy the stack again.',
    );
    catchAllTo(failed, [startLogging, putSelectors, updateTrail]);

    const definition = new sfn.Choice(this, 'What was done to the trail?')
      .when(sfn.Condition.stringEquals('$.detail.eventName', 'DeleteTrail'), deleted)
      .when(sfn.Condition.stringEquals('$.detail.eventName', 'StopLogging'), startLogging.next(reverted))
      .otherwise(updateTrail.next(putSelectors).next(startLogging));

    this.repair = new sfn.StateMachine(this, 'Repair', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      role,
      comment: 'Revert a stop, update or selector change of the enforcement trail, and alarm',
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'RepairLogs', {
          retention: logs.RetentionDays.ONE_YEAR,
          removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
        }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: true,
      },
      timeout: Duration.minutes(15),
    });
    props.alarmTopic.masterKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs delivery (logs:*LogDelivery, DescribeLogGroups, PutResourcePolicy) and X-Ray tracing actions the CDK grants for state machine logging have no resource-level permissions; the CloudTrail writes are on the enforcement trail ARN only.',
    });

    this.rule = new events.Rule(this, 'Rule', {
      description: 'Stop, delete, update or selector change of the enforcement trail (not by its guard) -> repair',
      eventPattern: cloudTrailPattern('cloudtrail', {
        eventName: [...TRAIL_TAMPER_EVENTS],
        // PutEventSelectors names the trail `trailName`, the others `name`.
        requestParameters: { $or: [{ name: [trailName, trailArn] }, { trailName: [trailName, trailArn] }] },
        // The guard's own writes are CloudTrail events too: leaving them out avoids a repair loop.
        ...notByRoles([role.roleArn]),
      }),
      targets: [new targets.SfnStateMachine(this.repair, { retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });

    this.alarm = notifyingAlarm(this, 'Alarm', {
      description: `CRITICAL: the enforcement trail was stopped, deleted, updated or had its event selectors changed (${TRAIL_TAMPER_EVENTS.join(', ')}). Without it no Rekognition call, upload or IAM change reaches enforcement. The repair workflow restarted it and wrote its settings back where possible (its notification says which); find who did it in CloudTrail (docs/runbook.md).`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'MatchedEvents',
        dimensionsMap: { RuleName: this.rule.ruleName },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(1),
      }),
      topic: props.alarmTopic,
    });
  }
}
