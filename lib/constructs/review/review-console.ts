/**
 * Everything a governance reviewer opens in the AWS console (issue 5): a dashboard that says at
 * a glance whether the moratorium held, the alarms this pipeline did not already have, Logs
 * Insights saved queries, and stack outputs with the console links to start from. It takes the
 * pipeline's pieces as interfaces, so it can be embedded next to any stack that has them.
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { GovernanceSettings } from '../../../lambda/shared/settings';
import { ReviewAlarms, type ThrottlingAlarmOptions } from './review-alarms';
import { reviewWidgets } from './review-dashboard';
import { ReviewConsoleMisconfiguredError } from './review-errors';
import { consoleLinks } from './review-links';
import { ReviewMetrics, type ReviewServiceNames } from './review-metrics';
import { ReviewQueries } from './review-queries';

/** A dead-letter queue the console shows. */
export interface ReviewQueue {
  readonly queue: sqs.IQueue;
  /**
   * Alarm on it here. Leave false when the queue already has an alarm (the intake and trigger
   * queues do), so a reviewer does not get every dead letter twice.
   * @default false
   */
  readonly alarm?: boolean;
}

/** Properties of {@link ReviewConsole}. Every map is keyed by a PascalCase label shown in the console and used in ids. */
export interface ReviewConsoleProps {
  /** Validated governance settings: the window and restricted categories. */
  readonly settings: GovernanceSettings;
  /** The append-only decision/outcome ledger (GSIs byOrganisation, byRole, byPrincipal, byEffectCategory). */
  readonly auditTable: dynamodb.ITable;
  /** @default - no link output */
  readonly enforcementLedger?: dynamodb.ITable;
  /** The policy decision point's log group: the decision queries run on it (`HouseFunction.logGroup`). */
  readonly policyLogGroup: logs.ILogGroup;
  /** Dead-letter queues by label. */
  readonly deadLetterQueues: Readonly<Record<string, ReviewQueue>>;
  /** Enforcement state machines by label (failures charted, links output). @default - none */
  readonly stateMachines?: Readonly<Record<string, sfn.IStateMachine>>;
  /** Log groups of the enforcement workflows and enforcer functions (timeline query). @default - none */
  readonly enforcementLogGroups?: readonly logs.ILogGroup[];
  /** Buckets a reviewer opens, by label (links output). @default - none */
  readonly buckets?: Readonly<Record<string, s3.IBucket>>;
  /** Where the alarms go. */
  readonly alarmTopic: sns.ITopic;
  /** Alarms built elsewhere whose state the dashboard shows next to this console's own. @default - none */
  readonly alarms?: readonly cloudwatch.IAlarm[];
  /** @default { policy: 'policy', recognition: 'recognition' } */
  readonly serviceNames?: ReviewServiceNames;
  /** @default 'GovernedRecognition' */
  readonly namespace?: string;
  /** @default - 5 throttles a minute in 3 of 5 minutes */
  readonly throttling?: ThrottlingAlarmOptions;
  /**
   * Add stack outputs with the console links.
   * @default true
   */
  readonly outputs?: boolean;
}

/**
 * @example
 * new ReviewConsole(this, 'ReviewConsole', {
 *   settings: config.governance, auditTable, policyLogGroup: policyFn.logGroup, alarmTopic,
 *   deadLetterQueues: { Intake: { queue: intakeDlq } },
 *   stateMachines: { EnforceRole: enforcer.enforceRole }, buckets: { Intake: intakeBucket },
 * });
 */
export class ReviewConsole extends Construct {
  /** The reviewer's dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** This console's alarms. */
  public readonly alarms: ReviewAlarms;
  /** The Logs Insights saved queries. */
  public readonly queries: ReviewQueries;
  /** The metrics behind the widgets and alarms. */
  public readonly metrics: ReviewMetrics;
  /** Console links by output id. */
  public readonly links: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ReviewConsoleProps) {
    super(scope, id);
    const { settings } = props;
    const labels = [
      ...Object.keys(props.deadLetterQueues),
      ...Object.keys(props.stateMachines ?? {}),
      ...Object.keys(props.buckets ?? {}),
    ];
    const bad = labels.filter((label) => !/^[A-Z][A-Za-z0-9]*$/.test(label));
    if (bad.length > 0) {
      throw new ReviewConsoleMisconfiguredError(
        `labels become construct and output ids: use PascalCase letters and digits (got ${bad.map((l) => JSON.stringify(l)).join(', ')})`,
      );
    }
    this.metrics = new ReviewMetrics({
      namespace: props.namespace,
      serviceNames: props.serviceNames,
      restrictedCategories: settings.moratorium.restrictedCategories,
    });

    const queues = props.deadLetterQueues;
    this.alarms = new ReviewAlarms(this, 'Alarms', {
      alarmTopic: props.alarmTopic,
      metrics: this.metrics,
      throttling: props.throttling,
      deadLetterQueues: Object.fromEntries(
        Object.entries(queues)
          .filter(([, q]) => q.alarm === true)
          .map(([label, q]) => [label, q.queue]),
      ),
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      widgets: reviewWidgets({
        moratorium: settings.moratorium,
        metrics: this.metrics,
        deadLetterQueues: Object.fromEntries(Object.entries(queues).map(([label, q]) => [label, q.queue])),
        stateMachines: props.stateMachines ?? {},
        alarms: [...this.alarms.all, ...(props.alarms ?? [])],
        enforcementLogGroups: props.enforcementLogGroups,
      }),
    });

    this.queries = new ReviewQueries(this, 'Queries', {
      policyLogGroup: props.policyLogGroup,
      enforcementLogGroups: props.enforcementLogGroups,
      restrictedCategories: settings.moratorium.restrictedCategories,
      namePrefix: `${Stack.of(this).stackName}/`,
    });

    const links: Record<string, string> = {
      ReviewDashboardUrl: consoleLinks.dashboard(this.dashboard.dashboardName),
      ReviewAlarmsUrl: consoleLinks.alarms(),
      ReviewLogsInsightsUrl: consoleLinks.logsInsights(),
      ReviewAuditTableUrl: consoleLinks.tableItems(props.auditTable.tableName),
      ReviewAlarmTopicUrl: consoleLinks.topic(props.alarmTopic.topicArn),
    };
    if (props.enforcementLedger !== undefined)
      links.ReviewEnforcementLedgerUrl = consoleLinks.tableItems(props.enforcementLedger.tableName);
    for (const [label, bucket] of Object.entries(props.buckets ?? {}))
      links[`Review${label}BucketUrl`] = consoleLinks.bucket(bucket.bucketName);
    for (const [label, machine] of Object.entries(props.stateMachines ?? {}))
      links[`Review${label}StateMachineUrl`] = consoleLinks.stateMachine(machine.stateMachineArn);
    for (const [label, q] of Object.entries(queues))
      links[`Review${label}DeadLetterQueueUrl`] = consoleLinks.queue(q.queue.queueUrl);
    this.links = links;

    if (props.outputs !== false) {
      const stack = Stack.of(this);
      for (const [outputId, value] of Object.entries(links)) {
        // Stack-level ids, so `cdk deploy --outputs-file` shows `ReviewDashboardUrl`, not a hashed path.
        new CfnOutput(stack, outputId, {
          value,
          description: `Review console link: ${outputId.replace(/^Review|Url$/g, '')}`,
        });
      }
    }
  }
}
