/**
 * The alarm every part of the pipeline raises the same way: evaluated once a period, silent while
 * there is no data (no decisions, no failures, an empty queue is the normal state), and notifying
 * the alarm topic when it fires.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface NotifyingAlarmProps {
  /** What it means and what to do: the reviewer reads this in the notification. */
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  /**
   * Where the alarm notifies.
   * @default - no action (the alarm still shows in the console)
   */
  readonly topic?: sns.ITopic;
  /** @default 1 */
  readonly threshold?: number;
  /** @default GREATER_THAN_OR_EQUAL_TO_THRESHOLD (any occurrence) */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default - all `evaluationPeriods` */
  readonly datapointsToAlarm?: number;
}

/**
 * @example
 * notifyingAlarm(this, 'TamperAlarm', { description: 'A deny was removed…', metric: tamperMetric, topic });
 */
export const notifyingAlarm = (scope: Construct, id: string, props: NotifyingAlarmProps): cloudwatch.Alarm => {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: props.description,
    metric: props.metric,
    threshold: props.threshold ?? 1,
    comparisonOperator: props.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: props.evaluationPeriods ?? 1,
    ...(props.datapointsToAlarm !== undefined ? { datapointsToAlarm: props.datapointsToAlarm } : {}),
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  if (props.topic !== undefined) alarm.addAlarmAction(new actions.SnsAction(props.topic));
  return alarm;
};

/** Messages visible in a dead-letter queue (maximum over a minute), the metric every DLQ alarm watches. */
export const deadLettersVisible = (queue: sqs.IQueue): cloudwatch.Metric =>
  queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM });
