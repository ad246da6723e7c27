import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Match } from 'aws-cdk-lib/assertions';
import { configWith, getAttArn, logicalIdOf, synthStack } from '../helpers/cdk-app';

// A configuration that asks for `destroy`: the ledger must be retained anyway.
const { stack, template } = synthStack(configWith((json) => (json.removalPolicy = 'destroy')));
const pipeline = stack.pipeline;
const auditTable = () => template.toJSON().Resources[logicalIdOf(pipeline.auditTable)];

describe('AuditLedgerTable', () => {
  it('keys decisions by decisionId and entry, billed per request', () => {
    expect(auditTable().Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'decisionId', KeyType: 'HASH' },
        { AttributeName: 'entry', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has the four sparse reviewer indexes documented in lambda/shared/audit.ts, all sorted by decidedAt', () => {
    expect(auditTable().Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byOrganisation',
        KeySchema: [
          { AttributeName: 'orgId', KeyType: 'HASH' },
          { AttributeName: 'decidedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'byRole',
        KeySchema: [
          { AttributeName: 'roleArn', KeyType: 'HASH' },
          { AttributeName: 'decidedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'byPrincipal',
        KeySchema: [
          { AttributeName: 'principalId', KeyType: 'HASH' },
          { AttributeName: 'decidedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'byEffectCategory',
        KeySchema: [
          { AttributeName: 'effectCategory', KeyType: 'HASH' },
          { AttributeName: 'decidedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('declares every key attribute of the table and its indexes as a string, and no other', () => {
    expect(auditTable().Properties.AttributeDefinitions).toEqual(
      ['decisionId', 'entry', 'orgId', 'decidedAt', 'roleArn', 'principalId', 'effectCategory'].map((name) => ({
        AttributeName: name,
        AttributeType: 'S',
      })),
    );
  });

  it('has point-in-time recovery, deletion protection and a customer-managed key', () => {
    expect(auditTable().Properties).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: getAttArn(pipeline.auditLedger.key) },
    });
  });

  it('is retained, with its key, even when the configuration asks to destroy resources', () => {
    expect(auditTable()).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(template.toJSON().Resources[logicalIdOf(pipeline.auditLedger.key)]).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(template.toJSON().Resources[logicalIdOf(pipeline.intakeBucket)]).toMatchObject({ DeletionPolicy: 'Delete' });
  });

  it('denies every principal the item-changing actions in its resource policy (append-only)', () => {
    expect(auditTable().Properties.ResourcePolicy).toEqual({
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AppendOnlyLedger',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: [
              'dynamodb:BatchWriteItem',
              'dynamodb:DeleteItem',
              'dynamodb:PartiQLDelete',
              'dynamodb:PartiQLUpdate',
              'dynamodb:UpdateItem',
            ],
            Resource: '*',
          },
        ],
      },
    });
  });
});

describe('IdempotencyStore', () => {
  it('has the Powertools shape: partition key id and TTL on expiration', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      ResourcePolicy: Match.absent(),
    });
  });

  it('follows the configured removal policy', () => {
    expect(template.toJSON().Resources[logicalIdOf(pipeline.idempotencyTable)]).toMatchObject({
      DeletionPolicy: 'Delete',
    });
  });
});

describe('AuditLedgerTable resource policy, simulated', () => {
  const TABLE = 'arn:aws:dynamodb:eu-west-1:111111111111:table/GovernedRecognition-AuditLedger';
  const administrator = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }],
  };

  const asAdministrator = async (action: string): Promise<string> => {
    const result = await runSimulation(
      {
        request: {
          principal: 'arn:aws:iam::111111111111:role/administrator',
          action,
          resource: { resource: TABLE, accountId: '111111111111' },
          contextVariables: {},
        },
        identityPolicies: [{ name: 'admin', policy: administrator }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: auditTable().Properties.ResourcePolicy.PolicyDocument,
      },
      { simulationMode: 'Strict' },
    );
    if (result.resultType !== 'single') throw new Error(`Simulation failed: ${JSON.stringify(result)}`);
    return result.overallResult;
  };

  it.each([
    ['dynamodb:UpdateItem', 'ExplicitlyDenied'],
    ['dynamodb:DeleteItem', 'ExplicitlyDenied'],
    ['dynamodb:BatchWriteItem', 'ExplicitlyDenied'],
    ['dynamodb:PartiQLUpdate', 'ExplicitlyDenied'],
    ['dynamodb:PartiQLDelete', 'ExplicitlyDenied'],
    ['dynamodb:PutItem', 'Allowed'],
    ['dynamodb:GetItem', 'Allowed'],
    ['dynamodb:Query', 'Allowed'],
  ])('gives even a dynamodb:* administrator %s: %s', async (action, expected) => {
    await expect(asAdministrator(action)).resolves.toBe(expected);
  });
});
