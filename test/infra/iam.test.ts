import type { Template } from 'aws-cdk-lib/assertions';
import { AUDIT_DENIED_ACTIONS } from '../../lib/constructs/decision/audit-ledger-table';
import { configWith, getAttArn, joinedArn, logicalIdOf, synthStack } from '../helpers/cdk-app';

const { stack, template } = synthStack();
const pipeline = stack.pipeline;

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
}

/** Every identity-policy statement in a template, by the logical id of the role it is attached to. */
const statementsByRole = (t: Template): Map<string, Statement[]> => {
  const byRole = new Map<string, Statement[]>();
  const add = (role: string, statements: Statement[]) => byRole.set(role, [...(byRole.get(role) ?? []), ...statements]);
  for (const policy of Object.values(t.findResources('AWS::IAM::Policy'))) {
    for (const role of policy.Properties.Roles as { Ref: string }[])
      add(role.Ref, policy.Properties.PolicyDocument.Statement);
  }
  for (const policy of Object.values(t.findResources('AWS::IAM::ManagedPolicy'))) {
    for (const role of (policy.Properties.Roles ?? []) as { Ref: string }[])
      add(role.Ref, policy.Properties.PolicyDocument.Statement);
  }
  for (const [id, role] of Object.entries(t.findResources('AWS::IAM::Role'))) {
    for (const inline of (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[])
      add(id, inline.PolicyDocument.Statement);
  }
  return byRole;
};

/** Whether an IAM action pattern (with `*` and `?`) covers a concrete action, case-insensitively as IAM does. */
const grants = (pattern: string, action: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  ).test(action);

const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
const roleOf = (fn: typeof pipeline.policyFunction): string => logicalIdOf(fn.role!);

describe('PolicyDecisionPoint role', () => {
  it('may list roles only when the registry is large enough to page through ListRoles (over 100 roles)', () => {
    const large = synthStack(
      configWith((json) => {
        json.organisations[2].roleArns = Array.from(
          { length: 101 },
          (_, i) => `arn:aws:iam::111111111111:role/govrec-police-unit-${i}`,
        );
      }),
    );
    const statements = statementsByRole(large.template).get(logicalIdOf(large.stack.pipeline.policyFunction.role!))!;
    expect(statements.filter((statement) => actionsOf(statement).includes('iam:ListRoles'))).toEqual([
      { Sid: 'ListRolesForLargeRegistries', Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' },
    ]);
    expect(
      statementsByRole(template)
        .get(roleOf(pipeline.policyFunction))!
        .some((statement) => actionsOf(statement).includes('iam:ListRoles')),
    ).toBe(false);
  });

  it('has exactly tracing, iam:GetRole on the registered roles, and append rights on the ledger', () => {
    expect(statementsByRole(template).get(roleOf(pipeline.policyFunction))).toEqual([
      { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
      {
        Sid: 'ResolveRegisteredRoles',
        Effect: 'Allow',
        Action: 'iam:GetRole',
        Resource: [
          'arn:aws:iam::111111111111:role/govrec-ngo-anti-trafficking-uploader',
          'arn:aws:iam::111111111111:role/govrec-ngo-child-rescue-uploader',
          'arn:aws:iam::111111111111:role/govrec-police-analysts',
          'arn:aws:iam::111111111111:role/govrec-police-investigations',
        ],
      },
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: getAttArn(pipeline.auditTable) },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: getAttArn(pipeline.auditLedger.key),
      },
    ]);
  });

  it('uses only the AWS basic execution managed policy', () => {
    const role = template.toJSON().Resources[roleOf(pipeline.policyFunction)];
    expect(role.Properties.ManagedPolicyArns).toEqual([
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        ],
      },
    ]);
  });

  it('cannot read roles of another account (they resolve to unknown and are denied)', () => {
    const { stack: other, template: otherTemplate } = synthStack(
      configWith((json) => {
        json.organisations[2].roleArns.push('arn:aws:iam::222222222222:role/foreign-police');
      }),
    );
    const getRole = statementsByRole(otherTemplate)
      .get(roleOf(other.pipeline.policyFunction))!
      .find((s) => s.Sid === 'ResolveRegisteredRoles');
    expect(getRole?.Resource).not.toContain('arn:aws:iam::222222222222:role/foreign-police');
    expect(getRole?.Resource).toHaveLength(4);
  });
});

describe('RecognitionWorker role', () => {
  const key = (construct: Parameters<typeof getAttArn>[0]) => getAttArn(construct);

  it('has exactly the statements the worker needs, and no more', () => {
    const quarantineKey =
      template.toJSON().Resources[logicalIdOf(pipeline.quarantineBucket)].Properties.BucketEncryption
        .ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID;
    const resultsKey =
      template.toJSON().Resources[logicalIdOf(pipeline.resultsBucket)].Properties.BucketEncryption
        .ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID;
    const intakeKey =
      template.toJSON().Resources[logicalIdOf(pipeline.intakeBucket)].Properties.BucketEncryption
        .ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID;
    const queueKey = template.toJSON().Resources[logicalIdOf(pipeline.intakeQueue)].Properties.KmsMasterKeyId;
    const collection = (id: string) => getAttArn(pipeline.collections.get(id)!);
    expect(statementsByRole(template).get(roleOf(pipeline.recognitionFunction))).toEqual([
      { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        Resource: key(pipeline.intakeQueue),
      },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: queueKey },
      {
        Sid: 'ReadAndRemoveIntakeUploads',
        Effect: 'Allow',
        Action: [
          's3:DeleteObjectVersion',
          's3:GetObject',
          's3:GetObjectTagging',
          's3:GetObjectVersion',
          's3:GetObjectVersionTagging',
        ],
        Resource: joinedArn(pipeline.intakeBucket, '/incoming/*'),
      },
      { Sid: 'DecryptIntakeUploads', Effect: 'Allow', Action: 'kms:Decrypt', Resource: intakeKey },
      {
        Sid: 'WriteQuarantine',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'],
        Resource: joinedArn(pipeline.quarantineBucket, '/*'),
      },
      {
        Sid: 'WriteResults',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: joinedArn(pipeline.resultsBucket, '/*'),
      },
      {
        Sid: 'EncryptQuarantineAndResults',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [quarantineKey, resultsKey],
      },
      {
        Sid: 'AskPolicyDecisionPoint',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: key(pipeline.policyFunction),
      },
      {
        Sid: 'RekognitionSearchFacesByImage',
        Effect: 'Allow',
        Action: 'rekognition:SearchFacesByImage',
        Resource: [
          collection('anti-trafficking-faces'),
          collection('child-rescue-faces'),
          collection('police-mugshots'),
        ],
      },
      { Sid: 'RekognitionDetectFaces', Effect: 'Allow', Action: 'rekognition:DetectFaces', Resource: '*' },
      {
        Sid: 'RekognitionIndexFaces',
        Effect: 'Allow',
        Action: 'rekognition:IndexFaces',
        Resource: collection('child-rescue-faces'),
      },
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: getAttArn(pipeline.auditTable) },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: getAttArn(pipeline.auditLedger.key),
      },
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DeleteItem',
          'dynamodb:DescribeTable',
          'dynamodb:GetItem',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:Scan',
          'dynamodb:UpdateItem',
        ],
        Resource: getAttArn(pipeline.idempotencyTable),
      },
    ]);
  });

  it('is granted only the Rekognition operations the registry uses', () => {
    const { stack: detectOnly, template: detectTemplate } = synthStack(
      configWith((json) => {
        for (const org of json.organisations) {
          org.operations = ['detect'];
          delete org.collectionId;
        }
      }),
    );
    const rekognition = statementsByRole(detectTemplate)
      .get(roleOf(detectOnly.pipeline.recognitionFunction))!
      .filter((s) => actionsOf(s).some((a) => a.startsWith('rekognition:')));
    expect(rekognition).toEqual([
      { Sid: 'RekognitionDetectFaces', Effect: 'Allow', Action: 'rekognition:DetectFaces', Resource: '*' },
    ]);
    detectTemplate.resourceCountIs('AWS::Rekognition::Collection', 0);
  });
});

describe('least privilege across the template', () => {
  it('grants rekognition: actions to the recognition role only', () => {
    const withRekognition = [...statementsByRole(template)]
      .filter(([, statements]) =>
        statements.some((s) => actionsOf(s).some((a) => a.toLowerCase().startsWith('rekognition:') || a === '*')),
      )
      .map(([role]) => role);
    expect(withRekognition).toEqual([roleOf(pipeline.recognitionFunction)]);
  });

  it('gives no role UpdateItem, DeleteItem or any other item-changing action on the audit table', () => {
    const auditArn = JSON.stringify(getAttArn(pipeline.auditTable));
    const offending = [...statementsByRole(template)].flatMap(([role, statements]) =>
      statements
        .filter((s) => JSON.stringify(s.Resource ?? null).includes(auditArn) || s.Resource === '*')
        .flatMap((s) => actionsOf(s))
        // Wildcards count: `dynamodb:Update*` or `dynamodb:*Item` grant what the exact names name.
        .filter((action) => (AUDIT_DENIED_ACTIONS as readonly string[]).some((denied) => grants(action, denied)))
        .map((action) => `${role}: ${action}`),
    );
    expect(offending).toEqual([]);
  });

  it("has only the expected roles: two pipeline functions, the CDK notifications handler, the enforcer's seven, the trail guard's two and the evidence two", () => {
    const enforcer = pipeline.enforcer;
    const roles = Object.keys(template.findResources('AWS::IAM::Role'));
    const eventsRole = roles.filter((role) =>
      role.startsWith('GovernedRecognitionMoratoriumEnforcerTriggersEventsRole'),
    );
    expect(eventsRole).toHaveLength(1);
    expect(roles.sort()).toEqual(
      [
        roleOf(pipeline.policyFunction),
        roleOf(pipeline.recognitionFunction),
        ...enforcer.enforcerRoles.map((role) => logicalIdOf(role)),
        eventsRole[0]!,
        roles.find((role) => role.startsWith('BucketNotificationsHandler'))!,
        roleOf(pipeline.evidence.recorder),
        roleOf(pipeline.evidence.digester),
        // The trail guard's repair workflow and the role its rule starts it with.
        ...roles.filter((role) => role.startsWith('GovernedRecognitionMoratoriumEnforcerTrailGuardRepair')),
      ].sort(),
    );
    expect(roles).toHaveLength(14);
  });
});

describe('grants (the wildcard check above)', () => {
  it.each([
    ['dynamodb:*', 'dynamodb:UpdateItem', true],
    ['dynamodb:Update*', 'dynamodb:UpdateItem', true],
    ['dynamodb:*Item', 'dynamodb:DeleteItem', true],
    ['DynamoDB:updateitem', 'dynamodb:UpdateItem', true],
    ['dynamodb:PutItem', 'dynamodb:UpdateItem', false],
    ['dynamodb:Get*', 'dynamodb:DeleteItem', false],
  ])('%s covers %s: %s', (pattern, action, expected) => {
    expect(grants(pattern, action)).toBe(expected);
  });
});
