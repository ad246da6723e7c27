/**
 * The recognition Lambda: consumes intake events, asks the policy function, and only on allow
 * calls the organisation's Rekognition operation. Its role is the only one in the app with any
 * `rekognition:` action, and only for the operations (and collections) the registry uses.
 */
import { type CfnElement, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DEFAULTS, ENV, messageBudgetMs } from '../../../lambda/shared/contracts';
import type { GovernanceSettings } from '../../../lambda/shared/settings';
import { InfrastructureError } from '../../errors';
import type { AuditLedgerTable } from '../decision/audit-ledger-table';
import type { GovernedIntake } from '../intake/governed-intake';
import { INCOMING_PREFIX } from '../intake/intake-bucket-policy';
import type { EncryptedBucket } from '../shared/encrypted-bucket';
import { acknowledgeFunctionBaseline } from '../shared/function-acknowledgements';
import { HouseFunction } from '../shared/house-function';
import type { FaceCollections } from './face-collections';
import type { IdempotencyStore } from './idempotency-store';
import { rekognitionStatements } from './rekognition-permissions';

/** The recognition function's timeout; the intake queue's visibility timeout is six times it. */
export const RECOGNITION_TIMEOUT = Duration.seconds(60);
/**
 * How long the worker waits for a decision. A late answer is not a denial: the upload stays in
 * intake and the message is retried (only the final receive records POLICY_UNAVAILABLE).
 */
export const POLICY_TIMEOUT_MS = DEFAULTS.policyTimeoutMs;
/** Messages per invocation; failures are reported per item, so one bad upload does not fail ten. */
export const RECOGNITION_BATCH_SIZE = 10;

export interface RecognitionWorkerProps {
  /** The validated governance settings, compiled into the bundle; they also decide the Rekognition grants. */
  readonly governance: GovernanceSettings;
  /** The intake bucket and queue the worker consumes and removes denied uploads from. */
  readonly intake: GovernedIntake;
  /** Where denied uploads are copied, tagged with decision id and reason. */
  readonly quarantine: EncryptedBucket;
  /** Where recognition results are written as JSON. */
  readonly results: EncryptedBucket;
  /** The ledger the worker appends outcomes to. */
  readonly auditLedger: AuditLedgerTable;
  /** The Powertools idempotency records (one per bucket, key and version). */
  readonly idempotency: IdempotencyStore;
  /** The face collections search and index operations are scoped to. */
  readonly collections: FaceCollections;
  /** The policy decision point asked before anything else. */
  readonly policyFunction: lambda.IFunction;
  /**
   * Cap on concurrent executions (a Rekognition TPS budget).
   * @default - unreserved
   */
  readonly reservedConcurrency?: number;
  /**
   * Maximum concurrent invocations the intake queue's event source starts (2-1000). A burst then
   * waits in the queue rather than scaling the worker into Rekognition throttling (and the dead
   * letter queue after five receives). Each invocation handles up to `RECOGNITION_BATCH_SIZE`
   * messages, so size it with your Rekognition TPS quota in mind.
   * @default DEFAULTS.recognitionMaxConcurrency (5: the default Rekognition image TPS in most Regions)
   */
  readonly maxConcurrency?: number;
}

/**
 * @example
 * const worker = new RecognitionWorker(this, 'RecognitionWorker', { governance, intake, quarantine, results, auditLedger, idempotency, collections, policyFunction });
 */
export class RecognitionWorker extends Construct {
  /** The recognition function. */
  public readonly function: HouseFunction;

  constructor(scope: Construct, id: string, props: RecognitionWorkerProps) {
    super(scope, id);
    const { intake, quarantine, results } = props;
    const budgetMs = messageBudgetMs(POLICY_TIMEOUT_MS);
    if (RECOGNITION_TIMEOUT.toMilliseconds() < 2 * budgetMs)
      throw new InfrastructureError(
        `the recognition timeout (${RECOGNITION_TIMEOUT.toSeconds()} s) must cover at least two message budgets (${budgetMs} ms each: the policy timeout plus 15 s); raise RECOGNITION_TIMEOUT or lower POLICY_TIMEOUT_MS`,
      );
    const fn = new HouseFunction(this, 'Function', {
      handlerDir: 'recognition',
      serviceName: 'recognition',
      description: 'governed-recognition worker: policy decision first, Rekognition only on allow',
      settings: props.governance,
      timeout: RECOGNITION_TIMEOUT,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        [ENV.auditTable]: props.auditLedger.table.tableName,
        [ENV.idempotencyTable]: props.idempotency.table.tableName,
        [ENV.quarantineBucket]: quarantine.bucket.bucketName,
        [ENV.resultsBucket]: results.bucket.bucketName,
        [ENV.policyFunction]: props.policyFunction.functionName,
        [ENV.policyTimeoutMs]: String(POLICY_TIMEOUT_MS),
        [ENV.maxReceiveCount]: String(intake.maxReceiveCount),
      },
    });
    this.function = fn;
    const maxConcurrency = props.maxConcurrency ?? DEFAULTS.recognitionMaxConcurrency;
    if (
      !Token.isUnresolved(maxConcurrency) &&
      (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000)
    ) {
      throw new InfrastructureError(
        `maxConcurrency must be a whole number from 2 to 1000, the SQS event source limit (got ${maxConcurrency}); set recognitionMaxConcurrency in the configuration`,
      );
    }
    fn.addEventSource(
      new SqsEventSource(intake.queue, {
        batchSize: RECOGNITION_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency,
      }),
    );

    const incoming = `${intake.bucket.bucketArn}/${INCOMING_PREFIX}*`;
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadAndRemoveIntakeUploads',
        actions: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:GetObjectTagging',
          's3:GetObjectVersionTagging',
          's3:DeleteObjectVersion',
        ],
        resources: [incoming],
      }),
      new iam.PolicyStatement({
        sid: 'DecryptIntakeUploads',
        actions: ['kms:Decrypt'],
        resources: [intake.bucketKey.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'WriteQuarantine',
        // PutObjectTagging with a VersionId (the copy's version) is authorised as PutObjectVersionTagging.
        actions: ['s3:PutObject', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'],
        resources: [quarantine.bucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        sid: 'WriteResults',
        actions: ['s3:PutObject'],
        resources: [results.bucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptQuarantineAndResults',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [quarantine.key.keyArn, results.key.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'AskPolicyDecisionPoint',
        actions: ['lambda:InvokeFunction'],
        resources: [props.policyFunction.functionArn],
      }),
      ...rekognitionStatements(props.governance, props.collections),
    ];
    for (const statement of statements) fn.addToRolePolicy(statement);
    props.auditLedger.grantAppend(fn);
    props.idempotency.grantUse(fn);

    acknowledgeFunctionBaseline(
      fn,
      'rekognition:DetectFaces has none either: it analyses the image it is given, not a resource.',
    );
    acknowledgeObjectWildcard(
      fn,
      intake.bucket,
      INCOMING_PREFIX,
      'Uploads have arbitrary names under incoming/<org>/<operation>/; the worker reads and removes whichever one the event names.',
    );
    acknowledgeObjectWildcard(
      fn,
      quarantine.bucket,
      '',
      'Quarantined copies are written under the key of the denied upload, which is only known at run time.',
    );
    acknowledgeObjectWildcard(
      fn,
      results.bucket,
      '',
      'Result objects are named after the upload they describe, which is only known at run time.',
    );
  }
}

/** Acknowledge the object wildcard (`<bucket>/<prefix>*`) a role needs on a bucket, with why. */
const acknowledgeObjectWildcard = (fn: HouseFunction, bucket: s3.Bucket, prefix: string, reason: string): void => {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement);
  Validations.of(fn).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}*]`, reason });
};
