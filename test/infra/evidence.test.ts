import { Match } from 'aws-cdk-lib/assertions';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { configWith, logicalIdOf, synthStack } from '../helpers/cdk-app';

// Example window: 2027-06-10 .. 2028-06-10 is 366 days (leap year); configured margin 30 days.
const config = configWith((json) => {
  json.moratorium.start = '2027-06-10T00:00:00Z';
  json.moratorium.end = '2028-06-10T00:00:00Z';
  json.evidence = { periodMinutes: 30, retentionMarginDays: 30 };
});
const { stack, template } = synthStack(config);
const evidence = stack.pipeline.evidence;
const resourcesOf = (type: string) => template.findResources(type);

describe('LedgerEvidence template', () => {
  it('signs with an RSA 2048 sign-only KMS key that is retained', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('keeps digests in a versioned bucket with Object Lock in COMPLIANCE mode for the window plus the margin', () => {
    const bucket = resourcesOf('AWS::S3::Bucket')[logicalIdOf(evidence.digestBucket.node.defaultChild as s3.CfnBucket)];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 366 + 30 } },
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('streams both ledgers with old and new images into the recorder, with an on-failure queue', () => {
    const tables = Object.values(resourcesOf('AWS::DynamoDB::Table')).filter(
      (table) => table.Properties.StreamSpecification !== undefined,
    );
    expect(tables).toHaveLength(2);
    for (const table of tables)
      expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const mappings = Object.values(resourcesOf('AWS::Lambda::EventSourceMapping')).filter(
      (mapping) => mapping.Properties.FunctionName?.Ref === logicalIdOf(evidence.recorder),
    );
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings)
      expect(mapping.Properties).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      });
  });

  it('runs one digester every five minutes, with the configured period and margin, and a dead-letter queue', () => {
    const fn = resourcesOf('AWS::Lambda::Function')[logicalIdOf(evidence.digester)];
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(1);
    expect(fn.Properties.Environment.Variables).toMatchObject({
      EVIDENCE_PERIOD_MINUTES: '30',
      EVIDENCE_RETENTION_MARGIN_DAYS: '30',
      EVIDENCE_DIGEST_PREFIX: 'digests/',
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
  });

  it('lets the digester sign and write digests, and never delete or unlock them', () => {
    const policies = Object.values(resourcesOf('AWS::IAM::Policy')).filter((policy) =>
      policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === logicalIdOf(evidence.digester.role!)),
    );
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['kms:Sign', 's3:PutObject', 's3:PutObjectRetention']));
    for (const forbidden of [
      /^s3:Delete/,
      /^s3:PutBucketObjectLock/,
      /^s3:BypassGovernanceRetention/,
      /^s3:\*$/,
      /^kms:\*$/,
    ])
      expect(actions.filter((action: string) => forbidden.test(action))).toEqual([]);
  });

  it('alarms on ledger changes the pipeline never makes, both failure queues and digester errors', () => {
    const alarms = Object.values(resourcesOf('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
    expect(alarms.filter((alarm) => alarm.MetricName === 'LedgerChangeObserved')).toEqual([
      expect.objectContaining({
        Namespace: 'GovernedRecognition',
        Dimensions: [{ Name: 'service', Value: 'evidence-recorder' }],
      }),
    ]);
    expect(
      alarms.filter((alarm) =>
        String(alarm.AlarmDescription).match(/evidence recorder gave up|digest tick|digester failed/),
      ),
    ).toHaveLength(3);
  });
});

describe('evidence configuration', () => {
  it.each([
    [{ periodMinutes: 2 }, /evidence.periodMinutes: must be a whole number of minutes from 5 to 1440/],
    [{ retentionMarginDays: 0 }, /evidence.retentionMarginDays: must be a whole number of days/],
  ])('refuses %j with a message that says how to fix it', (evidence, message) => {
    expect(() => configWith((json) => (json.evidence = evidence))).toThrow(message);
  });
});
