import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GovernedRecognition } from '../../lib/governed-recognition';
import { exampleConfig, logicalIdOf, synthStack, testApp } from '../helpers/cdk-app';

const { stack, template } = synthStack();
const pipeline = stack.pipeline;
const functionProps = (fn: typeof pipeline.policyFunction) => template.toJSON().Resources[logicalIdOf(fn)].Properties;

describe('GovernedRecognitionStack outputs', () => {
  it.each([
    ['IntakeBucketName', { Ref: logicalIdOf(pipeline.intakeBucket) }],
    ['QuarantineBucketName', { Ref: logicalIdOf(pipeline.quarantineBucket) }],
    ['ResultsBucketName', { Ref: logicalIdOf(pipeline.resultsBucket) }],
    ['AuditTableName', { Ref: logicalIdOf(pipeline.auditTable) }],
    ['IntakeQueueUrl', { Ref: logicalIdOf(pipeline.intakeQueue) }],
    ['DeadLetterQueueUrl', { Ref: logicalIdOf(pipeline.deadLetterQueue) }],
    ['PolicyFunctionName', { Ref: logicalIdOf(pipeline.policyFunction) }],
    ['RecognitionFunctionName', { Ref: logicalIdOf(pipeline.recognitionFunction) }],
    ['AlarmTopicArn', { Ref: logicalIdOf(pipeline.alarmTopic) }],
    ['IntakeKeyArn', { 'Fn::GetAtt': [logicalIdOf(pipeline.intakeBucket.encryptionKey!), 'Arn'] }],
    ['MoratoriumStart', '2027-06-10T00:00:00.000Z'],
    ['MoratoriumEnd', '2028-06-10T00:00:00.000Z'],
  ])('outputs %s', (name, value) => {
    template.hasOutput(name, { Value: value });
  });
});

describe('GovernedRecognition functions', () => {
  it.each([
    ['policy', pipeline.policyFunction, 30],
    ['recognition', pipeline.recognitionFunction, 60],
  ])('runs the %s function on the house defaults', (service, fn, timeout) => {
    expect(functionProps(fn)).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      Timeout: timeout,
      Environment: {
        Variables: expect.objectContaining({ POWERTOOLS_SERVICE_NAME: service, NODE_OPTIONS: '--enable-source-maps' }),
      },
    });
  });

  it('configures the policy function with the ledger, the restricted tag and the identity cache', () => {
    expect(functionProps(pipeline.policyFunction).Environment.Variables).toMatchObject({
      AUDIT_TABLE_NAME: { Ref: logicalIdOf(pipeline.auditTable) },
      RESTRICTED_TAG_KEY: 'govrec:category',
      RESTRICTED_TAG_VALUE: 'police',
      IDENTITY_CACHE_TTL_SECONDS: '300',
    });
  });

  it('configures the recognition function with every name it reads from lambda/shared/env.ts', () => {
    expect(functionProps(pipeline.recognitionFunction).Environment.Variables).toMatchObject({
      AUDIT_TABLE_NAME: { Ref: logicalIdOf(pipeline.auditTable) },
      IDEMPOTENCY_TABLE_NAME: { Ref: logicalIdOf(pipeline.idempotencyTable) },
      QUARANTINE_BUCKET_NAME: { Ref: logicalIdOf(pipeline.quarantineBucket) },
      RESULTS_BUCKET_NAME: { Ref: logicalIdOf(pipeline.resultsBucket) },
      POLICY_FUNCTION_NAME: { Ref: logicalIdOf(pipeline.policyFunction) },
      POLICY_TIMEOUT_MS: '5000',
    });
  });

  it('compiles the settings into the bundle rather than passing them as environment', () => {
    for (const fn of [pipeline.policyFunction, pipeline.recognitionFunction]) {
      expect(functionProps(fn).Environment.Variables.GOVREC_SETTINGS).toBeUndefined();
    }
  });

  it('leaves the recognition concurrency unreserved by default', () => {
    expect(functionProps(pipeline.recognitionFunction).ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('FaceCollections', () => {
  it('creates one collection per collection id used for search or index, retained by default', () => {
    expect([...pipeline.collections.keys()]).toEqual([
      'anti-trafficking-faces',
      'child-rescue-faces',
      'police-mugshots',
    ]);
    for (const [collectionId, collection] of pipeline.collections) {
      expect(template.toJSON().Resources[logicalIdOf(collection)]).toMatchObject({
        Type: 'AWS::Rekognition::Collection',
        Properties: { CollectionId: collectionId },
        DeletionPolicy: 'Retain',
      });
    }
  });
});

describe('GovernedRecognition embedded in another stack', () => {
  const app = testApp();
  const host = new Stack(app, 'Host', { env: { account: '111111111111', region: 'eu-west-1' } });
  const embedded = new GovernedRecognition(host, 'Pipeline', {
    config: { ...exampleConfig(), alarmEmail: 'governance@example.org' },
    recognitionReservedConcurrency: 5,
    removalPolicy: RemovalPolicy.DESTROY,
    identityCacheTtlSeconds: 60,
  });
  const hosted = Template.fromStack(host);

  it('applies the overrides', () => {
    hosted.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5, Timeout: 60 });
    hosted.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ IDENTITY_CACHE_TTL_SECONDS: '60' }) },
    });
    expect(hosted.toJSON().Resources[logicalIdOf(embedded.intakeBucket)].DeletionPolicy).toBe('Delete');
  });

  it('still retains the audit ledger and the enforcement ledger', () => {
    expect(hosted.toJSON().Resources[logicalIdOf(embedded.auditTable)].DeletionPolicy).toBe('Retain');
    expect(hosted.toJSON().Resources[logicalIdOf(embedded.enforcer.ledger)].DeletionPolicy).toBe('Retain');
  });

  it("applies the override to the enforcement workflows' log groups", () => {
    const machineLogs = Object.entries(hosted.findResources('AWS::Logs::LogGroup')).filter(([id]) =>
      /MoratoriumEnforcerWorkflows(EnforceRole|Sweep|Restore)Logs/.test(id),
    );
    expect(machineLogs.map(([, group]) => group.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete']);
  });

  it('subscribes the alarm e-mail to the encrypted alarm topic', () => {
    hosted.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'governance@example.org',
      TopicArn: { Ref: logicalIdOf(embedded.alarmTopic) },
    });
  });

  it('has no outputs of its own (the stack decides what to export)', () => {
    expect(hosted.toJSON().Outputs ?? {}).toEqual({});
  });
});

describe('GovernedRecognition misuse', () => {
  it('refuses an app without the access-log feature flag, naming the flag and the fix', () => {
    const bare = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Bare');
    expect(() => new GovernedRecognition(bare, 'Pipeline', { config: exampleConfig() })).toThrow(
      'GovernedRecognition needs the feature flag @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy (access logs are delivered through a bucket policy, as buckets have ACLs disabled): add "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": true to the context in cdk.json',
    );
  });
});
