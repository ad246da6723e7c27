/**
 * The app's stack: the {@link GovernedRecognition} construct and the outputs a platform team
 * and reviewers look up after a deploy.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from './config/app-config';
import { GovernedRecognition } from './governed-recognition';

export interface GovernedRecognitionStackProps extends StackProps {
  /** The validated deployment configuration. */
  readonly config: AppConfig;
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
    const pipeline = new GovernedRecognition(this, 'GovernedRecognition', { config: props.config });
    this.pipeline = pipeline;
    const { moratorium } = props.config.governance;
    const outputs: Record<string, [string, string]> = {
      IntakeBucketName: [pipeline.intakeBucket.bucketName, 'Upload to incoming/<orgId>/<operation>/<name>'],
      QuarantineBucketName: [pipeline.quarantineBucket.bucketName, 'Denied uploads, tagged with decision id and reason'],
      ResultsBucketName: [pipeline.resultsBucket.bucketName, 'Recognition results (JSON) by organisation and key'],
      AuditTableName: [pipeline.auditTable.tableName, 'Append-only decision and outcome ledger'],
      IntakeQueueUrl: [pipeline.intakeQueue.queueUrl, 'Object-created events of the intake bucket'],
      DeadLetterQueueUrl: [pipeline.deadLetterQueue.queueUrl, 'Intake events that failed repeatedly'],
      PolicyFunctionName: [pipeline.policyFunction.functionName, 'The policy decision point'],
      RecognitionFunctionName: [pipeline.recognitionFunction.functionName, 'The recognition worker'],
      AlarmTopicArn: [pipeline.alarmTopic.topicArn, 'Alarms and notifications'],
      MoratoriumStart: [moratorium.start, 'Start of the moratorium window [start, end) in UTC'],
      MoratoriumEnd: [moratorium.end, 'End of the moratorium window [start, end) in UTC'],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) new CfnOutput(this, id, { value, description });
  }
}
