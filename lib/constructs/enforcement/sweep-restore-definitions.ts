/**
 * The Sweep and Restore workflow definitions. The sweep runs EnforceRole for every restricted role
 * that is not yet disabled; the restore fires at the configured end (a Scheduler one-time
 * schedule, never a year-long Wait), re-reads the end and reschedules, keeps, or restores.
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DENY_POLICY_NAME, REVOKE_POLICY_NAME, STATUS_TAG } from '../../../lambda/shared/contracts';
import { countDatum, ENFORCEMENT_METRIC_NAMES, ENFORCEMENT_NAMESPACE } from './enforcement-metrics';
import { catchAllTo, sdkTask } from './enforcement-sdk-task';

const str = (path: string) => tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt(path));

/** Inputs of the sweep definition. */
export interface SweepDefinitionProps {
  readonly roles: lambda.IFunction;
  readonly enforceRole: sfn.IStateMachine;
  readonly topic: sns.ITopic;
}

/** Sweep: list restricted roles not yet disabled and start EnforceRole for each. */
export class SweepDefinition extends Construct {
  readonly chain: sfn.IChainable;

  constructor(scope: Construct, id: string, props: SweepDefinitionProps) {
    super(scope, id);
    const find = new tasks.LambdaInvoke(this, 'Find restricted roles not yet disabled', {
      lambdaFunction: props.roles,
      payload: sfn.TaskInput.fromObject({ action: 'sweep', trigger: sfn.JsonPath.entirePayload }),
      payloadResponseOnly: true,
      resultPath: '$.plan',
    });
    const start = new tasks.StepFunctionsStartExecution(this, 'Start EnforceRole', {
      stateMachine: props.enforceRole,
      associateWithParent: true,
      input: sfn.TaskInput.fromObject({
        source: 'govrec.sweep',
        roleArn: sfn.JsonPath.stringAt('$.roleArn'),
        at: sfn.JsonPath.stringAt('$.at'),
      }),
      resultSelector: { 'executionArn.$': '$.ExecutionArn' },
    });
    const each = new sfn.Map(this, 'Enforce each role', {
      itemsPath: '$.plan.enforcements',
      maxConcurrency: 5,
      resultPath: '$.started',
    });
    each.itemProcessor(start);
    const failed = new sfn.Fail(this, 'Sweep failed', {
      error: 'SweepFailed',
      cause: 'See the Report sweep failure state',
    });
    const report = new tasks.SnsPublish(this, 'Report sweep failure', {
      topic: props.topic,
      subject: 'Moratorium sweep FAILED',
      message: sfn.TaskInput.fromJsonPathAt('States.JsonToString($)'),
      resultPath: sfn.JsonPath.DISCARD,
    }).next(failed);
    catchAllTo(report, [find, each]);
    this.chain = find.next(each);
  }
}

/** Inputs of the restore definition. */
export interface RestoreDefinitionProps {
  readonly roles: lambda.IFunction;
  readonly ledger: dynamodb.ITable;
  readonly topic: sns.ITopic;
  readonly schedulerRole: iam.IRole;
  readonly scheduleGroupName: string;
}

/** Restore: reschedule on an extension, keep when `afterWindow` is deny, else lift the deny. */
export class RestoreDefinition extends Construct {
  readonly chain: sfn.IChainable;

  constructor(scope: Construct, id: string, props: RestoreDefinitionProps) {
    super(scope, id);
    const { ledger, topic } = props;
    const plan = new tasks.LambdaInvoke(this, 'Re-read configured end', {
      lambdaFunction: props.roles,
      payload: sfn.TaskInput.fromObject({ action: 'restore', trigger: sfn.JsonPath.entirePayload }),
      payloadResponseOnly: true,
      resultPath: '$.plan',
    });
    const recordRun = new tasks.DynamoPutItem(this, 'Record restore run', {
      table: ledger,
      item: {
        pk: tasks.DynamoAttributeValue.fromString('MORATORIUM'),
        sk: tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format('RESTORE#{}', sfn.JsonPath.stringAt('$.plan.at')),
        ),
        action: str('$.plan.operation'),
        until: str('$.plan.end'),
        recordedAt: str('$.plan.at'),
        detail: str('$.plan.summary'),
        execution: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    const notify = new tasks.SnsPublish(this, 'Notify restore outcome', {
      topic,
      subject: 'Moratorium restore',
      message: sfn.TaskInput.fromJsonPathAt('$.plan.summary'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    recordRun.next(notify);

    const reschedule = sdkTask(this, 'Reschedule restore at new end', {
      service: 'scheduler',
      action: 'createSchedule',
      comment: 'The moratorium was extended: fire this workflow again at the new end',
      parameters: {
        'Name.$': '$.plan.scheduleName',
        GroupName: props.scheduleGroupName,
        'ScheduleExpression.$': '$.plan.scheduleExpression',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          // The state machine's own ARN comes from the context object: naming it here would be a cycle.
          'Arn.$': '$$.StateMachine.Id',
          RoleArn: props.schedulerRole.roleArn,
          Input: JSON.stringify({ trigger: 'moratorium-end', rescheduled: true }),
        },
      },
    });
    // A schedule of that name exists already: the extension was scheduled by an earlier run.
    reschedule.addCatch(recordRun, { errors: ['Scheduler.ConflictException'], resultPath: '$.alreadyScheduled' });

    const deleteDeny = sdkTask(this, 'Delete deny policy', {
      service: 'iam',
      action: 'deleteRolePolicy',
      parameters: { 'RoleName.$': '$.role.roleName', PolicyName: DENY_POLICY_NAME },
    });
    const deleteRevoke = sdkTask(this, 'Delete revoke policy', {
      service: 'iam',
      action: 'deleteRolePolicy',
      parameters: { 'RoleName.$': '$.role.roleName', PolicyName: REVOKE_POLICY_NAME },
    });
    const tagRestored = sdkTask(this, 'Tag role restored', {
      service: 'iam',
      action: 'tagRole',
      parameters: { 'RoleName.$': '$.role.roleName', Tags: [{ Key: STATUS_TAG, Value: 'restored' }] },
    });
    // Already gone is the goal state, not an error.
    deleteDeny.addCatch(deleteRevoke, { errors: ['Iam.NoSuchEntityException'], resultPath: '$.denyAbsent' });
    deleteRevoke.addCatch(tagRestored, { errors: ['Iam.NoSuchEntityException'], resultPath: '$.revokeAbsent' });
    const recordRole = new tasks.DynamoPutItem(this, 'Record role restored', {
      table: ledger,
      item: {
        pk: str('$.role.roleArn'),
        sk: str('$.role.sk'),
        roleArn: str('$.role.roleArn'),
        category: str('$.role.category'),
        action: tasks.DynamoAttributeValue.fromString('RESTORED'),
        until: str('$.end'),
        recordedAt: str('$.role.restoredAt'),
        execution: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
      },
      // The ledger is append-only: a re-run finds the record and moves on.
      conditionExpression: 'attribute_not_exists(sk)',
      resultPath: sfn.JsonPath.DISCARD,
    });
    // The window record (`WINDOW#<until>`, status DISABLED) is never overwritten: its closing is a
    // record of its own beside it.
    const closeWindow = new tasks.DynamoPutItem(this, 'Close window record', {
      table: ledger,
      item: {
        pk: str('$.role.roleArn'),
        sk: tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format('{}#CLOSED', sfn.JsonPath.stringAt('$.role.windowSk')),
        ),
        status: tasks.DynamoAttributeValue.fromString('RESTORED'),
        category: str('$.role.category'),
        until: str('$.end'),
        restoredAt: str('$.role.restoredAt'),
        execution: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
      },
      conditionExpression: 'attribute_not_exists(sk)',
      resultPath: sfn.JsonPath.DISCARD,
    });
    // A re-run of the restore (a redelivered schedule) finds both records: already restored and counted.
    const alreadyClosed = new sfn.Pass(this, 'Window already closed');
    recordRole.addCatch(closeWindow, {
      errors: ['DynamoDB.ConditionalCheckFailedException'],
      resultPath: '$.duplicate',
    });
    closeWindow.addCatch(alreadyClosed, {
      errors: ['DynamoDB.ConditionalCheckFailedException'],
      resultPath: '$.duplicate',
    });
    const countRestored = sdkTask(this, 'Count role restored', {
      service: 'cloudwatch',
      action: 'putMetricData',
      parameters: {
        Namespace: ENFORCEMENT_NAMESPACE,
        MetricData: [countDatum(ENFORCEMENT_METRIC_NAMES.rolesRestored, '$.role.category')],
      },
    });
    // The role is restored and recorded: a lost data point must not fail the whole restore.
    countRestored.addCatch(new sfn.Pass(this, 'Restored count not published'), {
      errors: [sfn.Errors.ALL],
      resultPath: '$.metricError',
    });
    const each = new sfn.Map(this, 'Restore each role', {
      itemsPath: '$.plan.roles',
      maxConcurrency: 5,
      resultPath: sfn.JsonPath.DISCARD,
      itemSelector: { 'role.$': '$$.Map.Item.Value', 'end.$': '$.plan.end' },
    });
    each.itemProcessor(
      deleteDeny.next(deleteRevoke).next(tagRestored).next(recordRole).next(closeWindow).next(countRestored),
    );

    const failed = new sfn.Fail(this, 'Restore failed', {
      error: 'RestoreFailed',
      cause: 'See the Report restore failure state',
    });
    const report = new tasks.SnsPublish(this, 'Report restore failure', {
      topic,
      subject: 'Moratorium restore FAILED',
      message: sfn.TaskInput.fromJsonPathAt('States.JsonToString($)'),
      resultPath: sfn.JsonPath.DISCARD,
    }).next(failed);
    catchAllTo(report, [plan, reschedule, each, recordRun, notify]);

    const decide = new sfn.Choice(this, 'Extended, kept denied or restore?')
      .when(sfn.Condition.stringEquals('$.plan.operation', 'RESCHEDULE'), reschedule.next(recordRun))
      .when(sfn.Condition.stringEquals('$.plan.operation', 'RESTORE'), each.next(recordRun))
      .otherwise(recordRun);
    this.chain = plan.next(decide);
  }
}
