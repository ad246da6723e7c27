/**
 * The enforcement ledger: what enforcement did to which role, and when. It gets the audit
 * ledger's protection: a customer-managed key, point-in-time recovery, deletion protection,
 * always retained, and a resource policy that denies every principal the item-changing actions,
 * so records are only ever added (conditional puts), never rewritten or removed.
 *
 * Keys: pk = role ARN, sk = `EVENT#<at>#<eventId>`, `WINDOW#<until>` (the role's disable in a
 * window), `WINDOW#<until>#CLOSED` (its restore, appended beside it), `RESTORED#...`; pk
 * `MORATORIUM` for restore runs. Table options (streams, indexes) belong here.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AUDIT_KEY_ACTIONS, appendOnlyLedgerPolicy } from '../decision/audit-ledger-table';

/**
 * @example
 * const ledger = new EnforcementLedgerTable(this, 'Ledger');
 * ledger.grantKey(stateMachineRole); // DynamoPutItem/GetItem tasks grant the table actions themselves
 */
export class EnforcementLedgerTable extends Construct {
  /** The table (pk, sk strings). */
  public readonly table: dynamodb.Table;
  /** Its customer-managed key. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Enforcement evidence outlives the stack: RETAIN regardless of the configured removal policy.
    this.key = new kms.Key(this, 'Key', {
      description: 'governed-recognition enforcement ledger',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Read by the evidence recorder (lib/constructs/evidence): every change, with both images.
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      resourcePolicy: appendOnlyLedgerPolicy(),
    });
  }

  /** Let `grantee` use the key for the ledger reads and puts its tasks make. */
  grantKey(grantee: iam.IGrantable): void {
    this.key.grant(grantee, ...AUDIT_KEY_ACTIONS);
  }
}
