import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import governance from '../../config/governance.json';
import { parseGovernance } from '../../lambda/shared/settings';
import { ReviewConsole } from '../../lib/constructs/review/review-console';
import { REVIEW_QUERY_NAMES } from '../../lib/constructs/review/review-queries';
import { logicalIdOf, synthStack } from '../helpers/cdk-app';

const settings = parseGovernance(governance);
const app = new App();
const stack = new Stack(app, 'ReviewTest', { env: { account: '111111111111', region: 'eu-west-1' } });
const auditTable = new dynamodb.Table(stack, 'Audit', {
  partitionKey: { name: 'decisionId', type: dynamodb.AttributeType.STRING },
});
const ledger = new dynamodb.Table(stack, 'Ledger', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
});
const machine = (id: string) =>
  new sfn.StateMachine(stack, id, {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)),
  });
const enforceRole = machine('EnforceRole');
const restore = machine('Restore');
const intakeDlq = new sqs.Queue(stack, 'IntakeDlq');
const extraDlq = new sqs.Queue(stack, 'ExtraDlq');
const policyLogs = new logs.LogGroup(stack, 'PolicyLogs');
const enforcerLogs = new logs.LogGroup(stack, 'EnforcerLogs');
const machineLogs = new logs.LogGroup(stack, 'MachineLogs');
const intakeBucket = new s3.Bucket(stack, 'Intake');
const topic = new sns.Topic(stack, 'Topic');
const review = new ReviewConsole(stack, 'Review', {
  settings,
  auditTable,
  enforcementLedger: ledger,
  policyLogGroup: policyLogs,
  deadLetterQueues: { Intake: { queue: intakeDlq }, Extra: { queue: extraDlq, alarm: true } },
  stateMachines: { EnforceRole: enforceRole, Restore: restore },
  enforcementLogGroups: [enforcerLogs, machineLogs],
  buckets: { Intake: intakeBucket },
  alarmTopic: topic,
});
const template = Template.fromStack(stack);
const json = template.toJSON() as {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Outputs: Record<string, unknown>;
};
const id = (construct: unknown) =>
  stack.getLogicalId((construct as { node: { defaultChild: never } }).node.defaultChild ?? (construct as never));
const topicRef = { Ref: id(topic) };

/** The dashboard body as JSON, with `{Ref: X}` written `<X>` and `{Fn::GetAtt: [X, Y]}` written `<X.Y>`. */
const dashboard = (() => {
  const body = json.Resources[id(review.dashboard)]!.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      return token.Ref !== undefined ? `<${token.Ref}>` : `<${token['Fn::GetAtt']!.join('.')}>`;
    })
    .join('');
  return JSON.parse(text) as { widgets: { type: string; width: number; properties: Record<string, any> }[] };
})();
const widget = (title: string) => {
  const found = dashboard.widgets.find((w) => w.properties.title === title);
  if (found === undefined) throw new Error(`no widget titled ${title}`);
  return found;
};

describe('ReviewConsole dashboard', () => {
  it('opens with the moratorium window in UTC and the restricted categories', () => {
    const text = dashboard.widgets[0]!;
    expect(text.type).toBe('text');
    expect(text.properties.markdown).toContain(
      '**Window (UTC):** from **2027-06-10T00:00:00.000Z** until **2028-06-10T00:00:00.000Z**',
    );
    expect(text.properties.markdown).toContain('**Restricted categories:** police.');
  });

  it('shows restricted allows in the window as one big number over the whole time range', () => {
    const single = widget('Restricted requests ALLOWED inside the window (must be 0)');
    expect(single.properties).toMatchObject({
      view: 'singleValue',
      setPeriodToTimeRange: true,
      region: '<AWS::Region>',
    });
    expect(single.properties.metrics).toEqual([
      [
        'GovernedRecognition',
        'RestrictedAllowedInWindow',
        'service',
        'policy',
        { label: 'Restricted requests allowed in the window', period: 60, stat: 'Sum' },
      ],
    ]);
  });

  it('shows restricted calls that succeeded outside the pipeline as a second big number beside the first', () => {
    const single = widget('Restricted calls SUCCEEDED outside the pipeline, inside the window (must be 0)');
    expect(single.properties).toMatchObject({
      view: 'singleValue',
      setPeriodToTimeRange: true,
      region: '<AWS::Region>',
    });
    expect(single.properties.metrics).toEqual([
      [
        'GovernedRecognition',
        'RestrictedCallSucceeded',
        'Category',
        'police',
        { label: 'RestrictedCallSucceeded (police)', stat: 'Sum' },
      ],
    ]);
    expect(dashboard.widgets.slice(0, 4).map((w) => w.width)).toEqual([10, 5, 5, 4]);
  });

  it('shows the state of its own alarms next to the number', () => {
    expect(widget('Alarms').properties.alarms).toEqual([
      `<${id(review.alarms.restrictedAllowed)}.Arn>`,
      `<${id(review.alarms.restrictedCallSucceeded)}.Arn>`,
      `<${id(review.alarms.policySetUnavailable)}.Arn>`,
      `<${id(review.alarms.throttling)}.Arn>`,
      `<${id(review.alarms.deadLetters.Extra)}.Arn>`,
    ]);
  });

  it('charts restricted denials by reason with a search over the Decisions dimensions of both services', () => {
    expect(widget('Restricted requests denied, by reason').properties.metrics).toEqual([
      [
        {
          expression: `SEARCH('{GovernedRecognition,service,Effect,Reason,Category} MetricName="Decisions" (service="policy" OR service="recognition") Effect="DENY" (Category="police")', 'Sum', 300)`,
        },
      ],
    ]);
  });

  it('charts decisions by effect as the sum of the policy and recognition services (a missing series counts 0)', () => {
    const term = (effect: string, service: string, i: number) => [
      'GovernedRecognition',
      'Decisions',
      'Effect',
      effect,
      'service',
      service,
      { id: `${effect.toLowerCase()}${i}`, label: `Decisions ${effect} (${service})`, stat: 'Sum', visible: false },
    ];
    expect(widget('All decisions by effect').properties.metrics).toEqual(
      ['ALLOW', 'DENY'].flatMap((effect) => {
        const lower = effect.toLowerCase();
        return [
          [{ expression: `FILL(${lower}0, 0) + FILL(${lower}1, 0)`, label: `Decisions ${effect}` }],
          term(effect, 'policy', 0),
          term(effect, 'recognition', 1),
        ];
      }),
    );
  });

  it.each<[string, unknown[]]>([
    [
      'Roles disabled, restored, re-applied after tamper',
      [
        [
          'GovernedRecognition',
          'RolesDisabled',
          'Category',
          'police',
          { label: 'RolesDisabled (police)', stat: 'Sum' },
        ],
        [
          'GovernedRecognition',
          'RolesRestored',
          'Category',
          'police',
          { label: 'RolesRestored (police)', stat: 'Sum' },
        ],
        [
          'GovernedRecognition',
          'EnforcementReapplied',
          'Category',
          'police',
          { label: 'EnforcementReapplied (police)', stat: 'Sum' },
        ],
      ],
    ],
    [
      'Uploads by outcome, quarantined objects',
      [
        ...['RECOGNIZED', 'QUARANTINED', 'REJECTED', 'GONE', 'UNAVAILABLE', 'DUPLICATE'].map((o) => [
          'GovernedRecognition',
          'Uploads',
          'Outcome',
          o,
          'service',
          'recognition',
          { label: o, stat: 'Sum' },
        ]),
        ['GovernedRecognition', 'Quarantined', 'service', 'recognition', { label: 'Quarantined', stat: 'Sum' }],
      ],
    ],
    [
      'Dead letters (messages visible)',
      [
        [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          'QueueName',
          `<${id(intakeDlq)}.QueueName>`,
          { label: 'Intake', stat: 'Maximum' },
        ],
        [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          'QueueName',
          `<${id(extraDlq)}.QueueName>`,
          { label: 'Extra', stat: 'Maximum' },
        ],
      ],
    ],
    [
      'Workflow executions failed, timed out, aborted',
      [enforceRole, restore].flatMap((m, i) => {
        const label = ['EnforceRole', 'Restore'][i];
        return ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'].map((name, j) => [
          'AWS/States',
          name,
          'StateMachineArn',
          `<${id(m)}>`,
          { label: `${label} ${['failed', 'timed out', 'aborted'][j]}`, stat: 'Sum' },
        ]);
      }),
    ],
    [
      'Policy decision latency (ms)',
      [
        ['GovernedRecognition', 'DecisionLatency', 'service', 'policy', { label: 'Decision latency p50', stat: 'p50' }],
        ['GovernedRecognition', 'DecisionLatency', 'service', 'policy', { label: 'Decision latency p99', stat: 'p99' }],
      ],
    ],
    [
      'End-to-end time, upload to outcome (ms)',
      [
        ['GovernedRecognition', 'EndToEndLatency', 'service', 'recognition', { label: 'End-to-end p50', stat: 'p50' }],
        ['GovernedRecognition', 'EndToEndLatency', 'service', 'recognition', { label: 'End-to-end p99', stat: 'p99' }],
      ],
    ],
    ...(['Calls', 'Errors', 'Throttles'] as const).map((kind): [string, unknown[]] => [
      `Rekognition ${kind.toLowerCase()} by operation`,
      ['SearchFacesByImage', 'DetectFaces', 'IndexFaces'].map((op) => [
        'GovernedRecognition',
        `Rekognition${kind}`,
        'Operation',
        op,
        'service',
        'recognition',
        { label: `${op} Rekognition${kind}`, stat: 'Sum' },
      ]),
    ]),
  ])('charts "%s" from exactly these metrics', (title, metrics) => {
    expect(widget(title).properties.metrics).toEqual(metrics);
  });

  it('lists the latest enforcement step per role from the enforcement log groups', () => {
    const table = dashboard.widgets.find((w) => w.type === 'log')!;
    expect(table.properties.query).toBe(
      `SOURCE '<${id(enforcerLogs)}>' | SOURCE '<${id(machineLogs)}>' | filter message = "enforcer step"\n| stats latest(recordAction) as lastAction, max(@timestamp) as lastSeen by roleArn\n| sort lastSeen desc`,
    );
  });

  it('has no widget beyond those asserted above', () => {
    expect(dashboard.widgets.map((w) => w.properties.title)).toEqual([
      undefined,
      'Restricted requests ALLOWED inside the window (must be 0)',
      'Restricted calls SUCCEEDED outside the pipeline, inside the window (must be 0)',
      'Alarms',
      'Restricted requests denied, by reason',
      'All decisions by effect',
      'Roles disabled, restored, re-applied after tamper',
      'Uploads by outcome, quarantined objects',
      'Dead letters (messages visible)',
      'Workflow executions failed, timed out, aborted',
      'Policy decision latency (ms)',
      'End-to-end time, upload to outcome (ms)',
      'Rekognition calls by operation',
      'Rekognition errors by operation',
      'Rekognition throttles by operation',
      'Latest enforcement step per role (enforcer log; the ledger table is the record)',
    ]);
  });
});

describe('ReviewConsole alarms', () => {
  it('has exactly five alarms: restricted allow, restricted call succeeded, policy set unavailable, throttling, and the one queue that asked for it', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
  });

  it('raises the critical alarm on any restricted call that succeeded in the window, all categories summed, missing data not breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        {
          Id: 'expr_1',
          Expression: 'FILL(c0, 0)',
          Label: 'Restricted calls succeeded in the window',
          ReturnData: true,
        },
        {
          Id: 'c0',
          MetricStat: {
            Metric: {
              Namespace: 'GovernedRecognition',
              MetricName: 'RestrictedCallSucceeded',
              Dimensions: [{ Name: 'Category', Value: 'police' }],
            },
            Period: 60,
            Stat: 'Sum',
          },
          ReturnData: false,
        },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      AlarmDescription: Match.stringLikeRegexp('^CRITICAL: CloudTrail shows a restricted'),
    });
  });

  it('raises the critical alarm on any restricted allow in the window, missing data not breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        {
          Id: 'm1',
          Label: 'Restricted requests allowed in the window',
          MetricStat: {
            Metric: {
              Namespace: 'GovernedRecognition',
              MetricName: 'RestrictedAllowedInWindow',
              Dimensions: [{ Name: 'service', Value: 'policy' }],
            },
            Period: 60,
            Stat: 'Sum',
          },
          ReturnData: true,
        },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      AlarmDescription: Match.stringLikeRegexp('^CRITICAL'),
    });
  });

  it('raises the throttling alarm on 5 throttles a minute, all operations summed, in 3 of 5 minutes', () => {
    const stat = (op: string) => ({
      Metric: {
        Namespace: 'GovernedRecognition',
        MetricName: 'RekognitionThrottles',
        Dimensions: [
          { Name: 'Operation', Value: op },
          { Name: 'service', Value: 'recognition' },
        ],
      },
      Period: 60,
      Stat: 'Sum',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        {
          Id: 'expr_1',
          Expression: 'FILL(t0, 0) + FILL(t1, 0) + FILL(t2, 0)',
          Label: 'Rekognition throttles (all operations)',
          ReturnData: true,
        },
        { Id: 't0', MetricStat: stat('SearchFacesByImage'), ReturnData: false, Label: Match.anyValue() },
        { Id: 't1', MetricStat: stat('DetectFaces'), ReturnData: false, Label: Match.anyValue() },
        { Id: 't2', MetricStat: stat('IndexFaces'), ReturnData: false, Label: Match.anyValue() },
      ],
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
    });
  });

  it('alarms on the first message in a dead-letter queue that asked for it, not on the others', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(extraDlq), 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
    });
    expect(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(intakeDlq), 'QueueName'] } }] },
      }),
    ).toEqual({});
  });
});

describe('ReviewConsole saved queries', () => {
  const FIELDS =
    'fields @timestamp, decisionId, effect, reason, policyIds.0, caller.orgId, caller.category, caller.roleArn, caller.principalId';
  const policy = [{ Ref: id(policyLogs) }];
  it.each<[keyof typeof REVIEW_QUERY_NAMES, string, unknown[]]>([
    [
      'decisionsOfOrganisation',
      `${FIELDS}\n| filter message = "Decision"\n| filter caller.orgId = "ORG_ID"\n| sort @timestamp asc\n| limit 10000`,
      policy,
    ],
    [
      'decisionsOfPrincipal',
      `${FIELDS}\n| filter message = "Decision"\n| filter caller.roleArn = "PRINCIPAL" or caller.principalId like "PRINCIPAL"\n| sort @timestamp asc\n| limit 10000`,
      policy,
    ],
    [
      'restrictedDenials',
      `${FIELDS}\n| filter message = "Decision"\n| filter effect = "DENY"\n| filter (caller.restricted = 1 or caller.category in ["police"])\n| sort @timestamp asc\n| limit 10000`,
      policy,
    ],
    [
      'restrictedAllows',
      `${FIELDS}\n| filter message = "Decision"\n| filter effect = "ALLOW"\n| filter (caller.restricted = 1 or caller.category in ["police"])\n| sort @timestamp asc\n| limit 10000`,
      policy,
    ],
    [
      'restrictedAllowedInWindow',
      'fields @timestamp, decisionId, RestrictedAllowedInWindow\n| filter RestrictedAllowedInWindow > 0\n| sort @timestamp asc',
      policy,
    ],
    [
      'enforcementTimelineOfRole',
      'fields @timestamp, @log, type, execution_arn, action, recordAction, next, roleArn\n| filter @message like "ROLE_NAME"\n| sort @timestamp asc\n| limit 10000',
      [{ Ref: id(enforcerLogs) }, { Ref: id(machineLogs) }],
    ],
  ])('saves "%s" with its exact text on its log groups', (key, queryString, logGroupNames) => {
    template.hasResourceProperties('AWS::Logs::QueryDefinition', {
      Name: `ReviewTest/${REVIEW_QUERY_NAMES[key]}`,
      QueryString: queryString,
      LogGroupNames: logGroupNames,
    });
  });

  it('saves exactly those six', () => {
    template.resourceCountIs('AWS::Logs::QueryDefinition', 6);
  });
});

describe('ReviewConsole outputs', () => {
  const region = { Ref: 'AWS::Region' };
  const regional = (service: string, fragment: string, tail: unknown[]) => ({
    'Fn::Join': [
      '',
      ['https://', region, `.console.aws.amazon.com/${service}/home?region=`, region, fragment, ...tail],
    ],
  });
  it.each<[string, unknown]>([
    ['ReviewDashboardUrl', regional('cloudwatch', '#dashboards/dashboard/', [{ Ref: id(review.dashboard) }])],
    ['ReviewAlarmsUrl', regional('cloudwatch', '#alarmsV2:', [])],
    ['ReviewLogsInsightsUrl', regional('cloudwatch', '#logsV2:logs-insights', [])],
    ['ReviewAuditTableUrl', regional('dynamodbv2', '#item-explorer?table=', [{ Ref: id(auditTable) }])],
    ['ReviewEnforcementLedgerUrl', regional('dynamodbv2', '#item-explorer?table=', [{ Ref: id(ledger) }])],
    ['ReviewAlarmTopicUrl', regional('sns/v3', '#/topic/', [topicRef])],
    ['ReviewEnforceRoleStateMachineUrl', regional('states', '#/statemachines/view/', [{ Ref: id(enforceRole) }])],
    ['ReviewRestoreStateMachineUrl', regional('states', '#/statemachines/view/', [{ Ref: id(restore) }])],
    [
      'ReviewIntakeBucketUrl',
      {
        'Fn::Join': [
          '',
          ['https://s3.console.aws.amazon.com/s3/buckets/', { Ref: id(intakeBucket) }, '?region=', region],
        ],
      },
    ],
    [
      'ReviewIntakeDeadLetterQueueUrl',
      regional('sqs/v3', '#/queues/', [
        {
          'Fn::Join': [
            '%3A',
            { 'Fn::Split': [':', { 'Fn::Join': ['%2F', { 'Fn::Split': ['/', { Ref: id(intakeDlq) }] }] }] },
          ],
        },
      ]),
    ],
  ])('outputs %s built from the region and the resource', (name, value) => {
    template.hasOutput(name, { Value: value });
  });

  it('outputs nothing else', () => {
    expect(Object.keys(json.Outputs).sort()).toEqual([
      'ReviewAlarmTopicUrl',
      'ReviewAlarmsUrl',
      'ReviewAuditTableUrl',
      'ReviewDashboardUrl',
      'ReviewEnforceRoleStateMachineUrl',
      'ReviewEnforcementLedgerUrl',
      'ReviewExtraDeadLetterQueueUrl',
      'ReviewIntakeBucketUrl',
      'ReviewIntakeDeadLetterQueueUrl',
      'ReviewLogsInsightsUrl',
      'ReviewRestoreStateMachineUrl',
    ]);
  });
});

describe('ReviewConsole misuse', () => {
  it('fails at synth on a label that cannot be an id, saying how to fix it', () => {
    const other = new Stack(new App(), 'Other');
    expect(
      () =>
        new ReviewConsole(other, 'Review', {
          settings,
          auditTable: new dynamodb.Table(other, 'T', {
            partitionKey: { name: 'k', type: dynamodb.AttributeType.STRING },
          }),
          policyLogGroup: new logs.LogGroup(other, 'L'),
          deadLetterQueues: { 'intake dlq': { queue: new sqs.Queue(other, 'Q') } },
          alarmTopic: new sns.Topic(other, 'Topic'),
        }),
    ).toThrow(/PascalCase.*"intake dlq"/);
  });

  it('omits the timeline query and the enforcement table without enforcement log groups', () => {
    const other = new Stack(new App(), 'Minimal');
    new ReviewConsole(other, 'Review', {
      settings,
      auditTable: new dynamodb.Table(other, 'T', { partitionKey: { name: 'k', type: dynamodb.AttributeType.STRING } }),
      policyLogGroup: new logs.LogGroup(other, 'L'),
      deadLetterQueues: {},
      alarmTopic: new sns.Topic(other, 'Topic'),
      outputs: false,
    });
    const minimal = Template.fromStack(other);
    minimal.resourceCountIs('AWS::Logs::QueryDefinition', 5);
    // Restricted allow, restricted call succeeded (its metric simply stays empty without enforcement),
    // policy set unavailable, throttling.
    minimal.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    expect(minimal.toJSON().Outputs).toBeUndefined();
  });
});

describe('ReviewConsole in GovernedRecognitionStack', () => {
  const { app: stackApp, stack: appStack, template: appTemplate } = synthStack();
  const consoleOf = appStack.node.findAll().find((c): c is ReviewConsole => c instanceof ReviewConsole);
  const enforcer = appStack.pipeline.enforcer;

  it('is part of the app stack', () => {
    expect(consoleOf).toBeDefined();
  });

  it('runs the timeline query on the enforcer functions and the three state machines', () => {
    const groups = enforcer.workflows.node.findAll().filter((c): c is logs.LogGroup => c instanceof logs.LogGroup);
    expect(groups.map((g) => g.node.id).sort()).toEqual([
      'EnforceRoleLogs',
      'EnforcerFunctionLogs',
      'RestoreLogs',
      'RolesFunctionLogs',
      'SweepLogs',
    ]);
    appTemplate.hasResourceProperties('AWS::Logs::QueryDefinition', {
      Name: `GovernedRecognition/${REVIEW_QUERY_NAMES.enforcementTimelineOfRole}`,
      LogGroupNames: groups.map((g) => ({ Ref: logicalIdOf(g) })),
    });
  });

  it('charts both dead-letter queues without alarming them a second time', () => {
    for (const queue of [appStack.pipeline.deadLetterQueue, enforcer.deadLetterQueue]) {
      const alarms = appTemplate.findResources('AWS::CloudWatch::Alarm', {
        Properties: { Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(queue), 'QueueName'] } }] },
      });
      expect(Object.keys(alarms)).toHaveLength(1);
    }
    expect(Object.keys(consoleOf!.alarms.deadLetters)).toEqual([]);
  });

  it('shows every alarm of the stack in the alarm widget', () => {
    const arns = Object.keys(appTemplate.findResources('AWS::CloudWatch::Alarm')).map((logicalId) => ({
      'Fn::GetAtt': [logicalId, 'Arn'],
    }));
    const body = JSON.stringify(appTemplate.findResources('AWS::CloudWatch::Dashboard'));
    for (const arn of arns) expect(body).toContain(JSON.stringify(arn));
    expect(arns.length).toBeGreaterThanOrEqual(9);
  });

  it.each([
    'ReviewDashboardUrl',
    'ReviewEnforcementLedgerUrl',
    'ReviewEnforceRoleStateMachineUrl',
    'ReviewSweepStateMachineUrl',
    'ReviewRestoreStateMachineUrl',
    'ReviewIntakeBucketUrl',
    'ReviewQuarantineBucketUrl',
    'ReviewResultsBucketUrl',
    'ReviewEnforcementTrailBucketUrl',
    'ReviewAlarmTopicUrl',
    'ReviewIntakeDeadLetterQueueUrl',
    'ReviewEnforcementTriggersDeadLetterQueueUrl',
  ])('outputs %s', (name) => {
    expect(appTemplate.toJSON().Outputs[name]).toBeDefined();
  });

  it('queries an audit table with the four indexes the runbook uses, and an enforcement ledger keyed by role ARN and time', () => {
    const audit = appTemplate.toJSON().Resources[logicalIdOf(appStack.pipeline.auditTable)].Properties;
    expect(
      audit.GlobalSecondaryIndexes.map((i: { IndexName: string; KeySchema: unknown; Projection: unknown }) => [
        i.IndexName,
        i.KeySchema,
        i.Projection,
      ]),
    ).toEqual(
      [
        ['byOrganisation', 'orgId'],
        ['byRole', 'roleArn'],
        ['byPrincipal', 'principalId'],
        ['byEffectCategory', 'effectCategory'],
      ].map(([name, key]) => [
        name,
        [
          { AttributeName: key, KeyType: 'HASH' },
          { AttributeName: 'decidedAt', KeyType: 'RANGE' },
        ],
        { ProjectionType: 'ALL' },
      ]),
    );
    expect(appTemplate.toJSON().Resources[logicalIdOf(enforcer.ledger)].Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('adds no cdk-nag finding', () => {
    const report = new AwsSolutionsChecks(stackApp).validateScope(appStack);
    expect(report.violations).toEqual([]);
  });
});
