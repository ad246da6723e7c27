/**
 * What starts the enforcement workflows: CloudTrail events routed by EventBridge rules (Rekognition
 * calls, intake uploads, IAM changes to roles) and EventBridge Scheduler schedules (the sweep at
 * the moratorium start and periodically, the restore at the end). Design flows 4 and 5.
 */
import { Annotations, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type Clock, systemClock } from '../../../lambda/shared/moratorium';
import type { GovernanceSettings } from '../../../lambda/shared/settings';
import { InfrastructureError } from '../../errors';
import {
  cloudTrailPattern,
  IAM_ROLE_CHANGES,
  INTAKE_WRITES,
  notByRoles,
  roleChainingPattern,
} from './enforcement-patterns';
import { EnforcementTrail } from './enforcement-trail';

/**
 * Whether a one-time schedule at `instant` can still fire if created now: Scheduler does not fire
 * one whose time has gone by, and the deploy follows synth by up to `leadTime`.
 */
export const isSchedulable = (instant: Date, now: Date, leadTime: Duration): boolean =>
  instant.getTime() > now.getTime() + leadTime.toMilliseconds();

/** What a schedule asks the sweep or restore workflow to do (the workflows' input contract). */
export type ScheduleTrigger = 'moratorium-start' | 'periodic' | 'moratorium-end';

/** Properties of {@link EnforcementTriggers}. */
export interface EnforcementTriggersProps {
  /** Validated governance settings: the window decides the one-time schedules. */
  readonly settings: GovernanceSettings;
  /** The intake bucket: its upload data events are logged and routed. */
  readonly intakeBucket: s3.IBucket;
  /**
   * Key prefix of uploads in the intake bucket.
   * @default 'incoming/'
   */
  readonly intakePrefix?: string;
  /** The pipeline's own Lambda roles, left out of the Rekognition and intake patterns. */
  readonly pipelineRoles: readonly iam.IRole[];
  /**
   * The enforcement workflows' own roles (`EnforcementWorkflows.enforcerRoles`), left out of the
   * IAM pattern: the enforcer's own PutRolePolicy/TagRole/DeleteRolePolicy would otherwise start
   * one more (no-op) execution per write. Every other caller, an administrator included, still
   * matches, so tampering is detected.
   * @default - every caller matches the IAM pattern
   */
  readonly enforcerRoles?: readonly iam.IRole[];
  /** Receives the raw EventBridge event of every matched CloudTrail API call. */
  readonly enforceRole: sfn.IStateMachine;
  /** Receives `{ "trigger": "moratorium-start" | "periodic" }`. */
  readonly sweep: sfn.IStateMachine;
  /** Receives `{ "trigger": "moratorium-end" }`. */
  readonly restore: sfn.IStateMachine;
  /** Execution role of the schedules (trusts scheduler.amazonaws.com); gets start + DLQ rights. */
  readonly schedulerRole: iam.IRole;
  /**
   * Schedule group for the schedules (e.g. `EnforcementWorkflows.scheduleGroupName`, where the
   * restore workflow reschedules), so a reviewer finds them all in one place.
   * @default - the account's `default` group
   */
  readonly scheduleGroupName?: string;
  /**
   * The schedule group itself (e.g. `EnforcementWorkflows.scheduleGroup`); preferred over
   * `scheduleGroupName`, and every schedule depends on it.
   * @default - `scheduleGroupName`, else the account's `default` group
   */
  readonly scheduleGroup?: scheduler.IScheduleGroup;
  /** Minutes between periodic sweeps (5-1440, validated in the app config). */
  readonly sweepIntervalMinutes: number;
  /** The tag that marks a role restricted; named in the IAM rule's description for reviewers. */
  readonly restrictedTag: { readonly key: string; readonly value: string };
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Bucket for the trail bucket's server access logs (pass the stack's shared one).
   * @default - the trail creates its own access-log bucket
   */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * Whether an `IamChangeForwarder` in us-east-1 forwards IAM role changes to this region. When it
   * does not and this stack is elsewhere, synth warns that the IAM rule sees nothing here.
   * @default false
   */
  readonly iamEventsForwarded?: boolean;
  /**
   * Also deliver the trail to CloudWatch Logs.
   * @default false
   */
  readonly sendTrailToCloudWatchLogs?: boolean;
  /**
   * Where "now" comes from when deciding whether a one-time schedule is already in the past.
   * @default systemClock (synth time)
   */
  readonly clock?: Clock;
  /**
   * A one-time instant closer to "now" than this is treated as past: the stack may deploy after
   * synth, and Scheduler does not fire a one-time schedule whose time has gone by.
   * @default Duration.minutes(15)
   */
  readonly scheduleLeadTime?: Duration;
}

/** The EventBridge rules, by purpose. */
export interface EnforcementRules {
  readonly rekognitionCalls: events.Rule;
  readonly intakeUploads: events.Rule;
  readonly iamRoleChanges: events.Rule;
  /** Role sessions assuming another role (STS calls of this region; the global endpoint's are forwarded from us-east-1). */
  readonly roleChaining: events.Rule;
}

/** The schedules; a one-time schedule is absent when its instant was past at synth. */
export interface EnforcementSchedules {
  readonly moratoriumStart?: scheduler.Schedule;
  readonly periodicSweep: scheduler.Schedule;
  readonly moratoriumEnd?: scheduler.Schedule;
}

/**
 * The trail, rules and schedules that start enforcement.
 *
 * @example
 * new EnforcementTriggers(this, 'EnforcementTriggers', {
 *   settings, intakeBucket, pipelineRoles: [recognitionFn.role!], restrictedTag: config.restrictedTag,
 *   enforceRole: workflows.enforceRole, sweep: workflows.sweep, restore: workflows.restore,
 *   schedulerRole: workflows.schedulerRole, sweepIntervalMinutes: config.sweepIntervalMinutes,
 * });
 */
export class EnforcementTriggers extends Construct {
  /** The multi-region trail. */
  public readonly trail: EnforcementTrail['trail'];
  /** The trail's log bucket. */
  public readonly trailBucket: s3.Bucket;
  /** The trail's own key. */
  public readonly trailKey: EnforcementTrail['key'];
  /** The trail's event selectors in the CloudTrail API's shape. */
  public readonly trailEventSelectors: EnforcementTrail['apiEventSelectors'];
  /** The rules, by purpose. */
  public readonly rules: EnforcementRules;
  /** The schedules. */
  public readonly schedules: EnforcementSchedules;
  /** Events and schedule invocations that could not start a workflow after all retries. Alarm on it. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: EnforcementTriggersProps) {
    super(scope, id);
    const { settings, intakeBucket, intakePrefix = 'incoming/', removalPolicy = RemovalPolicy.RETAIN } = props;
    if (
      !Number.isInteger(props.sweepIntervalMinutes) ||
      props.sweepIntervalMinutes < 1 ||
      props.sweepIntervalMinutes > 1440
    ) {
      throw new InfrastructureError(
        `sweepIntervalMinutes must be a whole number of minutes from 1 to 1440 (got ${props.sweepIntervalMinutes}); it bounds how long a restricted role that produced no event stays enabled`,
      );
    }

    const trail = new EnforcementTrail(this, 'Trail', {
      intakeBucket,
      intakePrefix,
      removalPolicy,
      accessLogsBucket: props.accessLogsBucket,
      sendToCloudWatchLogs: props.sendTrailToCloudWatchLogs,
    });
    this.trail = trail.trail;
    this.trailBucket = trail.bucket;
    this.trailKey = trail.key;
    this.trailEventSelectors = trail.apiEventSelectors;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the enforcement rules and schedules; nothing consumes it automatically.',
    });

    this.rules = this.createRules(props, intakePrefix);
    this.schedules = this.createSchedules(props, settings);
  }

  private createRules(props: EnforcementTriggersProps, intakePrefix: string): EnforcementRules {
    const pipelineArns = props.pipelineRoles.map((role) => role.roleArn);
    // One role for all three rules, scoped by the target to starting the enforce workflow.
    const eventsRole = new iam.Role(this, 'EventsRole', {
      // Only rules of this account may hand the role to EventBridge (confused-deputy guard).
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets the enforcement rules start the enforce-role workflow',
    });
    const target = new targets.SfnStateMachine(props.enforceRole, {
      role: eventsRole,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 185,
      maxEventAge: Duration.hours(24),
    });
    const rule = (id: string, description: string, eventPattern: events.EventPattern) =>
      new events.Rule(this, id, { description, eventPattern, targets: [target] });

    const rekognitionCalls = rule(
      'RekognitionCallsRule',
      'Rekognition API calls by anyone but the pipeline roles, read-only calls included -> enforce-role workflow',
      cloudTrailPattern('rekognition', notByRoles(pipelineArns)),
    );
    // Detect*/Search* are read-only management events: a rule in state ENABLED never sees them.
    // The L2 only knows enabled/disabled, hence the escape hatch.
    (rekognitionCalls.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

    const intakeUploads = rule(
      'IntakeUploadsRule',
      'Uploads to the intake bucket by anyone but the pipeline roles (CloudTrail data events) -> enforce-role workflow',
      cloudTrailPattern('s3', {
        eventName: [...INTAKE_WRITES],
        requestParameters: { bucketName: [props.intakeBucket.bucketName], key: [{ prefix: intakePrefix }] },
        ...notByRoles(pipelineArns),
      }),
    );

    const { key, value } = props.restrictedTag;
    const enforcerArns = (props.enforcerRoles ?? []).map((role) => role.roleArn);
    const iamRoleChanges = rule(
      'IamRoleChangesRule',
      `IAM changes that could create, hide or un-enforce a restricted role (tag ${key}=${value}), by anyone but the enforcer -> enforce-role workflow`,
      cloudTrailPattern('iam', { eventName: [...IAM_ROLE_CHANGES], ...notByRoles(enforcerArns) }),
    );
    const roleChaining = rule(
      'RoleChainingRule',
      'A role session assuming another role (a restricted session leaving its deny behind) -> enforce-role workflow',
      roleChainingPattern(),
    );
    // Whether CloudTrail flags AssumeRole read-only or not, the rule must see it.
    (roleChaining.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
    if (!props.iamEventsForwarded) this.warnWhenIamEventsCannotArrive(props.sweepIntervalMinutes);
    return { rekognitionCalls, intakeUploads, iamRoleChanges, roleChaining };
  }

  /** IAM is global: EventBridge receives its CloudTrail events in us-east-1 only. */
  private warnWhenIamEventsCannotArrive(sweepIntervalMinutes: number): void {
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region === 'us-east-1') return;
    Validations.of(this).addWarning(
      'govrec:iam-events-us-east-1',
      `IAM CloudTrail events reach EventBridge only in us-east-1, and this stack deploys to ${Token.isUnresolved(region) ? 'an unresolved region' : region}: ` +
        'the IAM role-change rule will not fire here, so a new, tagged or tampered police role is caught by the periodic sweep ' +
        `within ${sweepIntervalMinutes} minutes instead. Deploy in us-east-1, or add an IamChangeForwarder in a us-east-1 stack and set iamEventsForwarded, to close the gap.`,
    );
  }

  private createSchedules(props: EnforcementTriggersProps, settings: GovernanceSettings): EnforcementSchedules {
    const now = (props.clock ?? systemClock).now();
    const leadTime = props.scheduleLeadTime ?? Duration.minutes(15);
    const tooLate = `is past, or less than ${leadTime.toHumanString()} away, at synth (${now.toISOString()})`;
    const start = new Date(settings.moratorium.start);
    const end = new Date(settings.moratorium.end);

    const scheduleGroup =
      props.scheduleGroup ??
      (props.scheduleGroupName === undefined
        ? undefined
        : scheduler.ScheduleGroup.fromScheduleGroupName(this, 'ScheduleGroup', props.scheduleGroupName));
    const schedule = (
      id: string,
      description: string,
      expression: scheduler.ScheduleExpression,
      machine: sfn.IStateMachine,
      trigger: ScheduleTrigger,
    ) => {
      const created = new scheduler.Schedule(this, id, {
        description,
        scheduleGroup,
        schedule: expression,
        timeWindow: scheduler.TimeWindow.off(),
        target: new schedulerTargets.StepFunctionsStartExecution(machine, {
          role: props.schedulerRole,
          input: scheduler.ScheduleTargetInput.fromObject({ trigger }),
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      });
      // A group created in this stack is referenced by Ref (a dependency); a name given as a plain
      // string is a group managed elsewhere, which must exist before the deploy.
      return created;
    };

    const periodicSweep = schedule(
      'PeriodicSweepSchedule',
      'Sweeps for restricted roles that are not disabled; a no-op outside the moratorium window',
      scheduler.ScheduleExpression.rate(Duration.minutes(props.sweepIntervalMinutes)),
      props.sweep,
      'periodic',
    );

    let moratoriumStart: scheduler.Schedule | undefined;
    if (isSchedulable(start, now, leadTime)) {
      moratoriumStart = schedule(
        'MoratoriumStartSchedule',
        `Sweeps at the moratorium start (${settings.moratorium.start})`,
        scheduler.ScheduleExpression.at(start),
        props.sweep,
        'moratorium-start',
      );
    } else {
      Annotations.of(this).addInfo(
        `The moratorium start (${settings.moratorium.start}) ${tooLate}, so no one-time start schedule is created: the periodic sweep disables restricted roles within ${props.sweepIntervalMinutes} minutes of deployment.`,
      );
    }

    let moratoriumEnd: scheduler.Schedule | undefined;
    if (isSchedulable(end, now, leadTime)) {
      moratoriumEnd = schedule(
        'MoratoriumEndSchedule',
        `Restores restricted roles at the moratorium end (${settings.moratorium.end})`,
        scheduler.ScheduleExpression.at(end),
        props.restore,
        'moratorium-end',
      );
    } else {
      Validations.of(this).addWarning(
        'govrec:end-schedule-skipped',
        `The moratorium end (${settings.moratorium.end}) ${tooLate}, so no restore schedule is created. ` +
          (settings.moratorium.afterWindow === 'deny'
            ? 'With afterWindow "deny" the deny policies stay in force; '
            : 'The deny policies lapse at the end by themselves (their aws:CurrentTime condition); ') +
          'to remove them and clear the tags, start the restore workflow once with input {"trigger":"moratorium-end"}.',
      );
    }
    return { moratoriumStart, periodicSweep, moratoriumEnd };
  }
}
