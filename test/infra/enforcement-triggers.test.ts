import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { fixedClock } from '../../lambda/shared/moratorium';
import { parseGovernance } from '../../lambda/shared/settings';
import { IAM_ROLE_CHANGES } from '../../lib/constructs/enforcement/enforcement-patterns';
import { EnforcementTriggers, isSchedulable } from '../../lib/constructs/enforcement/enforcement-triggers';
import { IamChangeForwarder } from '../../lib/constructs/enforcement/iam-change-forwarder';
import { InfrastructureError } from '../../lib/errors';

// One app for the file; the cdk.json context so feature flags match `cdk synth`.
const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};
const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const ACCOUNT = '111111111111';
const settings = parseGovernance({
  moratorium: { start: '2027-06-10T00:00:00Z', end: '2028-06-10T00:00:00Z' },
  organisations: [
    {
      id: 'metro-police',
      displayName: 'Police',
      category: 'police',
      roleArns: [`arn:aws:iam::${ACCOUNT}:role/police`],
      purposes: ['criminal-investigation'],
      operations: ['detect'],
    },
  ],
});

interface BuildOptions {
  readonly at: string;
  readonly withPipelineRole: boolean;
  readonly withEnforcerRole?: boolean;
  readonly iamEventsForwarded?: boolean;
  readonly scheduleGroupName?: string;
}

const buildStack = (name: string, region: string, options: BuildOptions) => {
  const stack = new Stack(app, name, { env: { account: ACCOUNT, region } });
  const machine = (id: string) =>
    new sfn.StateMachine(stack, id, {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)),
    });
  const pipelineRoles = options.withPipelineRole
    ? [new iam.Role(stack, 'PipelineRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') })]
    : [];
  const triggers = new EnforcementTriggers(stack, 'Triggers', {
    settings,
    intakeBucket: new s3.Bucket(stack, 'Intake'),
    pipelineRoles,
    enforcerRoles: options.withEnforcerRole
      ? [new iam.Role(stack, 'EnforcerRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') })]
      : undefined,
    enforceRole: machine('EnforceRole'),
    sweep: machine('Sweep'),
    restore: machine('Restore'),
    schedulerRole: new iam.Role(stack, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
    }),
    sweepIntervalMinutes: 30,
    restrictedTag: { key: 'govrec:category', value: 'police' },
    clock: fixedClock(options.at),
    iamEventsForwarded: options.iamEventsForwarded,
    scheduleGroupName: options.scheduleGroupName,
  });
  return { stack, triggers };
};

// Both stacks exist before the first synth: the tree may not change after it.
const built = [
  buildStack('Triggers', 'eu-west-1', { at: '2027-01-01T00:00:00Z', withPipelineRole: true, withEnforcerRole: true }),
  buildStack('LateTriggers', 'us-east-1', { at: '2028-06-09T23:50:00Z', withPipelineRole: false }),
  buildStack('ForwardedTriggers', 'eu-central-1', {
    at: '2027-01-01T00:00:00Z',
    withPipelineRole: true,
    iamEventsForwarded: true,
    scheduleGroupName: 'govrec-enforcement',
  }),
];
const forwarderStack = new Stack(app, 'IamEvents', { env: { account: ACCOUNT, region: 'us-east-1' } });
const forwarder = new IamChangeForwarder(forwarderStack, 'IamChangeForwarder', { targetRegion: 'eu-central-1' });
// Every synth in this file prints the validation report (warnings included) on stderr: it is
// captured for the whole file and asserted below instead of flooding the test output. A failed
// validation still throws from Template.fromStack.
const reportSpy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
afterAll(() => reportSpy.mockRestore());
const printedReport = (): string => reportSpy.mock.calls.map((args) => String(args[0])).join('\n');
const [main, late, forwarded] = built.map((entry) => ({ ...entry, template: Template.fromStack(entry.stack) })) as [
  { stack: Stack; triggers: EnforcementTriggers; template: Template },
  { stack: Stack; triggers: EnforcementTriggers; template: Template },
  { stack: Stack; triggers: EnforcementTriggers; template: Template },
];
const ref = (stack: Stack, construct: Construct): string =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

/** The logical id of the one resource of `type` whose id contains `pathPart`. */
const idOf = (template: Template, type: string, pathPart: string): string => {
  const found = Object.keys(template.findResources(type)).filter((id) => id.includes(pathPart));
  if (found.length !== 1)
    throw new Error(`expected one ${type} whose id contains ${pathPart}, found ${found.join(', ')}`);
  return found[0]!;
};

/** The properties of the one resource of `type` whose logical id contains `pathPart`. */
const propsOf = (template: Template, type: string, pathPart: string): Record<string, unknown> =>
  template.findResources(type)[idOf(template, type, pathPart)]!.Properties as Record<string, unknown>;

describe('EnforcementTriggers', () => {
  const { template, stack } = main;
  const queue = idOf(template, 'AWS::SQS::Queue', 'DeadLetterQueue');
  const enforce = idOf(template, 'AWS::StepFunctions::StateMachine', 'EnforceRole');
  const sweep = idOf(template, 'AWS::StepFunctions::StateMachine', 'Sweep');
  const restore = idOf(template, 'AWS::StepFunctions::StateMachine', 'Restore');
  const pipelineRole = idOf(template, 'AWS::IAM::Role', 'PipelineRole');
  const eventsRole = idOf(template, 'AWS::IAM::Role', 'EventsRole');
  const schedulerRole = idOf(template, 'AWS::IAM::Role', 'SchedulerRole');
  const notByPipeline = [
    {
      userIdentity: {
        sessionContext: { sessionIssuer: { arn: [{ 'anything-but': [{ 'Fn::GetAtt': [pipelineRole, 'Arn'] }] }] } },
      },
    },
    { userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } },
  ];
  const enforceTarget = {
    Arn: { Ref: enforce },
    Id: 'Target0',
    RoleArn: { 'Fn::GetAtt': [eventsRole, 'Arn'] },
    DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
    RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
  };

  it('builds a multi-region, validated, KMS-encrypted trail with all management events and intake write data events', () => {
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [idOf(template, 'AWS::KMS::Key', 'TrailKey'), 'Arn'] },
      S3BucketName: { Ref: idOf(template, 'AWS::S3::Bucket', 'TrailBucket') },
      EventSelectors: [
        { IncludeManagementEvents: true, ReadWriteType: 'All' },
        {
          DataResources: [
            {
              Type: 'AWS::S3::Object',
              Values: [
                {
                  'Fn::Join': [
                    '',
                    [{ 'Fn::GetAtt': [idOf(template, 'AWS::S3::Bucket', 'Intake'), 'Arn'] }, '/incoming/'],
                  ],
                },
              ],
            },
          ],
          IncludeManagementEvents: false,
          ReadWriteType: 'WriteOnly',
        },
      ],
      CloudWatchLogsLogGroupArn: Match.absent(),
    });
  });

  it('lets only CloudTrail of this account encrypt with the trail key, which rotates', () => {
    const thisAccountTrails = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:', { Ref: 'AWS::AccountId' }, ':trail/*']],
    };
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudTrailToEncryptLogs',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Resource: '*',
            Condition: {
              StringLike: {
                'kms:EncryptionContext:aws:cloudtrail:arn': thisAccountTrails,
                'aws:SourceArn': thisAccountTrails,
              },
            },
          },
          {
            Sid: 'AllowCloudTrailToDescribeKey',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:DescribeKey',
            Resource: '*',
          },
        ]),
      },
    });
  });

  it('locks the trail bucket down: no public access, TLS only, versioned, access-logged, retained', () => {
    const bucket = idOf(template, 'AWS::S3::Bucket', 'TrailBucket');
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: idOf(template, 'AWS::S3::Bucket', 'AccessLogsBucket') },
          LogFilePrefix: 'enforcement-trail/',
        },
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
          }),
        ]),
      },
    });
  });

  it('routes Rekognition calls by anyone but the pipeline roles, opting into read-only management events', () => {
    expect(propsOf(template, 'AWS::Events::Rule', 'RekognitionCallsRule')).toEqual({
      Description: expect.any(String),
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventPattern: {
        source: ['aws.rekognition'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['rekognition.amazonaws.com'], $or: notByPipeline },
      },
      Targets: [enforceTarget],
    });
  });

  it('routes intake uploads by anyone but the pipeline roles', () => {
    expect(propsOf(template, 'AWS::Events::Rule', 'IntakeUploadsRule')).toEqual({
      Description: expect.any(String),
      State: 'ENABLED',
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['s3.amazonaws.com'],
          eventName: ['PutObject', 'CopyObject', 'CompleteMultipartUpload'],
          requestParameters: {
            bucketName: [{ Ref: idOf(template, 'AWS::S3::Bucket', 'Intake') }],
            key: [{ prefix: 'incoming/' }],
          },
          $or: notByPipeline,
        },
      },
      Targets: [enforceTarget],
    });
  });

  it("routes IAM role changes by anyone but the enforcer's own roles (administrators and the pipeline included)", () => {
    const enforcerRole = idOf(template, 'AWS::IAM::Role', 'EnforcerRole');
    expect(IAM_ROLE_CHANGES).toEqual([
      'CreateRole',
      'TagRole',
      'UntagRole',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'PutRolePolicy',
      'DeleteRolePolicy',
      'UpdateAssumeRolePolicy',
    ]);
    expect(propsOf(template, 'AWS::Events::Rule', 'IamRoleChangesRule')).toEqual({
      Description: expect.stringContaining('govrec:category=police'),
      State: 'ENABLED',
      EventPattern: {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['iam.amazonaws.com'],
          eventName: [...IAM_ROLE_CHANGES],
          $or: [
            {
              userIdentity: {
                sessionContext: {
                  sessionIssuer: { arn: [{ 'anything-but': [{ 'Fn::GetAtt': [enforcerRole, 'Arn'] }] }] },
                },
              },
            },
            { userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } },
          ],
        },
      },
      Targets: [enforceTarget],
    });
    template.resourceCountIs('AWS::Events::Rule', 4);
  });

  it('dead-letters with SSE on a TLS-only queue that only the four rules may write to', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const rules = ['RekognitionCallsRule', 'IntakeUploadsRule', 'IamRoleChangesRule', 'RoleChainingRule'].map((name) =>
      idOf(template, 'AWS::Events::Rule', name),
    );
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          ...rules.map((rule) =>
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [rule, 'Arn'] } } },
            }),
          ),
        ],
      },
    });
  });

  it('gives the events role, trusted by EventBridge of this account only, nothing but starting the enforce workflow', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: eventsRole }],
      PolicyDocument: { Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: enforce } }] },
    });
  });

  it('lets the scheduler role start only the sweep and restore workflows and write the dead-letter queue', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: schedulerRole }],
      PolicyDocument: {
        Statement: [
          { Action: 'states:StartExecution', Effect: 'Allow', Resource: [{ Ref: restore }, { Ref: sweep }] },
          { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [queue, 'Arn'] } },
        ],
      },
    });
  });

  it.each([
    ['MoratoriumStartSchedule', 'at(2027-06-10T00:00:00)', 'Sweep', { trigger: 'moratorium-start' }],
    ['PeriodicSweepSchedule', 'rate(30 minutes)', 'Sweep', { trigger: 'periodic' }],
    ['MoratoriumEndSchedule', 'at(2028-06-10T00:00:00)', 'Restore', { trigger: 'moratorium-end' }],
  ])('schedules %s as %s to the %s workflow with %o', (name, expression, machine, input) => {
    const schedules = template.findResources('AWS::Scheduler::Schedule');
    const id = Object.keys(schedules).find((key) => key.includes(name));
    expect(schedules[id!]!.Properties).toEqual({
      Description: expect.any(String),
      FlexibleTimeWindow: { Mode: 'OFF' },
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      Target: {
        Arn: { Ref: idOf(template, 'AWS::StepFunctions::StateMachine', machine) },
        RoleArn: { 'Fn::GetAtt': [schedulerRole, 'Arn'] },
        Input: JSON.stringify(input),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
      },
    });
  });

  it('exposes the trail, its bucket, the rules by purpose and the schedules', () => {
    const { triggers } = main;
    expect(ref(stack, triggers.trailBucket)).toBe(idOf(template, 'AWS::S3::Bucket', 'TrailBucket'));
    expect(ref(stack, triggers.rules.rekognitionCalls)).toBe(
      idOf(template, 'AWS::Events::Rule', 'RekognitionCallsRule'),
    );
    expect(ref(stack, triggers.rules.intakeUploads)).toBe(idOf(template, 'AWS::Events::Rule', 'IntakeUploadsRule'));
    expect(ref(stack, triggers.rules.iamRoleChanges)).toBe(idOf(template, 'AWS::Events::Rule', 'IamRoleChangesRule'));
    expect(
      [triggers.schedules.moratoriumStart, triggers.schedules.periodicSweep, triggers.schedules.moratoriumEnd].every(
        (s) => s !== undefined,
      ),
    ).toBe(true);
  });

  it('warns that IAM events do not reach a stack outside us-east-1', () => {
    Annotations.fromStack(stack).hasWarning(
      '/Triggers/Triggers',
      Match.stringLikeRegexp('IAM CloudTrail events reach EventBridge only in us-east-1.*eu-west-1.*within 30 minutes'),
    );
  });

  it('prints both warnings in the validation report of the synth', () => {
    expect(printedReport()).toContain("Acknowledge with 'Annotation::govrec:iam-events-us-east-1'");
    expect(printedReport()).toContain("Acknowledge with 'Annotation::govrec:end-schedule-skipped'");
  });

  it('passes the AwsSolutions checks, every finding acknowledged next to its resource', () => {
    const report = new AwsSolutionsChecks(app).validateScope(main.triggers);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('is checked for real: the bare test state machines outside it do fail the same checks', () => {
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-SF1', 'AwsSolutions-SF2']),
    );
  });
});

describe('EnforcementTriggers synthesized near the end of the window in us-east-1', () => {
  const { template, stack } = late;

  it('creates neither one-time schedule, only the periodic sweep', () => {
    const expressions = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
      (s) => s.Properties.ScheduleExpression,
    );
    expect(expressions).toEqual(['rate(30 minutes)']);
    expect(late.triggers.schedules.moratoriumStart).toBeUndefined();
    expect(late.triggers.schedules.moratoriumEnd).toBeUndefined();
  });

  it('notes the skipped start and warns how to run the restore by hand', () => {
    const annotations = Annotations.fromStack(stack);
    annotations.hasInfo(
      '/LateTriggers/Triggers',
      Match.stringLikeRegexp(
        'start \\(2027-06-10T00:00:00.000Z\\) is past, or less than 15 minutes away, at synth \\(2028-06-09T23:50:00.000Z\\).*within 30 minutes',
      ),
    );
    annotations.hasWarning(
      '/LateTriggers/Triggers',
      Match.stringLikeRegexp(
        'end \\(2028-06-10T00:00:00.000Z\\) is past, or less than 15 minutes away.*\\{"trigger":"moratorium-end"\\}',
      ),
    );
    annotations.hasNoWarning('/LateTriggers/Triggers', Match.stringLikeRegexp('IAM CloudTrail events'));
  });

  it('matches every caller when there are no pipeline or enforcer roles to leave out', () => {
    expect(propsOf(template, 'AWS::Events::Rule', 'RekognitionCallsRule').EventPattern).toEqual({
      source: ['aws.rekognition'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['rekognition.amazonaws.com'] },
    });
    expect(propsOf(template, 'AWS::Events::Rule', 'IamRoleChangesRule').EventPattern).toEqual({
      source: ['aws.iam'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['iam.amazonaws.com'], eventName: [...IAM_ROLE_CHANGES] },
    });
  });
});

describe('EnforcementTriggers with IAM events forwarded and a schedule group', () => {
  it('puts every schedule into the given schedule group', () => {
    const groups = Object.values(forwarded.template.findResources('AWS::Scheduler::Schedule')).map(
      (s) => s.Properties.GroupName,
    );
    expect(groups).toEqual(['govrec-enforcement', 'govrec-enforcement', 'govrec-enforcement']);
  });

  it('does not warn about missing IAM events', () => {
    Annotations.fromStack(forwarded.stack).hasNoWarning('*', Match.stringLikeRegexp('IAM CloudTrail events'));
  });
});

describe('IamChangeForwarder', () => {
  const template = Template.fromStack(forwarderStack);
  const role = idOf(template, 'AWS::IAM::Role', 'ForwardRole');
  // A literal partition: the region is known (feature flag @aws-cdk/core:enablePartitionLiterals).
  const targetBus = `arn:aws:events:eu-central-1:${ACCOUNT}:event-bus/default`;

  it('forwards the IAM role changes from us-east-1 to the default bus of the enforcement region, with a dead-letter queue', () => {
    expect(propsOf(template, 'AWS::Events::Rule', 'ForwarderRule')).toEqual({
      Description: expect.any(String),
      State: 'ENABLED',
      EventPattern: {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['iam.amazonaws.com'], eventName: [...IAM_ROLE_CHANGES] },
      },
      Targets: [
        {
          Arn: targetBus,
          Id: 'Target0',
          RoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf(template, 'AWS::SQS::Queue', 'DeadLetterQueue'), 'Arn'] } },
        },
      ],
    });
  });

  it('forwards role chaining through the STS global endpoint (its events arrive in us-east-1) the same way', () => {
    expect(propsOf(template, 'AWS::Events::Rule', 'RoleChainingRule')).toMatchObject({
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventPattern: {
        source: ['aws.sts'],
        detail: { eventName: ['AssumeRole'], userIdentity: { type: ['AssumedRole'] } },
      },
      Targets: [expect.objectContaining({ Arn: targetBus, RoleArn: { 'Fn::GetAtt': [role, 'Arn'] } })],
    });
  });

  it('alarms on the first message in its dead-letter queue (no action without a us-east-1 topic)', () => {
    const queue = idOf(template, 'AWS::SQS::Queue', 'DeadLetterQueue');
    expect(propsOf(template, 'AWS::CloudWatch::Alarm', 'DeadLetterAlarm')).toEqual({
      AlarmDescription: expect.stringMatching(/^An IAM role change could not be forwarded to eu-central-1/),
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      Period: 60,
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('notifies a us-east-1 topic when given one', () => {
    const withTopicApp = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    const withTopic = new Stack(withTopicApp, 'IamEventsWithTopic', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const topic = new sns.Topic(withTopic, 'Alarms', { enforceSSL: true });
    new IamChangeForwarder(withTopic, 'IamChangeForwarder', { targetRegion: 'eu-central-1', alarmTopic: topic });

    const synthesized = Template.fromStack(withTopic);

    expect(propsOf(synthesized, 'AWS::CloudWatch::Alarm', 'DeadLetterAlarm').AlarmActions).toEqual([
      { Ref: idOf(synthesized, 'AWS::SNS::Topic', 'Alarms') },
    ]);
  });

  it('lets its role put events on that one bus only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role }],
      PolicyDocument: { Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: targetBus }] },
    });
  });

  it('passes the AwsSolutions checks', () => {
    expect(new AwsSolutionsChecks(app).validateScope(forwarder).violations).toEqual([]);
  });

  it('fails synth when placed outside us-east-1 or pointed at it', () => {
    // Its own app: with @aws-cdk/core:annotationsInValidationReport an error fails the whole app's synth.
    const misplacedApp = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    const misplacedStack = new Stack(misplacedApp, 'MisplacedIamEvents', {
      env: { account: ACCOUNT, region: 'eu-west-1' },
    });
    new IamChangeForwarder(misplacedStack, 'IamChangeForwarder', { targetRegion: 'us-east-1' });

    const synth = () => misplacedApp.synth();

    expect(synth).toThrow(
      /IamChangeForwarder must be in a stack with env.region 'us-east-1'[\s\S]*targetRegion is us-east-1 already/,
    );
  });
});

describe('EnforcementTriggers misconfigured', () => {
  it.each([0, 2.5, 1441])('refuses a sweep interval of %p minutes at synth', (minutes) => {
    const stack = new Stack(new App(), 'Bad');
    const machine = sfn.StateMachine.fromStateMachineArn(
      stack,
      'Machine',
      'arn:aws:states:eu-west-1:111111111111:stateMachine:m',
    );
    expect(
      () =>
        new EnforcementTriggers(stack, 'Triggers', {
          settings,
          intakeBucket: s3.Bucket.fromBucketName(stack, 'Intake', 'intake'),
          pipelineRoles: [],
          enforceRole: machine,
          sweep: machine,
          restore: machine,
          schedulerRole: iam.Role.fromRoleArn(stack, 'SchedulerRole', 'arn:aws:iam::111111111111:role/scheduler'),
          sweepIntervalMinutes: minutes,
          restrictedTag: { key: 'govrec:category', value: 'police' },
        }),
    ).toThrow(
      new InfrastructureError(
        `sweepIntervalMinutes must be a whole number of minutes from 1 to 1440 (got ${minutes}); it bounds how long a restricted role that produced no event stays enabled`,
      ),
    );
  });
});

describe('isSchedulable', () => {
  const instant = new Date('2027-06-10T00:00:00Z');
  it.each([
    ['an hour ahead', '2027-06-09T23:00:00Z', true],
    ['15 min 1 s ahead', '2027-06-09T23:44:59Z', true],
    ['exactly the lead time ahead', '2027-06-09T23:45:00Z', false],
    ['one minute ahead', '2027-06-09T23:59:00Z', false],
    ['at the instant', '2027-06-10T00:00:00Z', false],
    ['after the instant', '2027-06-11T00:00:00Z', false],
  ])('answers for an instant %s of now (%s): %s', (_label, now, expected) => {
    expect(isSchedulable(instant, new Date(now), Duration.minutes(15))).toBe(expected);
  });
});
