/**
 * Moratorium enforcement as one construct (issue 3, design flows 4 and 5): the workflows that
 * disable, sweep and restore restricted roles, the trail, rules and schedules that start them,
 * and the alarms that tell a human when enforcement was tampered with or did not run.
 */
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Clock } from '../../../lambda/shared/moratorium';
import type { GovernanceSettings } from '../../../lambda/shared/settings';
import { BreakGlassMonitor } from '../guardrails/break-glass-monitor';
import { EnforcementAlarms } from './enforcement-alarms';
import { type EnforcementRules, type EnforcementSchedules, EnforcementTriggers } from './enforcement-triggers';
import { EnforcementWorkflows } from './enforcement-workflows';
import { TrailGuard } from './trail-guard';

/** Properties of {@link MoratoriumEnforcer}. */
export interface MoratoriumEnforcerProps {
  /** Validated governance settings: window, registry, enforcement scope. */
  readonly settings: GovernanceSettings;
  /** The tag that marks an unregistered role restricted, e.g. `govrec:category=police`. */
  readonly restrictedTag: { readonly key: string; readonly value: string };
  /** The intake bucket: uploads into it are logged and routed; the deny scope may name it. */
  readonly intakeBucket: s3.IBucket;
  /**
   * Key prefix of uploads in the intake bucket.
   * @default 'incoming/'
   */
  readonly intakePrefix?: string;
  /** The pipeline's own roles: their Rekognition calls and uploads are normal processing, not triggers. */
  readonly pipelineRoles: readonly iam.IRole[];
  /** Alarms and enforcement notifications. If it is KMS-encrypted, the workflows get use of its key. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Bucket for the trail bucket's server access logs.
   * @default - the trail creates its own access-log bucket
   */
  readonly accessLogsBucket?: s3.IBucket;
  /** Minutes between periodic sweeps (1-1440); bounds how long an unnoticed restricted role stays enabled. */
  readonly sweepIntervalMinutes: number;
  /**
   * Whether an `IamChangeForwarder` in us-east-1 forwards IAM role changes to this stack's region.
   * @default false (synth warns when this stack is not in us-east-1)
   */
  readonly iamEventsForwarded?: boolean;
  /**
   * The role the Organizations guardrails exempt (`guardrails.breakGlassPrincipalArn`): its every
   * use seen here is logged and alarmed.
   * @default - no break-glass role, no monitor
   */
  readonly breakGlassPrincipalArn?: string;
  /** @default RemovalPolicy.RETAIN (ledger, trail and logs are audit evidence) */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * "Now" for deciding whether the one-time start and end schedules are still in the future.
   * @default systemClock (synth time)
   */
  readonly clock?: Clock;
  /**
   * A one-time schedule closer to "now" than this is skipped (the deploy follows the synth).
   * @default Duration.minutes(15)
   */
  readonly scheduleLeadTime?: Duration;
}

/**
 * Disables restricted (police) roles for the moratorium window, keeps them disabled, restores them.
 *
 * @example
 * const enforcer = new MoratoriumEnforcer(this, 'MoratoriumEnforcer', {
 *   settings: config.governance, restrictedTag: config.restrictedTag, intakeBucket,
 *   pipelineRoles: [policyFn.role!, recognitionFn.role!], alarmTopic,
 *   sweepIntervalMinutes: config.sweepIntervalMinutes,
 * });
 * new CfnOutput(this, 'EnforceRoleStateMachineArn', { value: enforcer.enforceRole.stateMachineArn });
 */
export class MoratoriumEnforcer extends Construct {
  /** The workflows, ledger and least-privilege roles. */
  public readonly workflows: EnforcementWorkflows;
  /** The trail, rules and schedules. */
  public readonly triggers: EnforcementTriggers;
  /** The alarms. */
  public readonly alarms: EnforcementAlarms;
  /** Disables one role; a reviewer opens its executions to see why a role was or was not disabled. */
  public readonly enforceRole: sfn.StateMachine;
  /** Runs EnforceRole for every restricted role not yet disabled. */
  public readonly sweep: sfn.StateMachine;
  /** Lifts the deny at the configured end, or reschedules itself after an extension. */
  public readonly restore: sfn.StateMachine;
  /** Enforcement records (pk = role ARN; pk `MORATORIUM` for restore runs). */
  public readonly ledger: dynamodb.Table;
  /** The multi-region trail that feeds the rules. */
  public readonly trail: cloudtrail.Trail;
  /** Where the trail delivers its log files. */
  public readonly trailBucket: s3.Bucket;
  /** The EventBridge rules, by purpose. */
  public readonly rules: EnforcementRules;
  /** The Scheduler schedules (one-time ones absent when past at synth). */
  public readonly schedules: EnforcementSchedules;
  /** Schedule group of every enforcement schedule, the restore's reschedules included. */
  public readonly scheduleGroupName: string;
  /** Triggers that could not start a workflow (alarmed). */
  public readonly deadLetterQueue: sqs.Queue;
  /** The enforcement workflows' roles (state machines, functions, scheduler), left out of the IAM rule. */
  public readonly enforcerRoles: readonly iam.IRole[];
  /** One data point per tampered role. */
  public readonly tamperMetric: cloudwatch.Metric;
  /** Reverts and alarms (critical) a stop, deletion or narrowing of the trail. */
  public readonly trailGuard: TrailGuard;
  /** Logs and alarms every use of the break-glass role, when one is configured. */
  public readonly breakGlass?: BreakGlassMonitor;

  constructor(scope: Construct, id: string, props: MoratoriumEnforcerProps) {
    super(scope, id);
    const { settings, restrictedTag, removalPolicy } = props;

    this.workflows = new EnforcementWorkflows(this, 'Workflows', {
      settings,
      restrictedTag,
      alarmTopic: props.alarmTopic,
      removalPolicy,
      intakeBucketArn: props.intakeBucket.bucketArn,
    });
    this.triggers = new EnforcementTriggers(this, 'Triggers', {
      settings,
      intakeBucket: props.intakeBucket,
      intakePrefix: props.intakePrefix,
      pipelineRoles: props.pipelineRoles,
      enforcerRoles: this.workflows.enforcerRoles,
      enforceRole: this.workflows.enforceRole,
      sweep: this.workflows.sweep,
      restore: this.workflows.restore,
      schedulerRole: this.workflows.schedulerRole,
      scheduleGroup: this.workflows.scheduleGroup,
      sweepIntervalMinutes: props.sweepIntervalMinutes,
      restrictedTag,
      removalPolicy,
      accessLogsBucket: props.accessLogsBucket,
      iamEventsForwarded: props.iamEventsForwarded,
      clock: props.clock,
      scheduleLeadTime: props.scheduleLeadTime,
    });
    this.alarms = new EnforcementAlarms(this, 'Alarms', {
      alarmTopic: props.alarmTopic,
      tamperMetric: this.workflows.tamperMetric,
      stateMachines: {
        EnforceRole: this.workflows.enforceRole,
        Sweep: this.workflows.sweep,
        Restore: this.workflows.restore,
      },
      triggerDeadLetterQueue: this.triggers.deadLetterQueue,
    });

    this.trailGuard = new TrailGuard(this, 'TrailGuard', {
      trail: this.triggers.trail,
      trailBucket: this.triggers.trailBucket,
      trailKey: this.triggers.trailKey,
      eventSelectors: this.triggers.trailEventSelectors,
      alarmTopic: props.alarmTopic,
      removalPolicy,
    });
    if (props.breakGlassPrincipalArn !== undefined) {
      this.breakGlass = new BreakGlassMonitor(this, 'BreakGlass', {
        breakGlassPrincipalArn: props.breakGlassPrincipalArn,
        alarmTopic: props.alarmTopic,
      });
    }

    this.enforceRole = this.workflows.enforceRole;
    this.sweep = this.workflows.sweep;
    this.restore = this.workflows.restore;
    this.ledger = this.workflows.ledger;
    this.trail = this.triggers.trail;
    this.trailBucket = this.triggers.trailBucket;
    this.rules = this.triggers.rules;
    this.schedules = this.triggers.schedules;
    this.scheduleGroupName = this.workflows.scheduleGroupName;
    this.deadLetterQueue = this.triggers.deadLetterQueue;
    this.enforcerRoles = this.workflows.enforcerRoles;
    this.tamperMetric = this.workflows.tamperMetric;
  }
}
