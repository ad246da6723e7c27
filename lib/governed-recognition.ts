/**
 * The governed intake pipeline as one embeddable construct: intake bucket and queue, the policy
 * decision point, the recognition worker, the audit ledger, quarantine and results buckets, face
 * collections, the alarm topic, and the moratorium enforcer that disables restricted roles. A platform team can drop it into its own stack; the app's
 * `GovernedRecognitionStack` is just one such stack.
 */
import { FeatureFlags, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as rekognition from 'aws-cdk-lib/aws-rekognition';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AppConfig } from './config/app-config';
import { AuditLedgerTable } from './constructs/decision/audit-ledger-table';
import { PolicyDecisionPoint } from './constructs/decision/policy-decision-point';
import { MoratoriumEnforcer } from './constructs/enforcement/moratorium-enforcer';
import { LedgerEvidence } from './constructs/evidence/ledger-evidence';
import { crossAccountIntakeDenyStatements } from './constructs/intake/cross-account-deny';
import { GovernedIntake } from './constructs/intake/governed-intake';
import { FaceCollections } from './constructs/recognition/face-collections';
import { IdempotencyStore } from './constructs/recognition/idempotency-store';
import { RECOGNITION_TIMEOUT, RecognitionWorker } from './constructs/recognition/recognition-worker';
import { AccessLogBucket } from './constructs/shared/access-log-bucket';
import { AlarmTopic } from './constructs/shared/alarm-topic';
import { EncryptedBucket } from './constructs/shared/encrypted-bucket';
import type { HouseFunction } from './constructs/shared/house-function';
import { MissingFeatureFlagError } from './errors';

/** Without it S3 grants log delivery through an ACL, which buckets with ACLs disabled reject. */
export const ACCESS_LOGS_FLAG = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

export interface GovernedRecognitionProps {
  /** The validated deployment configuration (`loadAppConfig` / `parseAppConfig`). */
  readonly config: AppConfig;
  /**
   * Cap on concurrent recognition executions.
   * @default - unreserved
   */
  readonly recognitionReservedConcurrency?: number;
  /**
   * How long the policy function caches a resolved role.
   * @default 300
   */
  readonly identityCacheTtlSeconds?: number;
  /**
   * Override the configured removal policy of buckets, keys, collections and the idempotency
   * table. The audit ledger is retained whatever this says.
   * @default - `config.removalPolicy`
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Whether an `IamChangeForwarder` in a us-east-1 stack of the same account forwards IAM role
   * changes to this stack's region (`bin/app.ts` adds one when the region is not us-east-1).
   * Without it, outside us-east-1, synth warns and IAM changes are caught by the sweep only.
   * @default false
   */
  readonly iamEventsForwarded?: boolean;
}

/**
 * @example
 * const config = loadAppConfig('config/governance.json');
 * const pipeline = new GovernedRecognition(stack, 'GovernedRecognition', { config });
 * new CfnOutput(stack, 'IntakeBucketName', { value: pipeline.intakeBucket.bucketName });
 */
export class GovernedRecognition extends Construct {
  /** Uploads go to `incoming/<orgId>/<operation>/<name>`. */
  public readonly intakeBucket: s3.Bucket;
  /** Denied uploads, tagged with decision id and reason, expired after the configured days. */
  public readonly quarantineBucket: s3.Bucket;
  /** Recognition results as JSON, by organisation and key. */
  public readonly resultsBucket: s3.Bucket;
  /** Server access logs of the three buckets above. */
  public readonly accessLogsBucket: s3.Bucket;
  /** The append-only decision/outcome ledger. */
  public readonly auditTable: dynamodb.Table;
  /** The ledger construct (use its `grantAppend` for further writers). */
  public readonly auditLedger: AuditLedgerTable;
  /** The Powertools idempotency records of the recognition worker. */
  public readonly idempotencyTable: dynamodb.Table;
  /** Object-created events of `incoming/`. */
  public readonly intakeQueue: sqs.Queue;
  /** Intake events that failed repeatedly (alarmed). */
  public readonly deadLetterQueue: sqs.Queue;
  /** The policy decision point. */
  public readonly policyFunction: HouseFunction;
  /** The recognition worker. */
  public readonly recognitionFunction: HouseFunction;
  /** Alarms and notifications. */
  public readonly alarmTopic: sns.Topic;
  /** Face collections by collection id. */
  public readonly collections: ReadonlyMap<string, rekognition.CfnCollection>;
  /** Moratorium enforcement: workflows, trail, rules, schedules and their alarms. */
  public readonly enforcer: MoratoriumEnforcer;
  /** Signed, chained digests of both ledgers in an Object Lock bucket (docs/evidence.md). */
  public readonly evidence: LedgerEvidence;

  constructor(scope: Construct, id: string, props: GovernedRecognitionProps) {
    super(scope, id);
    if (!FeatureFlags.of(this).isEnabled(ACCESS_LOGS_FLAG)) {
      throw new MissingFeatureFlagError(
        ACCESS_LOGS_FLAG,
        'access logs are delivered through a bucket policy, as buckets have ACLs disabled',
      );
    }
    const { config } = props;
    const removalPolicy =
      props.removalPolicy ?? (config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
    const governance = config.governance;

    const alarms = new AlarmTopic(this, 'Alarms', { email: config.alarmEmail, removalPolicy });
    const logs = new AccessLogBucket(this, 'AccessLogs', { removalPolicy });
    const intake = new GovernedIntake(this, 'Intake', {
      orgPrincipalTag: config.orgPrincipalTag,
      uploaderRoleArns: [...new Set(governance.organisations.flatMap((org) => org.roleArns))].sort(),
      accessLogsBucket: logs.bucket,
      alarmTopic: alarms.topic,
      consumerTimeout: RECOGNITION_TIMEOUT,
      removalPolicy,
    });
    const quarantine = new EncryptedBucket(this, 'Quarantine', {
      purpose: 'quarantine',
      accessLogsBucket: logs.bucket,
      expireAfterDays: config.quarantine.retentionDays,
      removalPolicy,
    });
    const results = new EncryptedBucket(this, 'Results', {
      purpose: 'results',
      accessLogsBucket: logs.bucket,
      expireAfterDays: config.results.retentionDays,
      removalPolicy,
    });
    const auditLedger = new AuditLedgerTable(this, 'AuditLedger');
    const idempotency = new IdempotencyStore(this, 'Idempotency', { removalPolicy });
    const collections = new FaceCollections(this, 'Collections', { governance, removalPolicy });
    const pdp = new PolicyDecisionPoint(this, 'PolicyDecisionPoint', {
      governance,
      auditLedger,
      restrictedTag: config.restrictedTag,
      identityCacheTtlSeconds: props.identityCacheTtlSeconds,
    });
    const worker = new RecognitionWorker(this, 'RecognitionWorker', {
      governance,
      intake,
      quarantine,
      results,
      auditLedger,
      idempotency,
      collections,
      policyFunction: pdp.function,
      reservedConcurrency: props.recognitionReservedConcurrency,
      maxConcurrency: config.recognitionMaxConcurrency,
    });

    // Roles of restricted organisations in other accounts cannot be given a deny from here: the
    // bucket refuses them instead, for the same window (and any principal tagged restricted).
    for (const statement of crossAccountIntakeDenyStatements({
      settings: governance,
      bucketArn: intake.bucket.bucketArn,
      stackAccount: Stack.of(this).account,
      restrictedTag: config.restrictedTag,
    })) {
      intake.bucket.addToResourcePolicy(statement);
    }
    this.enforcer = new MoratoriumEnforcer(this, 'MoratoriumEnforcer', {
      settings: governance,
      restrictedTag: config.restrictedTag,
      intakeBucket: intake.bucket,
      pipelineRoles: [pdp.function.role, worker.function.role],
      alarmTopic: alarms.topic,
      accessLogsBucket: logs.bucket,
      sweepIntervalMinutes: config.sweepIntervalMinutes,
      iamEventsForwarded: props.iamEventsForwarded,
      breakGlassPrincipalArn: config.guardrails.breakGlassPrincipalArn,
      removalPolicy,
    });
    this.evidence = new LedgerEvidence(this, 'Evidence', {
      auditTable: auditLedger.table,
      enforcementTable: this.enforcer.ledger,
      settings: governance,
      periodMinutes: config.evidence.periodMinutes,
      retentionMarginDays: config.evidence.retentionMarginDays,
      alarmTopic: alarms.topic,
      accessLogsBucket: logs.bucket,
      removalPolicy,
    });

    this.intakeBucket = intake.bucket;
    this.quarantineBucket = quarantine.bucket;
    this.resultsBucket = results.bucket;
    this.accessLogsBucket = logs.bucket;
    this.auditLedger = auditLedger;
    this.auditTable = auditLedger.table;
    this.idempotencyTable = idempotency.table;
    this.intakeQueue = intake.queue;
    this.deadLetterQueue = intake.deadLetterQueue;
    this.policyFunction = pdp.function;
    this.recognitionFunction = worker.function;
    this.alarmTopic = alarms.topic;
    this.collections = collections.byId;
  }
}
