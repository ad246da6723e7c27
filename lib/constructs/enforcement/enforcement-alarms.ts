/**
 * The alarms of moratorium enforcement, all to the pipeline's alarm topic: a tampered role was
 * re-applied (or could not be), a workflow execution failed, timed out or was aborted, or a
 * trigger could not start a workflow at all (its dead-letter queue holds the event).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deadLettersVisible, notifyingAlarm } from '../shared/notifying-alarm';

/** Properties of {@link EnforcementAlarms}. */
export interface EnforcementAlarmsProps {
  /** Where every alarm goes. */
  readonly alarmTopic: sns.ITopic;
  /** One data point per tampered role (`EnforcementWorkflows.tamperMetric`). */
  readonly tamperMetric: cloudwatch.IMetric;
  /** The state machines whose unsuccessful executions alarm, by the name used in the alarm id. */
  readonly stateMachines: Readonly<Record<string, sfn.IStateMachine>>;
  /** Events and schedule invocations that could not start a workflow (`EnforcementTriggers.deadLetterQueue`). */
  readonly triggerDeadLetterQueue: sqs.IQueue;
}

/** Period of every enforcement alarm: short, because each one means a role may be unenforced. */
const PERIOD = Duration.minutes(5);

/**
 * @example
 * new EnforcementAlarms(this, 'Alarms', { alarmTopic, tamperMetric: workflows.tamperMetric, stateMachines: { EnforceRole: workflows.enforceRole }, triggerDeadLetterQueue: triggers.deadLetterQueue });
 */
export class EnforcementAlarms extends Construct {
  /** A restricted role's deny, revoke policy or tags were changed during the window. */
  public readonly tamper: cloudwatch.Alarm;
  /** Per state machine (same keys as the `stateMachines` prop): an execution failed, timed out or was aborted. */
  public readonly unsuccessfulExecutions: Readonly<Record<string, cloudwatch.Alarm>>;
  /** A CloudTrail event or a schedule could not start its workflow after all retries. */
  public readonly triggerDeadLetters: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: EnforcementAlarmsProps) {
    super(scope, id);
    // No data is the normal case: nothing was tampered with, nothing ran, nothing failed.
    const alarm = (
      alarmId: string,
      description: string,
      metric: cloudwatch.IMetric,
      comparisonOperator: cloudwatch.ComparisonOperator,
      threshold: number,
    ) => notifyingAlarm(this, alarmId, { description, metric, comparisonOperator, threshold, topic: props.alarmTopic });

    this.tamper = alarm(
      'TamperAlarm',
      "A restricted role's moratorium deny, revoke policy or tags were removed or altered during the window. The enforcer re-applied them where it may (see the SNS message and the enforcement ledger); find who made the change in CloudTrail.",
      props.tamperMetric,
      cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      1,
    );

    const unsuccessful: Record<string, cloudwatch.Alarm> = {};
    for (const [name, machine] of Object.entries(props.stateMachines)) {
      // FILL: a state machine that never failed publishes no ExecutionsFailed at all, and a sum
      // with a missing term is missing, which would hide a timeout behind the absent failure count.
      const metric = new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
        usingMetrics: {
          failed: machine.metricFailed({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
          timedOut: machine.metricTimedOut({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
          aborted: machine.metricAborted({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        },
        label: `${name} executions failed, timed out or aborted`,
        period: PERIOD,
      });
      unsuccessful[name] = alarm(
        `${name}UnsuccessfulExecutionsAlarm`,
        `A ${name} execution failed, timed out or was aborted: a restricted role may not be disabled (or restored) as configured. Open the execution in the Step Functions console; the failure was also published to this topic.`,
        metric,
        cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        1,
      );
    }
    this.unsuccessfulExecutions = unsuccessful;

    this.triggerDeadLetters = alarm(
      'TriggerDeadLetterAlarm',
      'An enforcement trigger (CloudTrail event or schedule) could not start its workflow after all retries and is in the dead-letter queue. Inspect the message and start the workflow by hand; the periodic sweep catches the role within the sweep interval.',
      deadLettersVisible(props.triggerDeadLetterQueue),
      cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      0,
    );
  }
}
