/**
 * The reviewer's dashboard, top to bottom in the order a daily review reads it: the window and
 * the one number that must be zero, then denials, enforcement, failures, latency, Rekognition.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { GovernanceSettings } from '../../../lambda/shared/settings';
import type { ReviewMetrics } from './review-metrics';
import { UPLOAD_OUTCOMES } from './review-metrics';

export interface ReviewDashboardInput {
  readonly moratorium: MoratoriumSettings;
  readonly metrics: ReviewMetrics;
  /** Dead-letter queues by label. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** State machines by label. */
  readonly stateMachines: Readonly<Record<string, sfn.IStateMachine>>;
  /** Every alarm a reviewer should see the state of (this console's and the pipeline's). */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** Enforcer and workflow log groups, for the "latest step per role" table. @default - no table */
  readonly enforcementLogGroups?: readonly logs.ILogGroup[];
}

type MoratoriumSettings = GovernanceSettings['moratorium'];

const WIDTH = 24;
const HALF = 12;
const THIRD = 8;
/** The first row: window text, the two must-be-0 numbers, the alarm states. */
const TEXT = 10;
const SINGLE = 5;

/** The text at the top of the dashboard: the window in UTC and how to read it. */
export const moratoriumText = (moratorium: MoratoriumSettings): string =>
  [
    '# Moratorium on restricted use of face recognition',
    `**Window (UTC):** from **${moratorium.start}** until **${moratorium.end}** (start inclusive, end exclusive).`,
    `**Restricted categories:** ${moratorium.restrictedCategories.join(', ')}. In force whenever the current UTC time is inside the window; after it, ${moratorium.afterWindow === 'deny' ? 'restricted requests stay denied' : 'the normal registration rules apply'}.`,
    'The two big numbers beside this text must be **0**. Runbook: docs/runbook.md in the repository. Extending or lifting the window is a configuration change and a deploy (docs/enforcement.md).',
  ].join('\n\n');

/** Widgets in rows; the dashboard construct lays them out left to right, top to bottom. */
export const reviewWidgets = (input: ReviewDashboardInput): cloudwatch.IWidget[][] => {
  const m = input.metrics;
  const queues = Object.entries(input.deadLetterQueues);
  const machines = Object.entries(input.stateMachines);
  const rows: cloudwatch.IWidget[][] = [
    [
      new cloudwatch.TextWidget({ markdown: moratoriumText(input.moratorium), width: TEXT, height: 6 }),
      new cloudwatch.SingleValueWidget({
        title: 'Restricted requests ALLOWED inside the window (must be 0)',
        metrics: [m.restrictedAllowedInWindow()],
        setPeriodToTimeRange: true,
        width: SINGLE,
        height: 6,
      }),
      // The pipeline's decisions cannot see a call made around it; CloudTrail can.
      new cloudwatch.SingleValueWidget({
        title: 'Restricted calls SUCCEEDED outside the pipeline, inside the window (must be 0)',
        metrics: m.restrictedCallSucceeded(),
        setPeriodToTimeRange: true,
        width: SINGLE,
        height: 6,
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...input.alarms],
        width: WIDTH - TEXT - 2 * SINGLE,
        height: 6,
      }),
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Restricted requests denied, by reason',
        left: [m.restrictedDenialsByReason()],
        width: HALF,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'All decisions by effect',
        left: [m.decisionsByEffect('ALLOW'), m.decisionsByEffect('DENY')],
        width: HALF,
        height: 6,
      }),
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Roles disabled, restored, re-applied after tamper',
        left: [
          ...m.enforcement('rolesDisabled'),
          ...m.enforcement('rolesRestored'),
          ...m.enforcement('enforcementReapplied'),
        ],
        width: HALF,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Uploads by outcome, quarantined objects',
        left: [...UPLOAD_OUTCOMES.map((outcome) => m.uploads(outcome)), m.quarantined()],
        width: HALF,
        height: 6,
      }),
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Dead letters (messages visible)',
        left: queues.map(([label, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({
            label,
            statistic: cloudwatch.Stats.MAXIMUM,
            period: Duration.minutes(5),
          }),
        ),
        width: HALF,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Workflow executions failed, timed out, aborted',
        left: machines.flatMap(([label, machine]) => [
          machine.metricFailed({
            label: `${label} failed`,
            statistic: cloudwatch.Stats.SUM,
            period: Duration.minutes(5),
          }),
          machine.metricTimedOut({
            label: `${label} timed out`,
            statistic: cloudwatch.Stats.SUM,
            period: Duration.minutes(5),
          }),
          machine.metricAborted({
            label: `${label} aborted`,
            statistic: cloudwatch.Stats.SUM,
            period: Duration.minutes(5),
          }),
        ]),
        width: HALF,
        height: 6,
      }),
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Policy decision latency (ms)',
        left: [m.decisionLatency('p50'), m.decisionLatency('p99')],
        width: HALF,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'End-to-end time, upload to outcome (ms)',
        left: [m.endToEndLatency('p50'), m.endToEndLatency('p99')],
        width: HALF,
        height: 6,
      }),
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Rekognition calls by operation',
        left: m.rekognition('rekognitionCalls'),
        width: THIRD,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Rekognition errors by operation',
        left: m.rekognition('rekognitionErrors'),
        width: THIRD,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Rekognition throttles by operation',
        left: m.rekognition('rekognitionThrottles'),
        width: THIRD,
        height: 6,
      }),
    ],
  ];
  if (input.enforcementLogGroups !== undefined && input.enforcementLogGroups.length > 0) {
    rows.push([
      new cloudwatch.LogQueryWidget({
        title: 'Latest enforcement step per role (enforcer log; the ledger table is the record)',
        logGroupNames: input.enforcementLogGroups.map((group) => group.logGroupName),
        queryLines: [
          'filter message = "enforcer step"',
          'stats latest(recordAction) as lastAction, max(@timestamp) as lastSeen by roleArn',
          'sort lastSeen desc',
        ],
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width: WIDTH,
        height: 6,
      }),
    ]);
  }
  return rows;
};
