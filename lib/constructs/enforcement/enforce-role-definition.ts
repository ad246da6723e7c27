/**
 * The EnforceRole workflow definition: identify the role, read its state, compare with the
 * expected state, write what differs, record and notify. Decisions run in the enforcer Lambda;
 * every read and write of IAM, DynamoDB and SNS is its own SDK task so the console shows it.
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DENY_POLICY_NAME, REVOKE_POLICY_NAME } from '../../../lambda/shared/contracts';
import { countDatum, ENFORCEMENT_METRIC_NAMES, ENFORCEMENT_NAMESPACE } from './enforcement-metrics';
import { catchAllTo, sdkTask } from './enforcement-sdk-task';

/** CloudWatch metric the workflow emits once per tampered role (re-applied or not). */
export const TAMPER_METRIC = { namespace: ENFORCEMENT_NAMESPACE, metricName: ENFORCEMENT_METRIC_NAMES.tamper } as const;

/** What the definition needs from the surrounding construct. */
export interface EnforceRoleDefinitionProps {
  readonly enforcer: lambda.IFunction;
  readonly ledger: dynamodb.ITable;
  readonly topic: sns.ITopic;
}

const str = (path: string) => tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt(path));
const ROLE_NAME = { 'RoleName.$': '$.assessment.subject.roleName' };

/** Builds the EnforceRole chain inside its own construct scope (state names are the ids). */
export class EnforceRoleDefinition extends Construct {
  /** The start of the chain, for `DefinitionBody.fromChainable`. */
  readonly chain: sfn.IChainable;

  constructor(scope: Construct, id: string, props: EnforceRoleDefinitionProps) {
    super(scope, id);
    const { enforcer, ledger, topic } = props;
    const invoke = (name: string, payload: Record<string, unknown>) =>
      new tasks.LambdaInvoke(this, name, {
        lambdaFunction: enforcer,
        payload: sfn.TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        resultPath: '$.assessment',
      });

    const failed = new sfn.Fail(this, 'Enforcement failed', {
      error: 'EnforcementFailed',
      cause: 'See the Report enforcement failure state and the alarm topic',
    });
    const reportFailure = new tasks.SnsPublish(this, 'Report enforcement failure', {
      topic,
      subject: 'Moratorium enforcement FAILED',
      message: sfn.TaskInput.fromJsonPathAt('States.JsonToString($)'),
      resultPath: sfn.JsonPath.DISCARD,
    }).next(failed);

    const alreadyRecorded = new sfn.Succeed(this, 'Event already recorded');
    const record = new tasks.DynamoPutItem(this, 'Record enforcement', {
      table: ledger,
      item: {
        pk: str('$.assessment.record.pk'),
        sk: str('$.assessment.record.sk'),
        roleArn: str('$.assessment.record.roleArn'),
        category: str('$.assessment.record.category'),
        action: str('$.assessment.record.action'),
        triggerSource: str('$.assessment.record.triggerSource'),
        triggerEventName: str('$.assessment.record.triggerEventName'),
        triggerEventId: str('$.assessment.record.triggerEventId'),
        eventAt: str('$.assessment.record.eventAt'),
        start: str('$.assessment.record.start'),
        until: str('$.assessment.record.until'),
        recordedAt: str('$.assessment.record.recordedAt'),
        detail: str('$.assessment.record.detail'),
        execution: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
      },
      // A redelivered event maps to the same key: the first record stands.
      conditionExpression: 'attribute_not_exists(sk)',
      resultPath: sfn.JsonPath.DISCARD,
    });
    record.addCatch(alreadyRecorded, {
      errors: ['DynamoDB.ConditionalCheckFailedException'],
      resultPath: '$.duplicate',
    });

    const identify = invoke('Identify role', { action: 'identify', event: sfn.JsonPath.entirePayload });
    const readTags = sdkTask(this, 'Read role tags', {
      service: 'iam',
      action: 'listRoleTags',
      parameters: { ...ROLE_NAME, MaxItems: 100 },
      resultSelector: { 'list.$': '$.Tags' },
      resultPath: '$.current.tags',
    });
    // The role was deleted since the event: nothing to disable, but the event is still recorded.
    const roleGone = new sfn.Pass(this, 'Role no longer exists', {
      result: sfn.Result.fromString('ROLE_NOT_FOUND'),
      resultPath: '$.assessment.record.action',
    });
    readTags.addCatch(roleGone, { errors: ['Iam.NoSuchEntityException'], resultPath: '$.current.tagsError' });
    roleGone.next(record);
    const readWindow = new tasks.DynamoGetItem(this, 'Read window record', {
      table: ledger,
      key: {
        pk: str('$.assessment.subject.roleArn'),
        sk: tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format('WINDOW#{}', sfn.JsonPath.stringAt('$.assessment.record.until')),
        ),
      },
      consistentRead: true,
      resultPath: '$.current.windowRecord',
    });
    const classify = invoke('Check restriction', {
      action: 'classify',
      subject: sfn.JsonPath.objectAt('$.assessment.subject'),
      tags: sfn.JsonPath.listAt('$.current.tags.list'),
      windowRecord: sfn.JsonPath.objectAt('$.current.windowRecord'),
    });
    const readPolicy = (name: string, policyName: string, path: string) => {
      const read = sdkTask(this, name, {
        service: 'iam',
        action: 'getRolePolicy',
        parameters: { ...ROLE_NAME, PolicyName: policyName },
        resultSelector: { 'document.$': '$.PolicyDocument' },
        resultPath: path,
      });
      const absent = new sfn.Pass(
        this,
        `${name.replace('Read ', '')} absent`.replace(/^./, (c) => c.toUpperCase()),
        { result: sfn.Result.fromObject({ absent: true }), resultPath: path },
      );
      read.addCatch(absent, { errors: ['Iam.NoSuchEntityException'], resultPath: `${path}Error` });
      return { read, absent };
    };
    const deny = readPolicy('Read deny policy', DENY_POLICY_NAME, '$.current.deny');
    const revoke = readPolicy('Read revoke policy', REVOKE_POLICY_NAME, '$.current.revoke');
    const compare = invoke('Compare with expected state', {
      action: 'compare',
      subject: sfn.JsonPath.objectAt('$.assessment.subject'),
      tags: sfn.JsonPath.listAt('$.current.tags.list'),
      windowRecord: sfn.JsonPath.objectAt('$.current.windowRecord'),
      deny: sfn.JsonPath.objectAt('$.current.deny'),
      revoke: sfn.JsonPath.objectAt('$.current.revoke'),
    });

    const putDeny = sdkTask(this, 'Put deny policy', {
      service: 'iam',
      action: 'putRolePolicy',
      comment: 'Deny that lapses by itself at the moratorium end (aws:CurrentTime), or never under afterWindow "deny"',
      parameters: { ...ROLE_NAME, PolicyName: DENY_POLICY_NAME, 'PolicyDocument.$': '$.assessment.denyPolicyDocument' },
    });
    const putRevoke = sdkTask(this, 'Revoke older sessions', {
      service: 'iam',
      action: 'putRolePolicy',
      comment: 'AWSRevokeOlderSessions pattern: deny tokens issued before now',
      parameters: {
        ...ROLE_NAME,
        PolicyName: REVOKE_POLICY_NAME,
        'PolicyDocument.$': '$.assessment.revokePolicyDocument',
      },
    });
    const tagRole = sdkTask(this, 'Tag role with window', {
      service: 'iam',
      action: 'tagRole',
      parameters: { ...ROLE_NAME, 'Tags.$': '$.assessment.tags' },
    });
    for (const write of [putDeny, putRevoke, tagRole]) {
      write.addRetry({
        errors: ['Iam.ServiceFailureException', 'Iam.ConcurrentModificationException'],
        maxAttempts: 3,
      });
    }
    const countTamper = sdkTask(this, 'Count tamper', {
      service: 'cloudwatch',
      action: 'putMetricData',
      parameters: { Namespace: TAMPER_METRIC.namespace, MetricData: [countDatum(TAMPER_METRIC.metricName)] },
    });
    const countReapplied = sdkTask(this, 'Count tamper re-applied', {
      service: 'cloudwatch',
      action: 'putMetricData',
      parameters: {
        Namespace: ENFORCEMENT_NAMESPACE,
        MetricData: [
          countDatum(TAMPER_METRIC.metricName),
          countDatum(ENFORCEMENT_METRIC_NAMES.reapplied, '$.assessment.record.category'),
        ],
      },
    });
    const countDisabled = sdkTask(this, 'Count role disabled', {
      service: 'cloudwatch',
      action: 'putMetricData',
      parameters: {
        Namespace: ENFORCEMENT_NAMESPACE,
        MetricData: [countDatum(ENFORCEMENT_METRIC_NAMES.rolesDisabled, '$.assessment.record.category')],
      },
    });
    const notify = (name: string) =>
      new tasks.SnsPublish(this, name, {
        topic,
        subject: sfn.JsonPath.stringAt('$.assessment.notification.subject'),
        message: sfn.TaskInput.fromJsonPathAt('$.assessment.notification.message'),
        resultPath: sfn.JsonPath.DISCARD,
      });
    const notifyTamper = notify('Notify tamper');
    const notifyDisabled = notify('Notify role disabled');
    const markWindow = new tasks.DynamoPutItem(this, 'Mark window disabled', {
      table: ledger,
      item: {
        pk: str('$.assessment.record.pk'),
        sk: tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format('WINDOW#{}', sfn.JsonPath.stringAt('$.assessment.record.until')),
        ),
        status: tasks.DynamoAttributeValue.fromString('DISABLED'),
        category: str('$.assessment.record.category'),
        until: str('$.assessment.record.until'),
        disabledAt: str('$.assessment.record.recordedAt'),
        execution: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
      },
      // Two executions racing on the same role both disable it; the first window record stands.
      conditionExpression: 'attribute_not_exists(sk)',
      resultPath: sfn.JsonPath.DISCARD,
    });
    // Another execution won the race and counted the disable; this one only notifies.
    markWindow.addCatch(notifyDisabled, {
      errors: ['DynamoDB.ConditionalCheckFailedException'],
      resultPath: '$.duplicate',
    });
    // The role is disabled already: a lost data point must not cost the record and the notification.
    countDisabled.addCatch(notifyDisabled, { errors: [sfn.Errors.ALL], resultPath: '$.metricError' });

    const tampered = new sfn.Choice(this, 'Tampered?')
      .when(sfn.Condition.stringEquals('$.assessment.operation', 'REAPPLY'), countReapplied.next(notifyTamper))
      .otherwise(markWindow.next(countDisabled).next(notifyDisabled).next(record));
    countTamper.next(notifyTamper).next(record);
    const operation = new sfn.Choice(this, 'Already disabled as expected?')
      .when(sfn.Condition.stringEquals('$.assessment.operation', 'NOOP'), record)
      .otherwise(putDeny.next(putRevoke).next(tagRole).next(tampered));
    deny.absent.next(revoke.read);
    deny.read.next(revoke.read);
    revoke.absent.next(compare);
    revoke.read.next(compare);
    const restricted = new sfn.Choice(this, 'Restricted role?')
      .when(sfn.Condition.stringEquals('$.assessment.next', 'CHECK'), deny.read)
      .when(sfn.Condition.stringEquals('$.assessment.next', 'ALERT'), countTamper)
      .otherwise(record);
    // Most IAM events name the role without its path: read the real ARN before anything is keyed on it.
    const readRole = sdkTask(this, 'Read role ARN', {
      service: 'iam',
      action: 'getRole',
      parameters: ROLE_NAME,
      resultSelector: { 'arn.$': '$.Role.Arn' },
      resultPath: '$.current.role',
    });
    readRole.addCatch(roleGone, { errors: ['Iam.NoSuchEntityException'], resultPath: '$.current.roleError' });
    const useResolved = invoke('Use resolved role ARN', {
      action: 'resolve',
      subject: sfn.JsonPath.objectAt('$.assessment.subject'),
      role: sfn.JsonPath.objectAt('$.current.role'),
    });
    // A forbidden call that went through is reported whatever the enforcement does next.
    const countSucceeded = sdkTask(this, 'Count restricted call succeeded', {
      service: 'cloudwatch',
      action: 'putMetricData',
      parameters: {
        Namespace: ENFORCEMENT_NAMESPACE,
        MetricData: [countDatum(ENFORCEMENT_METRIC_NAMES.restrictedCallSucceeded, '$.assessment.record.category')],
      },
    });
    // A lost data point must not stop the disable.
    countSucceeded.addCatch(restricted, { errors: [sfn.Errors.ALL], resultPath: '$.metricError' });
    const callSucceeded = new sfn.Choice(this, 'Restricted call succeeded?')
      .when(
        sfn.Condition.and(
          sfn.Condition.not(sfn.Condition.stringEquals('$.assessment.next', 'RECORD')),
          sfn.Condition.booleanEquals('$.assessment.subject.trigger.callSucceeded', true),
        ),
        countSucceeded.next(restricted),
      )
      .otherwise(restricted);
    const checkState = readTags.next(readWindow).next(classify).next(callSucceeded);
    const resolvedInScope = new sfn.Choice(this, 'Resolved role in the window?')
      .when(sfn.Condition.stringEquals('$.assessment.next', 'CHECK'), checkState)
      .otherwise(record);
    readRole.next(useResolved).next(resolvedInScope);
    const inScope = new sfn.Choice(this, 'Role of this account in the window?')
      .when(sfn.Condition.stringEquals('$.assessment.next', 'CHECK'), readTags)
      .when(sfn.Condition.stringEquals('$.assessment.next', 'RESOLVE'), readRole)
      .otherwise(record);
    compare.next(operation);

    catchAllTo(reportFailure, [
      identify,
      readRole,
      useResolved,
      readTags,
      readWindow,
      classify,
      deny.read,
      revoke.read,
      compare,
      putDeny,
      putRevoke,
      tagRole,
      countTamper,
      countReapplied,
      notifyTamper,
      notifyDisabled,
      markWindow,
      record,
    ]);
    this.chain = identify.next(inScope);
  }
}
