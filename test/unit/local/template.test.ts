import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemplateError } from '../../../local/errors';
import { loadStackTemplate } from '../../../local/template-load';
import { bucketNameFor, roleIdOf } from '../../../local/template-names';
import {
  bucketQueueNotifications,
  notificationMatches,
  queuesForEvent,
  queueWiring,
} from '../../../local/template-wiring';
import { synthesizedAssembly } from '../../helpers/cloud-assembly';

const assembly = synthesizedAssembly();
const CDK_OUT = assembly.directory;
const { stack, id } = assembly;
const pipeline = stack.pipeline;
const ids = {
  audit: id(pipeline.auditTable),
  idempotency: id(pipeline.idempotencyTable),
  intake: id(pipeline.intakeBucket),
  quarantine: id(pipeline.quarantineBucket),
  results: id(pipeline.resultsBucket),
  intakeQueue: id(pipeline.intakeQueue),
  deadLetterQueue: id(pipeline.deadLetterQueue),
  policy: id(pipeline.policyFunction),
  policyRole: id(pipeline.policyFunction.role),
  recognition: id(pipeline.recognitionFunction),
};
const bucket = (logicalId: string) => bucketNameFor(logicalId);

describe('loadStackTemplate', () => {
  it('finds the stack through manifest.json', () => {
    const loaded = loadStackTemplate(CDK_OUT);
    expect(loaded.stackName).toBe('GovernedRecognition');
    expect(loaded.templatePath).toBe(join(CDK_OUT, 'GovernedRecognition.template.json'));
    expect(loaded.template.Resources[ids.intake]?.Type).toBe('AWS::S3::Bucket');
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
  const local = assembly.local;

  it('lists tables by type, named by their logical ids', () => {
    const tables = local.resourcesOfType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable');
    expect(tables.map((r) => r.logicalId)).toEqual(expect.arrayContaining([ids.audit, ids.idempotency]));
    for (const table of tables) expect(table.name).toBe(table.logicalId);
  });

  it('names buckets by their lower-cased logical ids and reads their versioning', () => {
    expect(local.buckets()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ logicalId: ids.intake, name: ids.intake.toLowerCase(), versioned: true }),
        expect.objectContaining({ logicalId: ids.quarantine, name: ids.quarantine.toLowerCase(), versioned: true }),
      ]),
    );
  });

  it('resolves a function environment to the local names', () => {
    expect(local.functionByPrefix(ids.recognition).environment).toMatchObject({
      AUDIT_TABLE_NAME: ids.audit,
      IDEMPOTENCY_TABLE_NAME: ids.idempotency,
      QUARANTINE_BUCKET_NAME: bucket(ids.quarantine),
      RESULTS_BUCKET_NAME: bucket(ids.results),
      POLICY_FUNCTION_NAME: ids.policy,
      POLICY_TIMEOUT_MS: '5000',
      POWERTOOLS_SERVICE_NAME: 'recognition',
    });
  });

  it('reads timeout and memory of a function', () => {
    expect(local.functionByPrefix(ids.policy)).toMatchObject({
      timeoutSeconds: 30,
      memoryMB: 512,
      handler: 'index.handler',
    });
  });

  it('finds the SQS event source mapping and the redrive policy', () => {
    expect(local.sqsEventSourceMappings()).toEqual([
      expect.objectContaining({
        functionLogicalId: ids.recognition,
        queueLogicalId: ids.intakeQueue,
        batchSize: 10,
        reportBatchItemFailures: true,
      }),
    ]);
    expect(local.redrivePolicy(ids.intakeQueue)).toEqual({
      deadLetterQueueLogicalId: ids.deadLetterQueue,
      maxReceiveCount: 5,
    });
    expect(local.redrivePolicy(ids.deadLetterQueue)).toBeUndefined();
  });

  it.each([
    [{ 'Fn::GetAtt': [ids.policyRole, 'Arn'] }, `arn:aws:iam::111111111111:role/${ids.policyRole}`],
    [{ 'Fn::GetAtt': `${ids.intake}.Arn` }, `arn:aws:s3:::${bucket(ids.intake)}`],
    [{ 'Fn::GetAtt': [ids.intakeQueue, 'QueueName'] }, ids.intakeQueue],
    [{ 'Fn::GetAtt': [ids.audit, 'Arn'] }, `arn:aws:dynamodb:eu-west-1:111111111111:table/${ids.audit}`],
    [
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:::', { Ref: ids.policy }]] },
      `arn:aws:lambda:::${ids.policy}`,
    ],
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholders; ${!Literal} is its escape for a literal ${Literal}
      { 'Fn::Sub': ['${B}/incoming/${AWS::Region}/${!Literal}', { B: { Ref: ids.intake } }] },
      `${bucket(ids.intake)}/incoming/eu-west-1/\${Literal}`,
    ],
    [{ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'b'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholders, resolved by CloudFormation
    [{ 'Fn::Sub': ['${X}-${AWS::AccountId}', { X: { Ref: 'AWS::Region' } }] }, 'eu-west-1-111111111111'],
    [{ Ref: 'BootstrapVersion' }, '/cdk-bootstrap/hnb659fds/version'],
    [{ nested: [{ Ref: 'AWS::Partition' }] }, { nested: ['aws'] }],
  ])('resolves %j', (value, expected) => {
    expect(local.resolve(value)).toEqual(expected);
  });

  it.each([
    [{ Ref: 'Missing' }, 'No resource Missing in stack GovernedRecognition'],
    [
      { 'Fn::GetAtt': [ids.intake, 'WebsiteURL'] },
      `Fn::GetAtt ${ids.intake}.WebsiteURL (AWS::S3::Bucket) has no local value`,
    ],
    [{ 'Fn::ImportValue': 'x' }, 'Fn::ImportValue is not supported'],
  ])('refuses to guess %j', (value, message) => {
    expect(() => local.resolve(value)).toThrow(message);
  });

  it('complains when a prefix is ambiguous', () => {
    expect(() => local.byPrefix('AWS::S3::Bucket', 'GovernedRecognition')).toThrow(
      new RegExp(
        `Expected one AWS::S3::Bucket whose logical id starts with "GovernedRecognition", found \\d+: .*${ids.intake}`,
      ),
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
  const local = assembly.local;

  it('reads CDK bucket notifications: intake bucket -> intake queue for incoming/', () => {
    expect(bucketQueueNotifications(local)).toEqual([
      {
        bucketLogicalId: ids.intake,
        queueLogicalId: ids.intakeQueue,
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
    expect(notificationMatches(bucketQueueNotifications(local)[0]!, eventName, key)).toBe(expected);
  });

  it('names Rekognition collections by their CollectionId', () => {
    expect(
      local
        .resourcesOfType('AWS::Rekognition::Collection')
        .map((c) => c.name)
        .sort(),
    ).toEqual([...pipeline.collections.values()].map((c) => c.collectionId).sort());
  });
});

describe('queueWiring and queuesForEvent', () => {
  const local = assembly.local;

  it("reads the intake queue's redrive policy and its consumer", () => {
    expect(queueWiring(local, ids.intakeQueue)).toEqual({
      queueLogicalId: ids.intakeQueue,
      name: ids.intakeQueue,
      maxReceiveCount: 5,
      deadLetterQueueLogicalId: ids.deadLetterQueue,
      functionLogicalId: ids.recognition,
      batchSize: 10,
      reportBatchItemFailures: true,
    });
  });

  it.each([
    ['intake', bucket(ids.intake), 'incoming/thorn-like/a b.jpg', [ids.intakeQueue]],
    ['intake', bucket(ids.intake), 'other/a.jpg', []],
    ['quarantine', bucket(ids.quarantine), 'incoming/thorn-like/a.jpg', []],
  ])('routes a put to the %s bucket (%s) of %p to %j', (_label, name, key, queues) => {
    expect(queuesForEvent(local, name, 'ObjectCreated:Put', key)).toEqual(queues);
  });
});
