/**
 * The app's stack: the {@link GovernedRecognition} construct and the outputs a platform team
 * and reviewers look up after a deploy.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from './config/app-config';
import { ReviewConsole } from './constructs/review/review-console';
import { reviewConsolePropsFor } from './constructs/review/review-pipeline';
import { GovernedRecognition } from './governed-recognition';

export interface GovernedRecognitionStackProps extends StackProps {
  /** The validated deployment configuration. */
  readonly config: AppConfig;
  /**
   * Whether a us-east-1 `IamChangeForwarder` forwards IAM role changes to this stack's region.
   * @default false
   */
  readonly iamEventsForwarded?: boolean;
}

/**
 * @example
 * new GovernedRecognitionStack(app, 'GovernedRecognition', { config, env: { account, region } });
 */
export class GovernedRecognitionStack extends Stack {
  /** The pipeline. */
  public readonly pipeline: GovernedRecognition;

  constructor(scope: Construct, id: string, props: GovernedRecognitionStackProps) {
    super(scope, id, props);
    const pipeline = new GovernedRecognition(this, 'GovernedRecognition', {
      config: props.config,
      iamEventsForwarded: props.iamEventsForwarded,
    });
    this.pipeline = pipeline;
    const { moratorium } = props.config.governance;
    const outputs: Record<string, [string, string]> = {
      IntakeBucketName: [pipeline.intakeBucket.bucketName, 'Upload to incoming/<orgId>/<operation>/<name>'],
      ...(pipeline.intakeBucket.encryptionKey !== undefined
        ? {
            IntakeKeyArn: [
              pipeline.intakeBucket.encryptionKey.keyArn,
              "The intake bucket's KMS key: uploader roles need kms:GenerateDataKey on it (docs/deploy.md)",
            ] as [string, string],
          }
        : {}),
      QuarantineBucketName: [
        pipeline.quarantineBucket.bucketName,
        'Denied uploads, tagged with decision id and reason',
      ],
      ResultsBucketName: [pipeline.resultsBucket.bucketName, 'Recognition results (JSON) by organisation and key'],
      AuditTableName: [pipeline.auditTable.tableName, 'Append-only decision and outcome ledger'],
      IntakeQueueUrl: [pipeline.intakeQueue.queueUrl, 'Object-created events of the intake bucket'],
      DeadLetterQueueUrl: [pipeline.deadLetterQueue.queueUrl, 'Intake events that failed repeatedly'],
      PolicyFunctionName: [pipeline.policyFunction.functionName, 'The policy decision point'],
      RecognitionFunctionName: [pipeline.recognitionFunction.functionName, 'The recognition worker'],
      AlarmTopicArn: [pipeline.alarmTopic.topicArn, 'Alarms and notifications'],
      EnforceRoleStateMachineArn: [
        pipeline.enforcer.enforceRole.stateMachineArn,
        'Disables one restricted role: its executions show why a role was or was not disabled',
      ],
      SweepStateMachineArn: [
        pipeline.enforcer.sweep.stateMachineArn,
        'Finds restricted roles not yet disabled and runs EnforceRole for each',
      ],
      RestoreStateMachineArn: [
        pipeline.enforcer.restore.stateMachineArn,
        'Lifts the moratorium deny at the configured end, or reschedules after an extension',
      ],
      EnforcementLedgerTableName: [pipeline.enforcer.ledger.tableName, 'Enforcement records by role ARN'],
      EnforcementTrailBucketName: [
        pipeline.enforcer.trailBucket.bucketName,
        'CloudTrail log files of the enforcement trail',
      ],
      DigestBucketName: [
        pipeline.evidence.digestBucket.bucketName,
        'Signed ledger digests (Object Lock), for govrec verify',
      ],
      DigestSigningKeyArn: [
        pipeline.evidence.signingKey.keyArn,
        'KMS key that signs the digests; export its public key',
      ],
      MoratoriumStart: [moratorium.start, 'Start of the moratorium window [start, end) in UTC'],
      MoratoriumEnd: [moratorium.end, 'End of the moratorium window [start, end) in UTC'],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) new CfnOutput(this, id, { value, description });
    // Dashboard, alarms, saved queries and `Review...Url` console links (docs/runbook.md).
    new ReviewConsole(this, 'ReviewConsole', reviewConsolePropsFor(pipeline, props.config));
  }
}
