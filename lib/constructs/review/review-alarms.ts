/**
 * The review console's own alarms, all to the pipeline's alarm topic: a restricted request was
 * allowed inside the moratorium window (critical; should be impossible), a restricted role's own
 * Rekognition call or intake upload succeeded inside the window (critical), Rekognition throttling
 * is sustained, and (only for queues that have no alarm of their own) a dead letter arrived.
 * Tamper, failed enforcement executions and the intake and trigger dead-letter queues are
 * alarmed where those pieces are built; this construct does not alarm them twice.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLettersVisible, notifyingAlarm } from '../shared/notifying-alarm';
import { filledSum, type ReviewMetrics } from './review-metrics';

/** When Rekognition throttling counts as sustained. */
export interface ThrottlingAlarmOptions {
  /** Throttled attempts per minute (all operations) that make a minute bad. @default 5 */
  readonly threshold?: number;
  /** Bad minutes ... @default 3 */
  readonly datapointsToAlarm?: number;
  /** ... out of this many. @default 5 */
  readonly evaluationPeriods?: number;
}

export interface ReviewAlarmsProps {
  readonly alarmTopic: sns.ITopic;
  readonly metrics: ReviewMetrics;
  /** @default - 5 throttles a minute in 3 of 5 minutes */
  readonly throttling?: ThrottlingAlarmOptions;
  /**
   * Dead-letter queues with no alarm elsewhere, by a PascalCase label used in the alarm id.
   * @default - none
   */
  readonly deadLetterQueues?: Readonly<Record<string, sqs.IQueue>>;
}

/**
 * @example
 * new ReviewAlarms(this, 'Alarms', { alarmTopic, metrics: new ReviewMetrics({ restrictedCategories: ['police'] }) });
 */
export class ReviewAlarms extends Construct {
  /** Critical: any ALLOW for a restricted caller while the moratorium is in force. */
  public readonly restrictedAllowed: cloudwatch.Alarm;
  /** Critical: a restricted role's own Rekognition call or intake upload succeeded inside the window (CloudTrail, via EnforceRole). */
  public readonly restrictedCallSucceeded: cloudwatch.Alarm;
  /** Rekognition throttled at least `threshold` times a minute in `datapointsToAlarm` of `evaluationPeriods` minutes. */
  public readonly throttling: cloudwatch.Alarm;
  /** The policy function refuses to decide: its policy set did not load or lacks the moratorium rules. */
  public readonly policySetUnavailable: cloudwatch.Alarm;
  /** Per label of `deadLetterQueues`. */
  public readonly deadLetters: Readonly<Record<string, cloudwatch.Alarm>>;
  /** Every alarm above. */
  public readonly all: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ReviewAlarmsProps) {
    super(scope, id);
    const topic = props.alarmTopic;

    // No decisions at all is normal (nobody uploaded), not a breach.
    this.restrictedAllowed = notifyingAlarm(this, 'RestrictedAllowedInWindowAlarm', {
      description:
        'CRITICAL: the policy decision point allowed a restricted (police) caller while the moratorium is in force. This should be impossible. Follow docs/runbook.md "Restricted request allowed": find the decision id in the policy log, check the Cedar policies and the role registry, disable the role by hand.',
      metric: props.metrics.restrictedAllowedInWindow(Duration.minutes(1)),
      datapointsToAlarm: 1,
      topic,
    });

    // No such call at all is the expected state, not a breach.
    this.restrictedCallSucceeded = notifyingAlarm(this, 'RestrictedCallSucceededAlarm', {
      description:
        'CRITICAL: CloudTrail shows a restricted (police) role calling Rekognition or uploading to the intake bucket successfully while the moratorium is in force (the deny was not in place yet, or did not hold). Follow docs/runbook.md "Restricted call succeeded": find the call in the enforcement ledger and the trail, check the role\'s deny, disable it by hand if needed.',
      metric: props.metrics.restrictedCallsSucceeded(Duration.minutes(1)),
      datapointsToAlarm: 1,
      topic,
    });

    // Nothing published is the normal state: the metric only exists while requests are refused.
    this.policySetUnavailable = notifyingAlarm(this, 'PolicySetUnavailableAlarm', {
      description:
        'The policy function refuses to decide: its Cedar policy set did not load or lacks the moratorium rules (moratorium-in-force, restricted-after-moratorium). Uploads wait in intake and are retried; on their final receive they end UNAVAILABLE in quarantine. Follow docs/runbook.md "Policy set unavailable": restore policies/moratorium.cedar, redeploy, redrive.',
      metric: props.metrics.policySetUnavailable(Duration.minutes(1)),
      datapointsToAlarm: 1,
      topic,
    });

    const throttling = props.throttling ?? {};
    const throttles = props.metrics.rekognition('rekognitionThrottles', Duration.minutes(1));
    this.throttling = notifyingAlarm(this, 'RekognitionThrottlingAlarm', {
      description:
        'Rekognition has throttled the recognition worker for several minutes: uploads are retried and may reach the dead-letter queue. Check the account quota (TPS) of the operation and the worker concurrency; see docs/runbook.md.',
      metric: new cloudwatch.MathExpression({
        ...filledSum('t', throttles),
        label: 'Rekognition throttles (all operations)',
        period: Duration.minutes(1),
      }),
      threshold: throttling.threshold ?? 5,
      evaluationPeriods: throttling.evaluationPeriods ?? 5,
      datapointsToAlarm: throttling.datapointsToAlarm ?? 3,
      topic,
    });

    const deadLetters: Record<string, cloudwatch.Alarm> = {};
    for (const [label, queue] of Object.entries(props.deadLetterQueues ?? {})) {
      deadLetters[label] = notifyingAlarm(this, `${label}DeadLetterAlarm`, {
        description: `A message is in the ${label} dead-letter queue: something failed repeatedly and has no recorded outcome. Inspect the message and redrive it (docs/runbook.md).`,
        metric: deadLettersVisible(queue),
        topic,
      });
    }
    this.deadLetters = deadLetters;
    this.all = [
      this.restrictedAllowed,
      this.restrictedCallSucceeded,
      this.policySetUnavailable,
      this.throttling,
      ...Object.values(deadLetters),
    ];
  }
}
