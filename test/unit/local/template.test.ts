import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemplateError } from '../../../local/errors';
import { LocalTemplate } from '../../../local/template';
import { loadStackTemplate } from '../../../local/template-load';
import { bucketNameFor, roleIdOf } from '../../../local/template-names';
import {
  bucketQueueNotifications,
  notificationMatches,
  queuesForEvent,
  queueWiring,
} from '../../../local/template-wiring';

const CDK_OUT = join(__dirname, 'fixtures', 'cloud-assembly');
const env = { region: 'eu-west-1', accountId: '111111111111' };

describe('loadStackTemplate', () => {
  it('finds the stack through manifest.json', () => {
    const loaded = loadStackTemplate(CDK_OUT);
    expect(loaded.stackName).toBe('GovernedRecognition');
    expect(loaded.templatePath).toBe(join(CDK_OUT, 'GovernedRecognition.template.json'));
    expect(Object.keys(loaded.template.Resources)).toHaveLength(13);
  });

  it('says to synthesize when cdk.out is missing', () => {
    expect(() => loadStackTemplate('/nonexistent/cdk.out')).toThrow(
      'Cloud assembly manifest not found at /nonexistent/cdk.out/manifest.json; run `npx cdk synth` first',
    );
  });

  it('names the stacks it found when asked for one that is not there', () => {
    expect(() => loadStackTemplate(CDK_OUT, 'Other')).toThrow(
      `No stack "Other" in ${CDK_OUT} (found: GovernedRecognition)`,
    );
  });

  it('asks for a stack name when the assembly holds several', () => {
    const dir = mkdtempSync(join(tmpdir(), 'govrec-cdkout-'));
    const stack = (name: string) => ({
      type: 'aws:cloudformation:stack',
      properties: { templateFile: `${name}.template.json`, stackName: name },
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ artifacts: { A: stack('A'), B: stack('B') } }));
    expect(() => loadStackTemplate(dir)).toThrow(TemplateError);
    expect(() => loadStackTemplate(dir)).toThrow('Several stacks in');
  });
});

describe('LocalTemplate', () => {
  const stack = LocalTemplate.fromCdkOut(CDK_OUT, env);

  it('lists resources by type with their local names', () => {
    expect(
      stack.resourcesOfType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable').map((r) => [r.logicalId, r.name]),
    ).toEqual([
      ['GovernedRecognitionAuditLedgerTableA1B2C3D4', 'GovernedRecognitionAuditLedgerTableA1B2C3D4'],
      ['GovernedRecognitionIdempotencyTable5E6F7A8B', 'GovernedRecognitionIdempotencyTable5E6F7A8B'],
    ]);
  });

  it('names buckets by their lower-cased logical ids and reads their versioning', () => {
    expect(stack.buckets().map((b) => [b.name, b.versioned])).toEqual([
      ['governedrecognitionintakebucket0c1d2e3f', true],
      ['governedrecognitionquarantinebucketaabbccdd', true],
      ['accesslogsbucket99887766', false],
    ]);
  });

  it('resolves a function environment to the local names', () => {
    expect(stack.functionByPrefix('GovernedRecognitionRecognitionWorker').environment).toEqual({
      AUDIT_TABLE_NAME: 'GovernedRecognitionAuditLedgerTableA1B2C3D4',
      IDEMPOTENCY_TABLE_NAME: 'GovernedRecognitionIdempotencyTable5E6F7A8B',
      QUARANTINE_BUCKET_NAME: 'governedrecognitionquarantinebucketaabbccdd',
      RESULTS_BUCKET_NAME: 'accesslogsbucket99887766',
      POLICY_FUNCTION_NAME: 'GovernedRecognitionPolicyFunction0A0B0C0D',
      POLICY_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:111111111111:function:GovernedRecognitionPolicyFunction0A0B0C0D',
      POLICY_TIMEOUT_MS: '2000',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/GovernedRecognitionIntakeDeadLetterQueue11223344',
      TABLE_ARN_JOINED: 'arn:aws:dynamodb:eu-west-1:111111111111:table/GovernedRecognitionAuditLedgerTableA1B2C3D4',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's escaped literal (${!Literal}) comes out as ${Literal}
      SUBSTITUTED: 'governedrecognitionintakebucket0c1d2e3f/incoming/eu-west-1/${Literal}',
    });
  });

  it('reads timeout and memory of a function', () => {
    expect(stack.functionByPrefix('GovernedRecognitionPolicyFunction')).toMatchObject({
      timeoutSeconds: 10,
      memoryMB: 512,
      handler: 'index.handler',
    });
  });

  it('finds the SQS event source mapping and the redrive policy', () => {
    expect(stack.sqsEventSourceMappings()).toEqual([
      {
        logicalId: 'GovernedRecognitionRecognitionWorkerSqsEventSource9A8B7C6D',
        functionLogicalId: 'GovernedRecognitionRecognitionWorker0E0F1011',
        queueLogicalId: 'GovernedRecognitionIntakeQueue55667788',
        batchSize: 5,
        reportBatchItemFailures: true,
      },
    ]);
    expect(stack.redrivePolicy('GovernedRecognitionIntakeQueue55667788')).toEqual({
      deadLetterQueueLogicalId: 'GovernedRecognitionIntakeDeadLetterQueue11223344',
      maxReceiveCount: 3,
    });
    expect(stack.redrivePolicy('GovernedRecognitionIntakeDeadLetterQueue11223344')).toBeUndefined();
  });

  it.each([
    [
      { 'Fn::GetAtt': ['GovernedRecognitionPolicyFunctionServiceRole12AB', 'Arn'] },
      'arn:aws:iam::111111111111:role/GovernedRecognitionPolicyFunctionServiceRole12AB',
    ],
    [
      { 'Fn::GetAtt': 'GovernedRecognitionIntakeBucket0C1D2E3F.Arn' },
      'arn:aws:s3:::governedrecognitionintakebucket0c1d2e3f',
    ],
    [
      { 'Fn::GetAtt': ['GovernedRecognitionIntakeQueue55667788', 'QueueName'] },
      'GovernedRecognitionIntakeQueue55667788',
    ],
    [{ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'b'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholders, resolved by CloudFormation
    [{ 'Fn::Sub': ['${X}-${AWS::AccountId}', { X: { Ref: 'AWS::Region' } }] }, 'eu-west-1-111111111111'],
    [{ Ref: 'BootstrapVersion' }, '/cdk-bootstrap/hnb659fds/version'],
    [{ nested: [{ Ref: 'AWS::Partition' }] }, { nested: ['aws'] }],
  ])('resolves %j', (value, expected) => {
    expect(stack.resolve(value)).toEqual(expected);
  });

  it.each([
    [{ Ref: 'Missing' }, 'No resource Missing in stack GovernedRecognition'],
    [
      { 'Fn::GetAtt': ['GovernedRecognitionIntakeBucket0C1D2E3F', 'WebsiteURL'] },
      'Fn::GetAtt GovernedRecognitionIntakeBucket0C1D2E3F.WebsiteURL (AWS::S3::Bucket) has no local value',
    ],
    [{ 'Fn::ImportValue': 'x' }, 'Fn::ImportValue is not supported'],
  ])('refuses to guess %j', (value, message) => {
    expect(() => stack.resolve(value)).toThrow(message);
  });

  it('complains when a prefix is ambiguous', () => {
    expect(() => stack.byPrefix('AWS::S3::Bucket', 'GovernedRecognition')).toThrow(
      'Expected one AWS::S3::Bucket whose logical id starts with "GovernedRecognition", found 2: GovernedRecognitionIntakeBucket0C1D2E3F, GovernedRecognitionQuarantineBucketAABBCCDD',
    );
  });
});

describe('template names', () => {
  it.each([
    ['IntakeBucket', 'intakebucket'],
    ['A', 'a00'],
    ['X'.repeat(80), expect.stringMatching(/^x{54}-[0-9a-f]{8}$/)],
  ])('derives a valid bucket name from %p', (logicalId, name) => {
    expect(bucketNameFor(logicalId)).toEqual(name);
  });

  it('gives a role a stable AROA id', () => {
    expect(roleIdOf('Role')).toBe(roleIdOf('Role'));
    expect(roleIdOf('Role')).toMatch(/^AROA[0-9A-F]{17}$/);
  });
});

describe('bucketQueueNotifications', () => {
  const stack = LocalTemplate.fromCdkOut(CDK_OUT, env);

  it('reads CDK bucket notifications: intake bucket -> intake queue for incoming/', () => {
    expect(bucketQueueNotifications(stack)).toEqual([
      {
        bucketLogicalId: 'GovernedRecognitionIntakeBucket0C1D2E3F',
        queueLogicalId: 'GovernedRecognitionIntakeQueue55667788',
        events: ['s3:ObjectCreated:*'],
        prefix: 'incoming/',
      },
    ]);
  });

  it.each([
    ['ObjectCreated:Put', 'incoming/thorn-like/a.jpg', true],
    ['ObjectCreated:Copy', 'incoming/thorn-like/a.jpg', true],
    ['ObjectRemoved:Delete', 'incoming/thorn-like/a.jpg', false],
    ['ObjectCreated:Put', 'elsewhere/a.jpg', false],
  ])('matches %s of %s: %p', (eventName, key, expected) => {
    expect(notificationMatches(bucketQueueNotifications(stack)[0]!, eventName, key)).toBe(expected);
  });

  it('names Rekognition collections by their CollectionId', () => {
    expect(stack.resourcesOfType('AWS::Rekognition::Collection').map((c) => c.name)).toEqual(['child-rescue-faces']);
  });
});

describe('queueWiring and queuesForEvent', () => {
  const stack = LocalTemplate.fromCdkOut(CDK_OUT, env);

  it("reads the intake queue's redrive policy and its consumer", () => {
    expect(queueWiring(stack, 'GovernedRecognitionIntakeQueue55667788')).toEqual({
      queueLogicalId: 'GovernedRecognitionIntakeQueue55667788',
      name: 'GovernedRecognitionIntakeQueue55667788',
      maxReceiveCount: 3,
      deadLetterQueueLogicalId: 'GovernedRecognitionIntakeDeadLetterQueue11223344',
      functionLogicalId: 'GovernedRecognitionRecognitionWorker0E0F1011',
      batchSize: 5,
      reportBatchItemFailures: true,
    });
  });

  it.each([
    [
      'governedrecognitionintakebucket0c1d2e3f',
      'incoming/thorn-like/a b.jpg',
      ['GovernedRecognitionIntakeQueue55667788'],
    ],
    ['governedrecognitionintakebucket0c1d2e3f', 'other/a.jpg', []],
    ['governedrecognitionquarantinebucketaabbccdd', 'incoming/thorn-like/a.jpg', []],
  ])('routes a put to %s of %p to %j', (bucket, key, queues) => {
    expect(queuesForEvent(stack, bucket, 'ObjectCreated:Put', key)).toEqual(queues);
  });
});
