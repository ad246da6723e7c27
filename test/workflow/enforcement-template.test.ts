/**
 * Template assertions on the enforcement workflows: the exact IAM of the enforcement roles, the
 * state machines' logging and tracing, the ledger and the scheduler role.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { synthEnforcement } from '../helpers/asl';

const { template, stack, workflows, json } = synthEnforcement();
const id = (construct: { node: { defaultChild?: unknown } } | undefined) =>
  stack.getLogicalId(construct!.node.defaultChild as never);
const arnOf = (construct: { node: { defaultChild?: unknown } } | undefined) => ({
  'Fn::GetAtt': [id(construct), 'Arn'],
});
const accountRoles = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/*']],
};
const REGISTERED = [
  'arn:aws:iam::111111111111:role/govrec-police-analysts',
  'arn:aws:iam::111111111111:role/govrec-police-investigations',
];
const ROLE_WRITES = ['iam:Attach*', 'iam:Delete*', 'iam:Detach*', 'iam:Put*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*'];
const ownRoles = () =>
  workflows.enforcerRoles
    .map((role) => arnOf(role))
    .sort((a, b) => (a['Fn::GetAtt'][0]! < b['Fn::GetAtt'][0]! ? -1 : 1));
const neverOwnRoles = () => ({ Sid: 'NeverOwnRoles', Effect: 'Deny', Action: ROLE_WRITES, Resource: ownRoles() });
const onlyMoratoriumTags = {
  Sid: 'OnlyMoratoriumTags',
  Effect: 'Deny',
  Action: ['iam:TagRole', 'iam:UntagRole'],
  Resource: '*',
  Condition: { 'ForAnyValue:StringNotLike': { 'aws:TagKeys': ['govrec:moratorium-*'] } },
};
const restrictedOnly = (actions: string[]) => [
  { Sid: 'RegisteredRestrictedRoles', Effect: 'Allow', Action: actions, Resource: REGISTERED },
  {
    Sid: 'TaggedRestrictedRoles',
    Effect: 'Allow',
    Action: actions,
    Resource: accountRoles,
    Condition: { StringEqualsIgnoreCase: { 'aws:ResourceTag/govrec:category': 'police' } },
  },
  onlyMoratoriumTags,
];
/** The schedule group, created without a name (CloudFormation generates it). */
const groupId = () => stack.getLogicalId(workflows.node.findChild('Schedules') as never);
const putMetrics = {
  Sid: 'PutEnforcementMetrics',
  Effect: 'Allow',
  Action: 'cloudwatch:PutMetricData',
  Resource: '*',
  Condition: { StringEquals: { 'cloudwatch:namespace': 'GovernedRecognition' } },
};
const policyStatements = (logicalIdPrefix: string) => {
  const entry = Object.entries(json.Resources).find(
    ([logicalId, resource]) => resource.Type === 'AWS::IAM::Policy' && logicalId.startsWith(logicalIdPrefix),
  );
  return (entry![1].Properties!.PolicyDocument as { Statement: unknown[] }).Statement;
};

describe('EnforcementWorkflows IAM', () => {
  it('lets EnforceRole read and write inline policies and tags on restricted roles only, never on its own roles', () => {
    expect(policyStatements('EnforcementEnforceRolePermissions')).toEqual([
      ...restrictedOnly(['iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:TagRole']),
      { Sid: 'ReadRoleTags', Effect: 'Allow', Action: 'iam:ListRoleTags', Resource: accountRoles },
      { Sid: 'ReadRoleArn', Effect: 'Allow', Action: 'iam:GetRole', Resource: accountRoles },
      putMetrics,
      neverOwnRoles(),
    ]);
  });

  it('lets Restore delete the inline policies and retag restricted roles, reschedule itself and pass only the scheduler role', () => {
    expect(policyStatements('EnforcementRestorePermissions')).toEqual([
      ...restrictedOnly(['iam:DeleteRolePolicy', 'iam:TagRole']),
      {
        Sid: 'RescheduleRestore',
        Effect: 'Allow',
        Action: 'scheduler:CreateSchedule',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':scheduler:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':schedule/',
              { Ref: groupId() },
              '/govrec-restore-*',
            ],
          ],
        },
      },
      putMetrics,
      {
        Sid: 'PassSchedulerRole',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: arnOf(workflows.schedulerRole),
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
      neverOwnRoles(),
    ]);
  });

  it('gives the role-listing function only ListRoles and ListRoleTags', () => {
    expect(policyStatements('EnforcementRolesFunctionServiceRoleDefaultPolicy')).toEqual([
      { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
      { Sid: 'ListRoles', Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' },
      { Sid: 'ReadRoleTags', Effect: 'Allow', Action: 'iam:ListRoleTags', Resource: accountRoles },
      neverOwnRoles(),
    ]);
  });

  it('gives the decision function no AWS rights beyond logs and traces', () => {
    expect(policyStatements('EnforcementEnforcerFunctionServiceRoleDefaultPolicy')).toEqual([
      { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
    ]);
  });

  it('grants no iam:* wildcard, no Rekognition action and no unconditioned IAM write on role/* anywhere', () => {
    const statements = Object.values(json.Resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .flatMap(
        (resource) =>
          (
            resource.Properties!.PolicyDocument as {
              Statement: { Effect: string; Action: string | string[]; Condition?: unknown; Resource: unknown }[];
            }
          ).Statement,
      );
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).not.toContain('iam:*');
    expect(actions.filter((action) => action.startsWith('rekognition:'))).toEqual([]);
    const unconditionedWritesOnAllRoles = statements.filter(
      (statement) =>
        statement.Effect === 'Allow' &&
        statement.Condition === undefined &&
        JSON.stringify(statement.Resource).includes(':role/*') &&
        [statement.Action].flat().some((action) => /^iam:(Put|Delete|Tag|Untag|Attach|Detach|Update)/.test(action)),
    );
    expect(unconditionedWritesOnAllRoles).toEqual([]);
  });

  it('lets only EventBridge Scheduler of this account assume the scheduler role, to start Sweep and Restore', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
    expect(policyStatements('EnforcementSchedulerRoleDefaultPolicy')).toEqual([
      {
        Action: 'states:StartExecution',
        Effect: 'Allow',
        Resource: [{ Ref: id(workflows.restore) }, { Ref: id(workflows.sweep) }],
      },
    ]);
  });

  it('creates the schedule group without a name, so a retained group never blocks the next deploy, with the removal policy given', () => {
    expect(json.Resources[groupId()]).toEqual({
      Type: 'AWS::Scheduler::ScheduleGroup',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(stack.resolve(workflows.scheduleGroupName)).toEqual({ Ref: groupId() });
    expect(stack.resolve(workflows.scheduleGroup.scheduleGroupName)).toEqual({ Ref: groupId() });
  });

  it('lets only state machines of this account assume the three workflow roles (confused-deputy guard)', () => {
    const trust = {
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':states:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    ':stateMachine:*',
                  ],
                ],
              },
            },
          },
        },
      ],
      Version: '2012-10-17',
    };
    for (const role of workflows.machineRoles) {
      expect(json.Resources[id(role)]!.Properties!.AssumeRolePolicyDocument).toEqual(trust);
    }
  });
});

describe('EnforcementWorkflows state machines', () => {
  it.each(['EnforceRole', 'Sweep', 'Restore'])('%s is Standard, traced and logs ALL with execution data', (name) => {
    const logGroup = Object.keys(template.findResources('AWS::Logs::LogGroup')).find((logicalId) =>
      logicalId.startsWith(`Enforcement${name}Logs`),
    );
    expect(logGroup).toBeDefined();
    template.hasResource('AWS::StepFunctions::StateMachine', {
      Properties: Match.objectLike({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: {
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroup, 'Arn'] } } }],
          IncludeExecutionData: true,
          Level: 'ALL',
        },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('keeps the ledger (pk/sk, point-in-time recovery, retained)', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('compiles the settings, restricted tag and account into the enforcer function', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          GOVREC_ACCOUNT_ID: '111111111111',
          RESTRICTED_TAG_KEY: 'govrec:category',
          RESTRICTED_TAG_VALUE: 'police',
          INTAKE_BUCKET_ARN: 'arn:aws:s3:::govrec-intake',
        }),
      },
    });
  });
});
