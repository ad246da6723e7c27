/**
 * The moratorium enforcement workflows (design flows 4 and 5): EnforceRole disables a restricted
 * role for the window, Sweep finds restricted roles that never produced an event, Restore lifts
 * the deny at the configured end (or reschedules itself after an extension). The triggers
 * (CloudTrail, EventBridge rules, Scheduler schedules) live in `enforcement-triggers.ts` and take
 * the state machines and `schedulerRole` from here.
 */
import { Aws, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { accountOfArn } from '../../../lambda/shared/arn';
import { ENV } from '../../../lambda/shared/contracts';
import type { GovernanceSettings } from '../../../lambda/shared/settings';
import { HouseFunction } from '../shared/house-function';
import { EnforceRoleDefinition } from './enforce-role-definition';
import { acknowledgeEnforcementFindings } from './enforcement-acknowledgements';
import {
  denyOwnRolesStatement,
  listRolesStatements,
  listRoleTagsStatement,
  putEnforcementMetricsStatement,
  type RestrictedRoleScope,
  restrictedRoleStatements,
} from './enforcement-iam';
import { EnforcementLedgerTable } from './enforcement-ledger-table';
import { ENFORCEMENT_NAMESPACE, enforcementMetric } from './enforcement-metrics';
import { RestoreDefinition, SweepDefinition } from './sweep-restore-definitions';

export interface EnforcementWorkflowsProps {
  /** Governance settings; compiled into the enforcer Lambdas (a redeploy changes the end they see). */
  readonly settings: GovernanceSettings;
  /** Tag that marks a role restricted although it is not registered, e.g. `govrec:category=police`. */
  readonly restrictedTag: { readonly key: string; readonly value: string };
  /** Topic for enforcement, tamper and failure notifications. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Removal policy of the logs, schedule group and state machines. The ledger is retained
   * whatever this says: like the audit ledger, it is the evidence of what enforcement did.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Intake bucket ARN, denied to restricted roles under `enforcementScope: recognition-and-intake`.
   * @default - every bucket (`arn:<partition>:s3:::*`)
   */
  readonly intakeBucketArn?: string;
}

/**
 * The three enforcement state machines, their ledger and their least-privilege roles.
 *
 * @example
 * const workflows = new EnforcementWorkflows(this, 'Enforcement', { settings, restrictedTag, alarmTopic });
 * new EnforcementTriggers(this, 'Triggers', { enforceRole: workflows.enforceRole, ... });
 */
export class EnforcementWorkflows extends Construct {
  /** Disables one role (input: a CloudTrail API-call event or `{ source: 'govrec.sweep', roleArn, at }`). */
  readonly enforceRole: sfn.StateMachine;
  /** Finds restricted roles not yet disabled and runs EnforceRole for each (input: `{ trigger }`). */
  readonly sweep: sfn.StateMachine;
  /** Lifts the deny at the configured end, or reschedules itself (input: `{ trigger }`). */
  readonly restore: sfn.StateMachine;
  /** Enforcement records: pk = role ARN, sk = `EVENT#<at>#<eventId>` or `WINDOW#<end>`; pk `MORATORIUM` for restore runs. */
  readonly ledger: dynamodb.Table;
  /** The ledger construct (append-only, customer-managed key, deletion protection). */
  readonly ledgerTable: EnforcementLedgerTable;
  /** Assumed by EventBridge Scheduler; may start Sweep and Restore. */
  readonly schedulerRole: iam.Role;
  /** Schedule group the restore reschedules into (the triggers use it too). Its name is generated at deploy. */
  readonly scheduleGroup: scheduler.IScheduleGroup;
  /** Name of `scheduleGroup` (a `Ref` token: passing it creates the dependency on the group). */
  readonly scheduleGroupName: string;
  /** Every IAM role this construct creates (state machines, functions, scheduler). */
  readonly enforcerRoles: iam.IRole[];
  /** The execution roles of EnforceRole, Sweep and Restore (in that order). */
  readonly machineRoles: iam.IRole[];
  /** One data point per tampered role re-applied; alarm on Sum >= 1. */
  readonly tamperMetric: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: EnforcementWorkflowsProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);
    const accountRolesArn = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/*`;

    this.ledgerTable = new EnforcementLedgerTable(this, 'Ledger');
    this.ledger = this.ledgerTable.table;

    const env = {
      [ENV.restrictedTagKey]: props.restrictedTag.key,
      [ENV.restrictedTagValue]: props.restrictedTag.value,
    };
    const enforcer = new HouseFunction(this, 'EnforcerFunction', {
      handlerDir: 'enforcement/enforcer',
      serviceName: 'enforcer',
      settings: props.settings,
      timeout: Duration.seconds(10),
      environment: {
        ...env,
        [ENV.accountId]: stack.account,
        [ENV.intakeBucketArn]: props.intakeBucketArn ?? `arn:${Aws.PARTITION}:s3:::*`,
      },
    });
    const roles = new HouseFunction(this, 'RolesFunction', {
      handlerDir: 'enforcement/roles',
      serviceName: 'enforcer-roles',
      settings: props.settings,
      timeout: Duration.minutes(5),
      environment: env,
    });
    for (const statement of listRolesStatements(accountRolesArn)) roles.addToRolePolicy(statement);

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'EventBridge Scheduler: starts the moratorium sweep and restore workflows',
    });
    // No Name: CloudFormation generates one, and every user refers to it by Ref. A name fixed at
    // synth (what ScheduleGroup does) left the schedules without a dependency on the group, and a
    // retained group blocked the next deploy after a teardown ("already exists").
    const group = new scheduler.CfnScheduleGroup(this, 'Schedules', {});
    group.applyRemovalPolicy(removalPolicy);
    this.scheduleGroupName = group.ref;
    this.scheduleGroup = scheduler.ScheduleGroup.fromScheduleGroupName(this, 'ScheduleGroup', group.ref);

    // Confused-deputy guard: only state machines of this account may assume these roles. The
    // machines' own ARNs would make a cycle (machine -> role -> machine), hence the account-wide pattern.
    const statesPrincipal = new iam.ServicePrincipal('states.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:*` },
      },
    });
    const machineRole = (name: string, description: string) =>
      new iam.Role(this, `${name}Role`, { assumedBy: statesPrincipal, description });
    const enforceRoleRole = machineRole('EnforceRoleWorkflow', 'EnforceRole workflow: disables restricted roles only');
    const sweepRole = machineRole('SweepWorkflow', 'Sweep workflow: lists restricted roles, starts EnforceRole');
    const restoreRole = machineRole(
      'RestoreWorkflow',
      'Restore workflow: lifts the moratorium deny from restricted roles',
    );

    const machine = (name: string, chain: sfn.IChainable, role: iam.IRole, comment: string) =>
      new sfn.StateMachine(this, name, {
        definitionBody: sfn.DefinitionBody.fromChainable(chain),
        stateMachineType: sfn.StateMachineType.STANDARD,
        role,
        comment,
        tracingEnabled: true,
        // Execution data is logged: it is role ARNs, policy documents and event ids (no secrets,
        // no images), and it is what a reviewer needs to see why a role was or was not disabled.
        logs: {
          destination: new logs.LogGroup(this, `${name}Logs`, {
            retention: logs.RetentionDays.ONE_YEAR,
            removalPolicy,
          }),
          level: sfn.LogLevel.ALL,
          includeExecutionData: true,
        },
        removalPolicy,
      });

    this.enforceRole = machine(
      'EnforceRole',
      new EnforceRoleDefinition(this, 'EnforceRoleStates', { enforcer, ledger: this.ledger, topic: props.alarmTopic })
        .chain,
      enforceRoleRole,
      'Disable a restricted role for the moratorium window (deny + revoke sessions + tags), idempotent, tamper-aware',
    );
    this.sweep = machine(
      'Sweep',
      new SweepDefinition(this, 'SweepStates', { roles, enforceRole: this.enforceRole, topic: props.alarmTopic }).chain,
      sweepRole,
      'Find restricted roles not yet disabled and run EnforceRole for each',
    );
    this.restore = machine(
      'Restore',
      new RestoreDefinition(this, 'RestoreStates', {
        roles,
        ledger: this.ledger,
        topic: props.alarmTopic,
        schedulerRole: this.schedulerRole,
        scheduleGroupName: this.scheduleGroupName,
      }).chain,
      restoreRole,
      'At the configured end: reschedule if extended, else lift the moratorium deny',
    );
    this.sweep.grantStartExecution(this.schedulerRole);
    this.restore.grantStartExecution(this.schedulerRole);

    const accountId = stack.account;
    const registeredArns = props.settings.organisations
      .filter((org) => props.settings.moratorium.restrictedCategories.includes(org.category))
      .flatMap((org) => org.roleArns)
      // Roles of another account cannot be changed from here (the intake bucket policy denies them).
      .filter((arn) => Token.isUnresolved(accountId) || accountOfArn(arn) === accountId);
    const restricted: RestrictedRoleScope = { registeredArns, accountRolesArn, restrictedTag: props.restrictedTag };

    this.enforcerRoles = [enforceRoleRole, sweepRole, restoreRole, enforcer.role, roles.role, this.schedulerRole];
    // Every role of the stack, resolved at synth so roles created after this construct (the
    // pipeline's functions, CDK's own handlers) are covered too: tagged restricted or not, the
    // enforcer never writes to a role of the app.
    const appRoleArns = Lazy.list({
      produce: () =>
        stack.node
          .findAll()
          .filter((construct): construct is iam.Role => construct instanceof iam.Role)
          .map((role) => role.roleArn),
    });
    const denyOwn = denyOwnRolesStatement(appRoleArns);
    const enforcePermissions = new iam.Policy(this, 'EnforceRolePermissions', {
      roles: [enforceRoleRole],
      statements: [
        ...restrictedRoleStatements(['iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:TagRole'], restricted),
        listRoleTagsStatement(accountRolesArn),
        // Read-only: an IAM event names the role without its path, GetRole gives the real ARN.
        new iam.PolicyStatement({ sid: 'ReadRoleArn', actions: ['iam:GetRole'], resources: [accountRolesArn] }),
        putEnforcementMetricsStatement(ENFORCEMENT_NAMESPACE),
        denyOwn,
      ],
    });
    const restorePermissions = new iam.Policy(this, 'RestorePermissions', {
      roles: [restoreRole],
      statements: [
        ...restrictedRoleStatements(['iam:DeleteRolePolicy', 'iam:TagRole'], restricted),
        new iam.PolicyStatement({
          sid: 'RescheduleRestore',
          actions: ['scheduler:CreateSchedule'],
          resources: [
            `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${this.scheduleGroupName}/govrec-restore-*`,
          ],
        }),
        putEnforcementMetricsStatement(ENFORCEMENT_NAMESPACE),
        new iam.PolicyStatement({
          sid: 'PassSchedulerRole',
          actions: ['iam:PassRole'],
          resources: [this.schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
        denyOwn,
      ],
    });
    for (const role of [sweepRole, roles.role]) role.addToPrincipalPolicy(denyOwn);
    this.machineRoles = [enforceRoleRole, sweepRole, restoreRole];
    // The Step Functions DynamoDB tasks grant the table actions, not the key's.
    for (const role of [enforceRoleRole, restoreRole]) this.ledgerTable.grantKey(role);
    // Every machine publishes to the topic; an encrypted topic also needs its key, and without it
    // SNS refuses the publish (KMS.AccessDenied) and the notification of a disable is lost.
    for (const role of this.machineRoles) props.alarmTopic.masterKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    acknowledgeEnforcementFindings({
      enforcer,
      roles,
      enforceRoleRole,
      sweepRole,
      restoreRole,
      enforcePermissions,
      restorePermissions,
      scheduleGroupLogicalId: stack.getLogicalId(group),
    });

    this.tamperMetric = enforcementMetric('tamper');
  }
}
