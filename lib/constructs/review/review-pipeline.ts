/**
 * The review console's props taken from a {@link GovernedRecognition} pipeline, so the stack adds
 * the console in one line and the choice of what a reviewer sees lives next to the console.
 */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import type { AppConfig } from '../../config/app-config';
import type { GovernedRecognition } from '../../governed-recognition';
import type { ReviewConsoleProps } from './review-console';

/** Every construct of type `T` under `scope` (the pipeline does not expose all its alarms and log groups one by one). */
const allUnder = <T>(scope: IConstruct, type: abstract new (...args: never[]) => T): T[] =>
  scope.node.findAll().filter((c): c is IConstruct & T => c instanceof type);

/**
 * Props for a {@link ReviewConsole} over `pipeline`. The intake and trigger dead-letter queues are
 * alarmed where they are built, so they are charted here but not alarmed again; every alarm of
 * the pipeline shows in the dashboard's alarm widget.
 *
 * @example
 * new ReviewConsole(this, 'ReviewConsole', reviewConsolePropsFor(pipeline, config));
 */
export const reviewConsolePropsFor = (pipeline: GovernedRecognition, config: AppConfig): ReviewConsoleProps => ({
  settings: config.governance,
  auditTable: pipeline.auditTable,
  enforcementLedger: pipeline.enforcer.ledger,
  policyLogGroup: pipeline.policyFunction.logGroup,
  deadLetterQueues: {
    Intake: { queue: pipeline.deadLetterQueue },
    EnforcementTriggers: { queue: pipeline.enforcer.deadLetterQueue },
  },
  stateMachines: {
    EnforceRole: pipeline.enforcer.enforceRole,
    Sweep: pipeline.enforcer.sweep,
    Restore: pipeline.enforcer.restore,
  },
  // The enforcer functions' and the state machines' log groups.
  enforcementLogGroups: allUnder(pipeline.enforcer.workflows, logs.LogGroup),
  buckets: {
    Intake: pipeline.intakeBucket,
    Quarantine: pipeline.quarantineBucket,
    Results: pipeline.resultsBucket,
    EnforcementTrail: pipeline.enforcer.trailBucket,
  },
  alarmTopic: pipeline.alarmTopic,
  alarms: allUnder(pipeline, cloudwatch.Alarm),
});
