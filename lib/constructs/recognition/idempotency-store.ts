/**
 * The Powertools idempotency table: one record per processed upload (keyed on bucket, key and
 * version), so a redelivered event does not call Rekognition twice. Records expire by TTL.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Attribute names the Powertools DynamoDB persistence layer uses by default. */
export const IDEMPOTENCY_KEYS = { partition: 'id', ttl: 'expiration' } as const;

export interface IdempotencyStoreProps {
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A DynamoDB table in the shape `@aws-lambda-powertools/idempotency` expects.
 *
 * @example
 * const store = new IdempotencyStore(this, 'Idempotency');
 * store.grantUse(worker);
 */
export class IdempotencyStore extends Construct {
  /** The table (pk `id`, TTL attribute `expiration`). */
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: IdempotencyStoreProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: IDEMPOTENCY_KEYS.partition, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: IDEMPOTENCY_KEYS.ttl,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // Records hold payload hashes and status only: the AWS-managed key (listed and audited in
      // KMS, unlike the default AWS-owned key) is enough, and needs no key grants.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  /** The persistence layer reads, puts (conditionally), updates and deletes its records. */
  grantUse(grantee: iam.IGrantable): void {
    this.table.grantReadWriteData(grantee);
  }
}
