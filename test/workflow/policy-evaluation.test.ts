/**
 * The documents the workflow writes, and the enforcement role's own policies from the template,
 * evaluated with an IAM policy simulator (@cloud-copilot/iam-simulate, test-only: AGPL).
 * `aws:CurrentTime` and `aws:TokenIssueTime` are always passed: the simulator does not fill them,
 * and a Deny conditioned on a missing key is silently skipped.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { DENY_POLICY_NAME, REVOKE_POLICY_NAME } from '../../lambda/enforcement/enforcer/documents';
import { resolveTemplateValue } from '../../local/stepfunctions/extract';
import { exampleSettings, synthEnforcement } from '../helpers/asl';
import { ACCOUNT, roleArn, sweepRequest } from './events';
import { INTAKE_BUCKET_ARN, WorkflowHarness, withMoratorium } from './harness';

const synthesized = synthEnforcement();
const settings = exampleSettings();
const DISABLED_AT = '2027-09-01T10:00:00.000Z';
const POLICE = 'govrec-police-investigations';
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/${POLICE}/analyst`;

type Policy = { name: string; policy: unknown };
const POLICE_IDENTITY: Policy = {
  name: 'police-work',
  policy: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['rekognition:SearchFacesByImage', 'rekognition:DetectFaces'], Resource: '*' },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: `${INTAKE_BUCKET_ARN}/*` },
      // Broad rights a careless identity policy might grant: the deny must win over them.
      {
        Effect: 'Allow',
        Action: [
          'ec2:DescribeInstances',
          'iam:*',
          'sts:AssumeRole',
          'lambda:UpdateFunctionCode',
          'states:UpdateStateMachine',
        ],
        Resource: '*',
      },
    ],
  },
};

/** Disable the police role through the workflow and return what it wrote. */
const writtenPolicies = async (
  scope: 'all-actions' | 'recognition-and-intake',
  afterWindow: 'normal-rules' | 'deny' = 'normal-rules',
): Promise<Policy[]> => {
  const harness = new WorkflowHarness(
    synthesized,
    withMoratorium(settings, { enforcementScope: scope, afterWindow }),
    DISABLED_AT,
  );
  harness.aws.iam.addRole(POLICE);
  await harness.enforce(sweepRequest(POLICE, DISABLED_AT));
  const inline = harness.aws.iam.role(POLICE).inlinePolicies;
  return [DENY_POLICY_NAME, REVOKE_POLICY_NAME].map((name) => ({
    name,
    policy: JSON.parse(inline.get(name)!) as unknown,
  }));
};

const simulate = async (options: {
  principal: string;
  action: string;
  resource: string;
  policies: Policy[];
  context: Record<string, string | string[]>;
}) => {
  const result = await runSimulation(
    {
      request: {
        principal: options.principal,
        action: options.action,
        resource: { resource: options.resource, accountId: ACCOUNT },
        contextVariables: options.context,
      },
      identityPolicies: options.policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
};

const COLLECTION = `arn:aws:rekognition:eu-west-1:${ACCOUNT}:collection/police-mugshots`;
const INTAKE_OBJECT = `${INTAKE_BUCKET_ARN}/incoming/metro-police/search/face.jpg`;

describe('the documents EnforceRole writes, evaluated', () => {
  let allActions: Policy[];
  let scoped: Policy[];
  beforeAll(async () => {
    allActions = await writtenPolicies('all-actions');
    scoped = await writtenPolicies('recognition-and-intake');
  });

  const fresh = (at: string) => ({ 'aws:CurrentTime': at, 'aws:TokenIssueTime': '2027-09-01T11:00:00Z' });

  it.each([
    ['rekognition:SearchFacesByImage', COLLECTION, '2027-12-01T00:00:00Z', 'ExplicitlyDenied'],
    ['s3:PutObject', INTAKE_OBJECT, '2027-12-01T00:00:00Z', 'ExplicitlyDenied'],
    ['rekognition:SearchFacesByImage', COLLECTION, '2028-06-09T23:59:59Z', 'ExplicitlyDenied'],
    ['rekognition:SearchFacesByImage', COLLECTION, '2028-06-10T00:00:00Z', 'Allowed'],
    ['rekognition:SearchFacesByImage', COLLECTION, '2028-06-11T00:00:00Z', 'Allowed'],
    ['s3:PutObject', INTAKE_OBJECT, '2028-06-11T00:00:00Z', 'Allowed'],
  ])('a new police session calling %s on %s at %s is %s', async (action, resource, at, expected) => {
    expect(
      await simulate({
        principal: SESSION,
        action,
        resource,
        policies: [POLICE_IDENTITY, ...allActions],
        context: fresh(at),
      }),
    ).toBe(expected);
  });

  it('denies a police session its own deny removal inside the window (all-actions)', async () => {
    expect(
      await simulate({
        principal: SESSION,
        action: 'iam:DeleteRolePolicy',
        resource: roleArn(POLICE),
        policies: [POLICE_IDENTITY, ...allActions],
        context: fresh('2027-12-01T00:00:00Z'),
      }),
    ).toBe('ExplicitlyDenied');
  });

  it.each([
    ['rekognition:SearchFacesByImage', COLLECTION, 'ExplicitlyDenied'],
    ['s3:PutObject', INTAKE_OBJECT, 'ExplicitlyDenied'],
    ['iam:DeleteRolePolicy', roleArn(POLICE), 'ExplicitlyDenied'],
    ['ec2:DescribeInstances', '*', 'Allowed'],
  ])(
    'under recognition-and-intake a new police session calling %s on %s is %s inside the window',
    async (action, resource, expected) => {
      expect(
        await simulate({
          principal: SESSION,
          action,
          resource,
          policies: [POLICE_IDENTITY, ...scoped],
          context: fresh('2027-12-01T00:00:00Z'),
        }),
      ).toBe(expected);
    },
  );

  const ENFORCER_ROLE = `arn:aws:iam::${ACCOUNT}:role/GovRec-EnforcementRestoreWorkflowRole`;
  it.each([
    [
      'iam:PassRole (to a new state machine)',
      'iam:PassRole',
      ENFORCER_ROLE,
      { 'iam:PassedToService': 'states.amazonaws.com' },
      'ExplicitlyDenied',
    ],
    [
      'iam:PassRole (to a new Lambda)',
      'iam:PassRole',
      roleArn('govrec-recognition-worker'),
      { 'iam:PassedToService': 'lambda.amazonaws.com' },
      'ExplicitlyDenied',
    ],
    [
      'sts:AssumeRole (role chaining)',
      'sts:AssumeRole',
      roleArn('govrec-ngo-child-rescue-uploader'),
      {},
      'ExplicitlyDenied',
    ],
    ['iam:CreateRole', 'iam:CreateRole', roleArn('fresh-role'), {}, 'ExplicitlyDenied'],
    [
      'iam:CreatePolicyVersion',
      'iam:CreatePolicyVersion',
      `arn:aws:iam::${ACCOUNT}:policy/shared-analyst`,
      {},
      'ExplicitlyDenied',
    ],
    [
      'iam:AttachRolePolicy on another role',
      'iam:AttachRolePolicy',
      roleArn('govrec-ngo-child-rescue-uploader'),
      {},
      'ExplicitlyDenied',
    ],
    ['iam:PutRolePolicy on another role', 'iam:PutRolePolicy', roleArn('county-sheriff'), {}, 'ExplicitlyDenied'],
    [
      'iam:CreateAccessKey for a user',
      'iam:CreateAccessKey',
      `arn:aws:iam::${ACCOUNT}:user/ops`,
      {},
      'ExplicitlyDenied',
    ],
    [
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionCode',
      `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:recognition`,
      {},
      'ExplicitlyDenied',
    ],
    [
      'states:UpdateStateMachine',
      'states:UpdateStateMachine',
      `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:Restore`,
      {},
      'ExplicitlyDenied',
    ],
    ['iam:GetRole (a read)', 'iam:GetRole', roleArn('county-sheriff'), {}, 'Allowed'],
  ])(
    'under recognition-and-intake denies a police session %s inside the window',
    async (_label, action, resource, extra, expected) => {
      const context = { ...fresh('2027-12-01T00:00:00Z'), ...extra };
      expect(
        await simulate({ principal: SESSION, action, resource, policies: [POLICE_IDENTITY, ...scoped], context }),
      ).toBe(expected);
    },
  );

  it('lets a police session assume a role again after the end (the escalation deny lapses with the window)', async () => {
    expect(
      await simulate({
        principal: SESSION,
        action: 'sts:AssumeRole',
        resource: roleArn('govrec-ngo-child-rescue-uploader'),
        policies: [POLICE_IDENTITY, ...scoped],
        context: fresh('2028-06-10T00:00:00Z'),
      }),
    ).toBe('Allowed');
  });

  it.each([
    ['ec2:DescribeInstances', '*'],
    ['rekognition:DetectFaces', '*'],
    ['s3:PutObject', INTAKE_OBJECT],
    ['iam:PutRolePolicy', roleArn(POLICE)],
  ])('denies %s to a session whose token was issued before the disable', async (action, resource) => {
    const context = { 'aws:CurrentTime': '2027-09-01T10:30:00Z', 'aws:TokenIssueTime': '2027-09-01T09:00:00Z' };
    expect(
      await simulate({ principal: SESSION, action, resource, policies: [POLICE_IDENTITY, ...scoped], context }),
    ).toBe('ExplicitlyDenied');
  });
});

describe.each(['all-actions', 'recognition-and-intake'] as const)(
  'the documents EnforceRole writes under %s, evaluated at and after the end',
  (scope) => {
    const written: Record<'normal-rules' | 'deny', Policy[]> = { 'normal-rules': [], deny: [] };
    beforeAll(async () => {
      written['normal-rules'] = await writtenPolicies(scope, 'normal-rules');
      written.deny = await writtenPolicies(scope, 'deny');
    });

    // A session issued after the disable, so only the deny (not the session revocation) decides.
    const context = (at: string) => ({ 'aws:CurrentTime': at, 'aws:TokenIssueTime': '2027-09-01T11:00:00Z' });

    it.each([
      ['normal-rules', 'rekognition:SearchFacesByImage', COLLECTION, '2028-06-09T23:59:59Z', 'ExplicitlyDenied'],
      ['normal-rules', 'rekognition:SearchFacesByImage', COLLECTION, '2028-06-10T00:00:00Z', 'Allowed'],
      ['normal-rules', 's3:PutObject', INTAKE_OBJECT, '2030-01-01T00:00:00Z', 'Allowed'],
      ['deny', 'rekognition:SearchFacesByImage', COLLECTION, '2028-06-09T23:59:59Z', 'ExplicitlyDenied'],
      ['deny', 'rekognition:SearchFacesByImage', COLLECTION, '2028-06-10T00:00:00Z', 'ExplicitlyDenied'],
      ['deny', 'rekognition:DetectFaces', '*', '2030-01-01T00:00:00Z', 'ExplicitlyDenied'],
      ['deny', 's3:PutObject', INTAKE_OBJECT, '2030-01-01T00:00:00Z', 'ExplicitlyDenied'],
      ['deny', 'iam:DeleteRolePolicy', roleArn(POLICE), '2030-01-01T00:00:00Z', 'ExplicitlyDenied'],
    ] as const)(
      'with afterWindow %s a police session calling %s on %s at %s is %s',
      async (afterWindow, action, resource, at, expected) => {
        expect(
          await simulate({
            principal: SESSION,
            action,
            resource,
            policies: [POLICE_IDENTITY, ...written[afterWindow]],
            context: context(at),
          }),
        ).toBe(expected);
      },
    );
  },
);

describe('the EnforceRole workflow role, evaluated', () => {
  const { json, stack, workflows } = synthesized;
  const roleLogicalId = stack.getLogicalId(workflows.enforceRole.role.node.defaultChild as never);
  const rolePolicies: Policy[] = Object.entries(json.Resources)
    .filter(
      ([, resource]) =>
        resource.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(resource.Properties?.Roles).includes(`"${roleLogicalId}"`),
    )
    .map(([name, resource]) => ({
      name,
      policy: resolveTemplateValue(resource.Properties?.PolicyDocument, json.Resources),
    }));
  const self = `arn:aws:iam::${ACCOUNT}:role/${roleLogicalId}`;
  const at = { 'aws:CurrentTime': '2027-09-01T10:00:00Z', 'aws:TokenIssueTime': '2027-09-01T09:00:00Z' };
  const tagged = { ...at, 'aws:ResourceTag/govrec:category': 'police' };

  it('has its own policy documents to evaluate', () => {
    expect(rolePolicies.map((policy) => policy.name).sort()).toEqual([
      expect.stringMatching(/^EnforcementEnforceRolePermissions/),
      expect.stringMatching(/^EnforcementEnforceRoleWorkflowRoleDefaultPolicy/),
    ]);
  });

  it.each([
    {
      label: 'iam:PutRolePolicy on an unrestricted role',
      action: 'iam:PutRolePolicy',
      resource: roleArn('govrec-ngo-child-rescue-uploader'),
      context: at,
      expected: 'ImplicitlyDenied',
    },
    {
      label: 'iam:PutRolePolicy on an unregistered role tagged ngo',
      action: 'iam:PutRolePolicy',
      resource: roleArn('platform-deployer'),
      context: { ...at, 'aws:ResourceTag/govrec:category': 'ngo' },
      expected: 'ImplicitlyDenied',
    },
    {
      label: 'iam:PutRolePolicy on a registered police role',
      action: 'iam:PutRolePolicy',
      resource: roleArn(POLICE),
      context: at,
      expected: 'Allowed',
    },
    {
      label: 'iam:PutRolePolicy on a role tagged police',
      action: 'iam:PutRolePolicy',
      resource: roleArn('county-sheriff'),
      context: tagged,
      expected: 'Allowed',
    },
    {
      label: 'iam:PutRolePolicy on a role tagged with the key and value in upper case (IAM ignores key case)',
      action: 'iam:PutRolePolicy',
      resource: roleArn('county-sheriff'),
      context: { ...at, 'aws:ResourceTag/GOVREC:CATEGORY': 'POLICE' },
      expected: 'Allowed',
    },
    {
      label: 'iam:PutRolePolicy on an untagged case variant of a registered police role (ARNs match case-sensitively)',
      action: 'iam:PutRolePolicy',
      resource: roleArn(POLICE.toUpperCase()),
      context: at,
      expected: 'ImplicitlyDenied',
    },
    {
      label: 'iam:PutRolePolicy on its own role even when tagged police',
      action: 'iam:PutRolePolicy',
      resource: self,
      context: tagged,
      expected: 'ExplicitlyDenied',
    },
    {
      label: 'iam:DeleteRolePolicy on a police role (not needed to enforce)',
      action: 'iam:DeleteRolePolicy',
      resource: roleArn(POLICE),
      context: at,
      expected: 'ImplicitlyDenied',
    },
    {
      label: 'iam:TagRole with the moratorium tags',
      action: 'iam:TagRole',
      resource: roleArn(POLICE),
      context: { ...at, 'aws:TagKeys': ['govrec:moratorium-status', 'govrec:moratorium-disabled-until'] },
      expected: 'Allowed',
    },
    {
      label: 'iam:TagRole rewriting the restricted tag',
      action: 'iam:TagRole',
      resource: roleArn(POLICE),
      context: { ...at, 'aws:TagKeys': ['govrec:category'] },
      expected: 'ExplicitlyDenied',
    },
    {
      label: 'iam:AttachRolePolicy on a police role',
      action: 'iam:AttachRolePolicy',
      resource: roleArn(POLICE),
      context: at,
      expected: 'ImplicitlyDenied',
    },
    {
      label: 'rekognition:SearchFacesByImage',
      action: 'rekognition:SearchFacesByImage',
      resource: COLLECTION,
      context: at,
      expected: 'ImplicitlyDenied',
    },
  ])('$label is $expected', async ({ action, resource, context, expected }) => {
    expect(
      await simulate({
        principal: self,
        action,
        resource,
        policies: rolePolicies,
        context: context as Record<string, string | string[]>,
      }),
    ).toBe(expected);
  });
});
