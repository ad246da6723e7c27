import { Match } from 'aws-cdk-lib/assertions';
import { getAttArn, logicalIdOf, synthStack } from '../helpers/cdk-app';

const { stack, template } = synthStack();
const pipeline = stack.pipeline;
const enforcer = pipeline.enforcer;
const dataBuckets = {
  intake: pipeline.intakeBucket,
  quarantine: pipeline.quarantineBucket,
  results: pipeline.resultsBucket,
};

describe('GovernedRecognition encryption at rest', () => {
  it('encrypts every bucket: data buckets with a customer-managed key, the access-log and trail buckets with SSE-S3', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(6);
    const algorithms = Object.fromEntries(
      Object.entries(buckets).map(([id, bucket]) => [
        id,
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
          .SSEAlgorithm,
      ]),
    );
    expect(algorithms).toEqual({
      [logicalIdOf(pipeline.accessLogsBucket)]: 'AES256',
      [logicalIdOf(pipeline.intakeBucket)]: 'aws:kms',
      [logicalIdOf(pipeline.quarantineBucket)]: 'aws:kms',
      [logicalIdOf(pipeline.resultsBucket)]: 'aws:kms',
      // The trail encrypts its log files with its own key (the trail's KMSKeyId); the bucket default
      // is SSE-S3 because it also receives CloudTrail's digest files and nothing else.
      [logicalIdOf(enforcer.trailBucket)]: 'AES256',
      // Signed digests: SSE-S3 so an auditor's read access needs no grant on an operator-held key.
      [logicalIdOf(pipeline.evidence.digestBucket)]: 'AES256',
    });
  });

  it("encrypts the trail log files with the trail's own rotating key", () => {
    const trail = Object.values(template.findResources('AWS::CloudTrail::Trail'));
    expect(trail).toHaveLength(1);
    const keyId = trail[0]!.Properties.KMSKeyId['Fn::GetAtt'][0] as string;
    expect(template.toJSON().Resources[keyId]).toMatchObject({
      Type: 'AWS::KMS::Key',
      Properties: { EnableKeyRotation: true },
    });
  });

  it.each(Object.entries(dataBuckets))('gives the %s bucket its own rotating key and bucket keys', (_name, bucket) => {
    const resource = template.toJSON().Resources[logicalIdOf(bucket)];
    const sse = resource.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0];
    expect(sse.BucketKeyEnabled).toBe(true);
    const keyId = sse.ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0] as string;
    expect(template.toJSON().Resources[keyId]).toMatchObject({
      Type: 'AWS::KMS::Key',
      Properties: { EnableKeyRotation: true },
    });
    const otherKeys = Object.values(dataBuckets)
      .filter((other) => other !== bucket)
      .map(
        (other) =>
          template.toJSON().Resources[logicalIdOf(other)].Properties.BucketEncryption
            .ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0],
      );
    expect(otherKeys).not.toContain(keyId);
  });

  it('encrypts both intake queues with a key that is not the intake bucket key, the enforcement and evidence failure queues with SSE-SQS', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const evidenceQueues = Object.keys(queues).filter((id) => id.startsWith('GovernedRecognitionEvidence'));
    expect(evidenceQueues).toHaveLength(2);
    expect(Object.keys(queues).sort()).toEqual(
      [
        logicalIdOf(pipeline.intakeQueue),
        logicalIdOf(pipeline.deadLetterQueue),
        logicalIdOf(enforcer.deadLetterQueue),
        ...evidenceQueues,
      ].sort(),
    );
    for (const id of evidenceQueues) expect(queues[id]!.Properties).toMatchObject({ SqsManagedSseEnabled: true });
    expect(queues[logicalIdOf(enforcer.deadLetterQueue)]!.Properties).toMatchObject({ SqsManagedSseEnabled: true });
    const intakeQueues = [queues[logicalIdOf(pipeline.intakeQueue)]!, queues[logicalIdOf(pipeline.deadLetterQueue)]!];
    const keys = new Set(intakeQueues.map((queue) => JSON.stringify(queue.Properties.KmsMasterKeyId)));
    expect(keys.size).toBe(1);
    const bucketKey =
      template.toJSON().Resources[logicalIdOf(pipeline.intakeBucket)].Properties.BucketEncryption
        .ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID;
    expect([...keys][0]).not.toBe(JSON.stringify(bucketKey));
  });

  it('encrypts the audit and enforcement ledgers with their customer-managed keys, the idempotency table with KMS', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: getAttArn(stack.pipeline.auditLedger.key) },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true },
    });
    const tables = Object.values(template.findResources('AWS::DynamoDB::Table'));
    expect(tables.map((table) => table.Properties.SSESpecification.SSEEnabled)).toEqual([true, true, true, true]);
    expect(template.toJSON().Resources[logicalIdOf(enforcer.ledger)].Properties.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: getAttArn(enforcer.workflows.ledgerTable.key),
    });
  });

  it('encrypts the alarm topic and lets CloudWatch alarms use its key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.objectLike({ 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }),
    });
    const topicKeyId = template.toJSON().Resources[logicalIdOf(pipeline.alarmTopic)].Properties.KmsMasterKeyId[
      'Fn::GetAtt'
    ][0] as string;
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            {
              Sid: 'AllowCloudWatchAlarmsToPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
              Resource: '*',
            },
          ]),
        },
      },
    });
    expect(template.toJSON().Resources[topicKeyId].Type).toBe('AWS::KMS::Key');
  });

  it('rotates every customer-managed encryption key (the asymmetric digest signing key cannot rotate)', () => {
    const keys = Object.entries(template.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(9);
    const encryption = keys.filter(([id]) => id !== logicalIdOf(pipeline.evidence.signingKey));
    expect(encryption).toHaveLength(8);
    expect(encryption.every(([, key]) => key.Properties.EnableKeyRotation === true)).toBe(true);
  });
});

describe('GovernedRecognition bucket hardening', () => {
  it.each(Object.entries({ ...dataBuckets, accessLogs: pipeline.accessLogsBucket }))(
    'blocks public access, versions and owns objects in the %s bucket',
    (_name, bucket) => {
      const props = template.toJSON().Resources[logicalIdOf(bucket)].Properties;
      expect(props.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalIdOf(bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    },
  );

  it.each([
    ['intake', pipeline.intakeBucket, 'intake/'],
    ['quarantine', pipeline.quarantineBucket, 'quarantine/'],
    ['results', pipeline.resultsBucket, 'results/'],
  ])('logs access to the %s bucket into the access-log bucket', (_name, bucket, prefix) => {
    expect(template.toJSON().Resources[logicalIdOf(bucket)].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(pipeline.accessLogsBucket) },
      LogFilePrefix: prefix,
    });
  });

  it('expires noncurrent intake versions after 30 days and never expires current uploads', () => {
    expect(
      template.toJSON().Resources[logicalIdOf(pipeline.intakeBucket)].Properties.LifecycleConfiguration.Rules,
    ).toEqual([
      {
        Id: 'ExpireNoncurrentVersions',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        ExpiredObjectDeleteMarker: true,
      },
    ]);
  });

  it('expires quarantined objects after the configured retention (90 days in the example)', () => {
    expect(
      template.toJSON().Resources[logicalIdOf(pipeline.quarantineBucket)].Properties.LifecycleConfiguration.Rules,
    ).toContainEqual({
      Id: 'ExpireCurrentVersions',
      Status: 'Enabled',
      ExpirationInDays: 90,
    });
  });

  it('keeps results without expiry when none is configured', () => {
    const rules = template.toJSON().Resources[logicalIdOf(pipeline.resultsBucket)].Properties.LifecycleConfiguration
      .Rules as { Id: string }[];
    expect(rules.map((rule) => rule.Id)).toEqual(['ExpireNoncurrentVersions']);
  });
});
