/**
 * The append-only audit table behind `lambda/shared/audit.ts`. Append-only is enforced twice:
 * functions only ever get PutItem + GetItem (see {@link AuditLedgerTable.grantAppend}), and the
 * table's resource policy denies every principal the item-changing actions, so not even an
 * administrator's identity policy can rewrite history. The table is always retained.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AUDIT_INDEXES, AUDIT_KEYS } from '../../../lambda/shared/contracts';

/** Item-changing actions no principal may perform on the ledger. */
export const AUDIT_DENIED_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
] as const;

/** What a writer of the ledger gets: a conditional put and the read-back of the stored decision. */
export const AUDIT_APPEND_ACTIONS = ['dynamodb:PutItem', 'dynamodb:GetItem'] as const;

/** What a writer needs on the table key to put and get items. */
export const AUDIT_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

/**
 * The resource policy of an append-only ledger table (audit and enforcement): every principal is
 * denied updates, deletes, batch writes and PartiQL writes, so items can only be put and read.
 */
export const appendOnlyLedgerPolicy = (): iam.PolicyDocument =>
  new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AppendOnlyLedger',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...AUDIT_DENIED_ACTIONS],
        // `*` in a table's resource policy is the table itself (and its indexes): the table ARN
        // cannot be referenced from its own definition.
        resources: ['*'],
      }),
    ],
  });

/**
 * The decision/outcome ledger table.
 *
 * @example
 * const ledger = new AuditLedgerTable(this, 'AuditLedger');
 * ledger.grantAppend(policyFunction);
 */
export class AuditLedgerTable extends Construct {
  /**
   * The table (pk `decisionId`, sk `entry`) with the sparse reviewer GSIs of `AUDIT_INDEXES`:
   * byOrganisation, byRole, byPrincipal, byEffectCategory, each sorted by `decidedAt`.
   */
  public readonly table: dynamodb.Table;
  /** The customer-managed key the table is encrypted with. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Audit evidence outlives the stack: RETAIN regardless of the configured removal policy.
    this.key = new kms.Key(this, 'Key', {
      description: 'governed-recognition audit ledger',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: AUDIT_KEYS.partition, type: dynamodb.AttributeType.STRING },
      sortKey: { name: AUDIT_KEYS.sort, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Read by the evidence recorder (lib/constructs/evidence): every change, with both images.
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: RemovalPolicy.RETAIN,
      resourcePolicy: appendOnlyLedgerPolicy(),
    });
    // DynamoDB creates at most one GSI per table update and backfills it from the stored items:
    // add indexes one deploy at a time; a new one also covers decisions recorded before it.
    for (const [indexName, keys] of Object.entries(AUDIT_INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: keys.partition, type: dynamodb.AttributeType.STRING },
        sortKey: { name: keys.sort, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  /**
   * Let `grantee` append to the ledger: PutItem and GetItem on the table, and the key actions
   * they need. Deliberately not `grantWriteData`, which includes UpdateItem and DeleteItem.
   */
  grantAppend(grantee: iam.IGrantable): void {
    // The table ARN alone: `table.grant` would add `<table>/index/*`, which PutItem never needs.
    iam.Grant.addToPrincipal({ grantee, actions: [...AUDIT_APPEND_ACTIONS], resourceArns: [this.table.tableArn] });
    this.key.grant(grantee, ...AUDIT_KEY_ACTIONS);
  }

  /** Let `grantee` read and query the ledger (reviewers, the offline report). */
  grantRead(grantee: iam.IGrantable): void {
    this.table.grantReadData(grantee);
  }
}
