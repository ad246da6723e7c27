/**
 * Tamper evidence for the audit and enforcement ledgers: their DynamoDB streams feed a recorder
 * that journals each change with its content hash; every few minutes a digester signs the digest
 * of each period that has ended (KMS asymmetric key) and stores it, chained to the previous one,
 * in an Object Lock bucket. `govrec verify` checks the ledgers against the digests later.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVIDENCE_DEFAULTS, EVIDENCE_ENV, EVIDENCE_METRIC_NAMES } from '../../../lambda/evidence/contract';
import { METRICS_NAMESPACE } from '../../../lambda/shared/contracts';
import type { GovernanceSettings } from '../../../lambda/shared/settings';
import { acknowledgeFunctionBaseline } from '../shared/function-acknowledgements';
import { HouseFunction } from '../shared/house-function';
import { deadLettersVisible, notifyingAlarm } from '../shared/notifying-alarm';
import { DigestBucket } from './digest-bucket';

export interface LedgerEvidenceProps {
  /** The audit ledger; its stream must be NEW_AND_OLD_IMAGES. */
  readonly auditTable: dynamodb.ITable;
  /** The enforcement ledger; its stream must be NEW_AND_OLD_IMAGES. */
  readonly enforcementTable: dynamodb.ITable;
  readonly settings: GovernanceSettings;
  /** @default 60 (hourly, plus a cut at the moratorium start and end) */
  readonly periodMinutes?: number;
  /** Days digests stay locked after the moratorium end. @default 365 */
  readonly retentionMarginDays?: number;
  readonly alarmTopic: sns.ITopic;
  readonly accessLogsBucket: s3.IBucket;
  /** Removal policy of the journal, functions' logs and queues; the key and bucket are always retained. */
  readonly removalPolicy?: RemovalPolicy;
}

const DAY_MS = 86_400_000;
/** How often the digester looks for periods to close. */
export const DIGEST_TICK = Duration.minutes(5);
const RECORDER_SERVICE = 'evidence-recorder';

/**
 * @example
 * new LedgerEvidence(this, 'Evidence', { auditTable, enforcementTable, settings, alarmTopic, accessLogsBucket });
 */
export class LedgerEvidence extends Construct {
  /** The Object Lock bucket holding the signed digests under `digests/`. */
  public readonly digestBucket: s3.Bucket;
  /** The KMS key (RSA_2048, SIGN_VERIFY) that signs the digests; its public key verifies them. */
  public readonly signingKey: kms.Key;
  /** Pending digest entries and the chain head (not evidence itself). */
  public readonly journal: dynamodb.Table;
  public readonly recorder: HouseFunction;
  public readonly digester: HouseFunction;

  constructor(scope: Construct, id: string, props: LedgerEvidenceProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const periodMinutes = props.periodMinutes ?? EVIDENCE_DEFAULTS.periodMinutes;
    const marginDays = props.retentionMarginDays ?? EVIDENCE_DEFAULTS.retentionMarginDays;
    const { start, end } = props.settings.moratorium;
    const windowDays = Math.ceil((Date.parse(end) - Date.parse(start)) / DAY_MS);

    this.signingKey = new kms.Key(this, 'SigningKey', {
      description: 'governed-recognition ledger digests (sign only)',
      keySpec: kms.KeySpec.RSA_2048,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      // Asymmetric keys cannot rotate; a new key would start a new chain. Digests outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.digestBucket = new DigestBucket(this, 'Digests', {
      retentionDays: windowDays + marginDays,
      accessLogsBucket: props.accessLogsBucket,
    }).bucket;
    this.journal = new dynamodb.Table(this, 'Journal', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });

    const environment = {
      [EVIDENCE_ENV.journalTable]: this.journal.tableName,
      [EVIDENCE_ENV.auditTable]: props.auditTable.tableName,
      [EVIDENCE_ENV.enforcementTable]: props.enforcementTable.tableName,
      [EVIDENCE_ENV.periodMinutes]: String(periodMinutes),
      [EVIDENCE_ENV.retentionMarginDays]: String(marginDays),
    };
    const queue = (name: string) =>
      new sqs.Queue(this, name, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy,
      });

    this.recorder = new HouseFunction(this, 'RecorderFunction', {
      handlerDir: 'evidence/recorder',
      serviceName: RECORDER_SERVICE,
      settings: props.settings,
      timeout: Duration.seconds(30),
      environment,
    });
    this.journal.grantWriteData(this.recorder);
    const recorderFailures = queue('RecorderFailures');
    for (const table of [props.auditTable, props.enforcementTable]) {
      this.recorder.addEventSource(
        new DynamoEventSource(table, {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: 100,
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          // Streams keep records 24 hours: keep retrying well inside that, then record the shard
          // range that was skipped (the digest then misses it, and verify reports those records).
          retryAttempts: 100,
          maxRecordAge: Duration.hours(12),
          onFailure: new SqsDlq(recorderFailures),
        }),
      );
    }

    this.digester = new HouseFunction(this, 'DigesterFunction', {
      handlerDir: 'evidence/digester',
      serviceName: 'evidence-digester',
      settings: props.settings,
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: 1,
      environment: {
        ...environment,
        [EVIDENCE_ENV.digestBucket]: this.digestBucket.bucketName,
        [EVIDENCE_ENV.digestPrefix]: EVIDENCE_DEFAULTS.digestPrefix,
        [EVIDENCE_ENV.signingKeyId]: this.signingKey.keyArn,
      },
    });
    this.journal.grantReadWriteData(this.digester);
    // Read back (a rerun adopts a stored digest), write once, with its own retention: nothing else.
    this.digester.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:PutObjectRetention'],
        resources: [this.digestBucket.arnForObjects(`${EVIDENCE_DEFAULTS.digestPrefix}*`)],
      }),
    );
    this.signingKey.grant(this.digester, 'kms:Sign');
    const digesterFailures = queue('DigesterFailures');
    new events.Rule(this, 'DigestTick', {
      description: 'Close the ledger digest periods that have ended',
      schedule: events.Schedule.rate(DIGEST_TICK),
      targets: [new targets.LambdaFunction(this.digester, { deadLetterQueue: digesterFailures, retryAttempts: 2 })],
    });

    acknowledgeFunctionBaseline(
      this.recorder,
      'dynamodb:ListStreams (granted with the stream event source) has no resource-level permissions.',
    );
    acknowledgeFunctionBaseline(this.digester);
    Validations.of(this.digester).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.digestBucket.node.defaultChild as s3.CfnBucket)}.Arn>/digests/*]`,
      reason:
        'The digester writes one new object per period under digests/; the object names are not known in advance.',
    });
    for (const dlq of [recorderFailures, digesterFailures]) {
      Validations.of(dlq).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself a failure destination (stream on-failure or EventBridge target DLQ), alarmed when not empty.',
      });
    }

    const topic = props.alarmTopic;
    notifyingAlarm(this, 'LedgerChangeAlarm', {
      description:
        'A ledger record was overwritten or deleted in a way no writer of the pipeline does, or written with a content hash that does not match it. The digest keeps the change: run govrec verify, and find who made it in CloudTrail.',
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: EVIDENCE_METRIC_NAMES.ledgerChangeObserved,
        dimensionsMap: { service: RECORDER_SERVICE },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      topic,
    });
    notifyingAlarm(this, 'RecorderFailuresAlarm', {
      description:
        'The evidence recorder gave up on a range of ledger stream records (see the queue message for the shard and sequence numbers). Those changes are in no digest: govrec verify will report the records as added after their digest.',
      metric: deadLettersVisible(recorderFailures),
      topic,
    });
    notifyingAlarm(this, 'DigesterFailuresAlarm', {
      description: 'The digest tick could not be delivered to the digester. Digests are late until it runs again.',
      metric: deadLettersVisible(digesterFailures),
      topic,
    });
    notifyingAlarm(this, 'DigesterErrorsAlarm', {
      description:
        'The digester failed on three ticks in a row (KMS, S3 or the journal): no digest is being written. Its logs say why; it resumes from the chain head.',
      metric: this.digester.metricErrors({ period: DIGEST_TICK, statistic: cloudwatch.Stats.SUM }),
      evaluationPeriods: 3,
      topic,
    });
  }
}
