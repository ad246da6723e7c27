import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { GovernedRecognitionStack } from '../../lib/governed-recognition-stack';
import {
  configWith,
  EXAMPLE_ACCOUNT,
  exampleConfig,
  getAttArn,
  logicalIdOf,
  synthStack,
  TEST_REGION,
  testApp,
} from '../helpers/cdk-app';

const { stack, template } = synthStack();
const pipeline = stack.pipeline;
const enforcer = pipeline.enforcer;
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const ruleOf = (rule: Parameters<typeof logicalIdOf>[0]) => resources[logicalIdOf(rule)]!.Properties;
const arnsOf = (roles: readonly Parameters<typeof getAttArn>[0][]) => roles.map((role) => getAttArn(role));
const notBy = (arns: unknown[]) => [
  { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': arns }] } } } },
  { userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } },
];
const topicKey = resources[logicalIdOf(pipeline.alarmTopic)]!.Properties.KmsMasterKeyId;

describe('MoratoriumEnforcer in GovernedRecognition', () => {
  it('leaves exactly the two pipeline roles out of the Rekognition and intake rules', () => {
    const pipelineRoles = arnsOf([pipeline.policyFunction.role!, pipeline.recognitionFunction.role!]);
    expect(ruleOf(enforcer.rules.rekognitionCalls).EventPattern.detail.$or).toEqual(notBy(pipelineRoles));
    expect(ruleOf(enforcer.rules.intakeUploads).EventPattern.detail.$or).toEqual(notBy(pipelineRoles));
    expect(ruleOf(enforcer.rules.intakeUploads).EventPattern.detail.requestParameters).toEqual({
      bucketName: [{ Ref: logicalIdOf(pipeline.intakeBucket) }],
      key: [{ prefix: 'incoming/' }],
    });
  });

  it("leaves exactly the enforcer's own six roles out of the IAM rule, so its writes start no execution", () => {
    expect(enforcer.enforcerRoles).toHaveLength(6);
    expect(ruleOf(enforcer.rules.iamRoleChanges).EventPattern.detail.$or).toEqual(
      notBy(arnsOf(enforcer.enforcerRoles)),
    );
  });

  it('lets the three state machine roles use the alarm topic key, and only for encrypting messages', () => {
    for (const role of enforcer.workflows.machineRoles) {
      const statements = Object.values(resources)
        .filter(
          (resource) =>
            resource.Type === 'AWS::IAM::Policy' &&
            resource.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === logicalIdOf(role)),
        )
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]);
      expect(statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(topicKey))).toEqual([
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: topicKey },
      ]);
    }
  });

  it('gives the enforcer the pipeline intake bucket, the one its scoped deny names', () => {
    const env =
      resources[logicalIdOf(enforcer.workflows.node.findChild('EnforcerFunction'))]!.Properties.Environment.Variables;
    expect(env.INTAKE_BUCKET_ARN).toEqual(getAttArn(pipeline.intakeBucket));
  });

  it('sweeps every 60 minutes and keeps every schedule in the enforcement schedule group', () => {
    const schedules = Object.values(resources).filter((resource) => resource.Type === 'AWS::Scheduler::Schedule');
    expect(schedules.map((schedule) => schedule.Properties.ScheduleExpression).sort()).toEqual([
      'at(2027-06-10T00:00:00)',
      'at(2028-06-10T00:00:00)',
      'rate(1 hour)',
    ]);
    // By Ref, so each schedule depends on the group (a literal name gave no ordering).
    const group = { Ref: logicalIdOf(enforcer.workflows.node.findChild('Schedules') as never) };
    expect(schedules).toHaveLength(3);
    for (const schedule of schedules) expect(schedule.Properties.GroupName).toEqual(group);
  });

  it('logs access to the trail bucket into the shared access-log bucket', () => {
    expect(resources[logicalIdOf(enforcer.trailBucket)]!.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(pipeline.accessLogsBucket) },
      LogFilePrefix: 'enforcement-trail/',
    });
  });

  it('alarms to the alarm topic on tamper, on unsuccessful executions of each workflow and on dead-lettered triggers', () => {
    const enforcement = [
      enforcer.alarms.tamper,
      ...Object.values(enforcer.alarms.unsuccessfulExecutions),
      enforcer.alarms.triggerDeadLetters,
    ];
    expect(new Set(enforcement.map((alarm) => logicalIdOf(alarm))).size).toBe(5);
    for (const alarm of enforcement) {
      expect(resources[logicalIdOf(alarm)]!.Properties).toMatchObject({
        AlarmActions: [{ Ref: logicalIdOf(pipeline.alarmTopic) }],
        TreatMissingData: 'notBreaching',
        EvaluationPeriods: 1,
      });
    }
    expect(resources[logicalIdOf(enforcer.alarms.tamper)]!.Properties).toMatchObject({
      Namespace: 'GovernedRecognition',
      MetricName: 'EnforcementTamper',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(resources[logicalIdOf(enforcer.alarms.triggerDeadLetters)]!.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(enforcer.deadLetterQueue), 'QueueName'] } },
      ],
      Threshold: 0,
    });
  });

  it.each([
    ['EnforceRole', () => enforcer.enforceRole],
    ['Sweep', () => enforcer.sweep],
    ['Restore', () => enforcer.restore],
  ])('alarms when a %s execution fails, times out or is aborted', (name, machine) => {
    const props = resources[logicalIdOf(enforcer.alarms.unsuccessfulExecutions[name]!)]!.Properties;
    expect(props.Threshold).toBe(1);
    const metrics = props.Metrics as {
      Id: string;
      Expression?: string;
      ReturnData?: boolean;
      MetricStat?: { Metric: { MetricName: string; Namespace: string; Dimensions: unknown[] }; Stat: string };
    }[];
    expect(metrics.find((metric) => metric.Expression !== undefined)?.Expression).toBe(
      'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
    );
    expect(
      metrics
        .filter((metric) => metric.MetricStat !== undefined)
        .map((metric) => [
          metric.Id,
          metric.MetricStat!.Metric.MetricName,
          metric.MetricStat!.Stat,
          metric.MetricStat!.Metric.Dimensions,
        ]),
    ).toEqual([
      ['failed', 'ExecutionsFailed', 'Sum', [{ Name: 'StateMachineArn', Value: { Ref: logicalIdOf(machine()) } }]],
      ['timedOut', 'ExecutionsTimedOut', 'Sum', [{ Name: 'StateMachineArn', Value: { Ref: logicalIdOf(machine()) } }]],
      ['aborted', 'ExecutionsAborted', 'Sum', [{ Name: 'StateMachineArn', Value: { Ref: logicalIdOf(machine()) } }]],
    ]);
  });

  it('warns, in a region other than us-east-1 without a forwarder, that IAM events only reach the sweep', () => {
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp('IAM CloudTrail events reach EventBridge only in us-east-1.*eu-west-1.*within 60 minutes'),
    );
  });
});

describe('MoratoriumEnforcer with IAM events forwarded', () => {
  it('does not warn about IAM events', () => {
    const forwarded = new GovernedRecognitionStack(testApp(), 'Forwarded', {
      config: exampleConfig(),
      env: { account: EXAMPLE_ACCOUNT, region: TEST_REGION },
      iamEventsForwarded: true,
    });
    Annotations.fromStack(forwarded).hasNoWarning('*', Match.stringLikeRegexp('IAM CloudTrail events'));
  });
});

describe('Intake bucket moratorium deny', () => {
  const foreign = 'arn:aws:iam::222222222222:role/foreign-police';
  const { stack: other, template: otherTemplate } = synthStack(
    configWith((json) => {
      json.organisations[2].roleArns.push(foreign);
    }),
  );
  const statements = otherTemplate.findResources('AWS::S3::BucketPolicy', {
    Properties: { Bucket: { Ref: logicalIdOf(other.pipeline.intakeBucket) } },
  });
  const document = Object.values(statements)[0]!.Properties.PolicyDocument.Statement as { Sid?: string }[];
  const window = {
    DateGreaterThanEquals: { 'aws:CurrentTime': '2027-06-10T00:00:00.000Z' },
    DateLessThan: { 'aws:CurrentTime': '2028-06-10T00:00:00.000Z' },
  };
  const objects = { 'Fn::Join': ['', [getAttArn(other.pipeline.intakeBucket), '/*']] };

  it("denies uploads by a restricted organisation's role in another account for the window only", () => {
    expect(document.find((s) => s.Sid === 'GovrecMoratoriumDenyMetroPolice')).toEqual({
      Sid: 'GovrecMoratoriumDenyMetroPolice',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: objects,
      Condition: { ArnEquals: { 'aws:PrincipalArn': [foreign] }, ...window },
    });
  });

  it('denies uploads by any principal tagged restricted, in any account, for the window only', () => {
    expect(document.find((s) => s.Sid === 'GovrecMoratoriumDenyRestrictedTag')).toEqual({
      Sid: 'GovrecMoratoriumDenyRestrictedTag',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: objects,
      Condition: { StringEquals: { 'aws:PrincipalTag/govrec:category': 'police' }, ...window },
    });
  });
});
