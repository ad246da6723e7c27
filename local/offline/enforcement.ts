/**
 * The enforcement workflows of the synthesized template, executed offline: EnforceRole, Sweep and
 * Restore as plain ASL run by aws-local-stepfunctions, their Lambda tasks served by the enforcer's
 * own functions in-process, IAM tasks by the local IAM registry, DynamoDB tasks by dynalite, and
 * SNS / CloudWatch / Scheduler / StartExecution by recorders. The effect of what they wrote is
 * then judged with the IAM policy simulator (`evaluateAccess`).
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { iamRoleReader } from '../../lambda/enforcement/roles/roles';
import { useRuntimeClock } from '../../lambda/shared/clock';
import type { GovernanceSettings } from '../../lambda/shared/settings';
import { type AccessResult, evaluateAccess } from '../iam/effect';
import type { LocalIamRegistry } from '../iam/registry';
import { type EnforcementEntry, enforcementEntriesOf, scanAll } from '../report';
import {
  dynamoDbService,
  enforcementBindings,
  extractStateMachines,
  FakeAws,
  type Json,
  type LocalRunResult,
  placeholderArn,
  runLocally,
  type TaskBindings,
} from '../stepfunctions';
import type { SimulatedClock } from './clock';
import { OfflineTemplateError } from './errors';
import { localIamService } from './iam-binding';
import type { StandIns } from './standins';
import type { SynthesizedApp } from './synth';

/** A one-time schedule of the template (`at(...)`) that starts a state machine. */
export interface OneTimeSchedule {
  readonly logicalId: string;
  /** ISO instant (the expression's time zone is UTC in this stack). */
  readonly at: string;
  readonly stateMachineLogicalId: string;
  readonly input: Json;
}

type Machine = { readonly logicalId: string; readonly arn: string; readonly definition: Record<string, unknown> };

/** Table names used by a definition (placeholders: logical ids). */
const tableNamesIn = (value: unknown, into = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) {
    for (const item of value) tableNamesIn(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'TableName' && typeof item === 'string') into.add(item);
      else tableNamesIn(item, into);
    }
  }
  return into;
};

/** One-time schedules of the template, in time order. */
export const oneTimeSchedules = (app: SynthesizedApp): OneTimeSchedule[] =>
  app.template
    .resourcesOfType('AWS::Scheduler::Schedule')
    .flatMap((schedule) => {
      const props = schedule.resource.Properties ?? {};
      const at = /^at\((.+)\)$/.exec(String(props.ScheduleExpression ?? ''))?.[1];
      const target = props.Target as { Arn?: { Ref?: string }; Input?: string } | undefined;
      const machine = target?.Arn?.Ref;
      if (at === undefined || machine === undefined) return [];
      return [
        {
          logicalId: schedule.logicalId,
          at: new Date(`${at}Z`).toISOString(),
          stateMachineLogicalId: machine,
          input: JSON.parse(target?.Input ?? '{}') as Json,
        },
      ];
    })
    .sort((a, b) => a.at.localeCompare(b.at));

/** The outcome of a sweep: its own execution and the EnforceRole executions it started. */
export interface SweepRun {
  readonly sweep: LocalRunResult;
  readonly enforcements: readonly LocalRunResult[];
}

/**
 * @example
 * const enforcement = OfflineEnforcement.fromTemplate(app, standIns, settings, clock);
 * await enforcement.sweep({ trigger: 'moratorium-start' });
 */
export class OfflineEnforcement {
  /** SNS, CloudWatch, Scheduler and StartExecution calls, recorded. */
  readonly recorders: FakeAws;
  private readonly bindings: TaskBindings;
  private readonly clock: SimulatedClock;
  private runs = 0;

  private constructor(
    readonly machines: { readonly enforceRole: Machine; readonly sweep: Machine; readonly restore: Machine },
    readonly ledgerTable: string,
    private readonly iam: LocalIamRegistry,
    private readonly standIns: StandIns,
    settings: GovernanceSettings,
    clock: SimulatedClock,
    app: SynthesizedApp,
    intakeBucket: string,
  ) {
    this.clock = clock;
    this.recorders = new FakeAws(app.accountId, app.region);
    const iamService = localIamService(iam);
    const recorded: TaskBindings['service'] = (service, action, parameters) =>
      service === 'iam' ? iamService(action, parameters) : this.recorders.service(service, action, parameters);
    const roleReader = iamRoleReader(
      new IAMClient({
        endpoint: standIns.iamEndpoint.endpoint,
        region: app.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    this.bindings = enforcementBindings({
      settings: () => settings,
      clock,
      accountId: app.accountId,
      restrictedTag: app.config.restrictedTag,
      intakeBucketArn: `arn:aws:s3:::${intakeBucket}`,
      roleReader,
      service: dynamoDbService(standIns.dynamodb.client, standIns.dynamodb.tables, recorded),
    });
  }

  /** The workflows of the template, or undefined when it has none (an intake-only stack). */
  static fromTemplate(
    app: SynthesizedApp,
    standIns: StandIns,
    clock: SimulatedClock,
    intakeBucket: string,
  ): OfflineEnforcement | undefined {
    const env = { account: app.accountId, region: app.region, partition: 'aws' };
    const all = Object.entries(extractStateMachines(app.template.template as never, env));
    if (all.length === 0) return undefined;
    const find = (part: string): Machine => {
      const found = all.filter(([logicalId]) => logicalId.includes(part));
      if (found.length !== 1)
        throw new OfflineTemplateError(
          `Expected one state machine whose logical id contains "${part}", found ${found.length}`,
        );
      const [logicalId, definition] = found[0]!;
      return { logicalId, definition, arn: placeholderArn(logicalId, 'AWS::StepFunctions::StateMachine', env) };
    };
    const machines = { enforceRole: find('EnforceRole'), sweep: find('Sweep'), restore: find('Restore') };
    const tables = [...tableNamesIn(machines.enforceRole.definition)];
    if (tables.length !== 1)
      throw new OfflineTemplateError(`EnforceRole should write one ledger table, found ${tables.join(', ') || 'none'}`);
    return new OfflineEnforcement(
      machines,
      standIns.dynamodb.tables[tables[0]!] ?? tables[0]!,
      standIns.iam,
      standIns,
      app.config.governance,
      clock,
      app,
      intakeBucket,
    );
  }

  private run(machine: Machine, input: Json): Promise<LocalRunResult> {
    this.runs += 1;
    // The tasks get the clock through their bindings; anything that reads runtimeClock reads it too.
    useRuntimeClock(this.clock);
    return runLocally(machine.definition, input, this.bindings, {
      stateMachineArn: machine.arn,
      executionName: `offline-${this.runs}`,
    });
  }

  /** EnforceRole on one event (what EventBridge would deliver). */
  enforce(event: Json): Promise<LocalRunResult> {
    return this.run(this.machines.enforceRole, event);
  }

  /** Sweep, then the EnforceRole executions it started, as Step Functions would run them. */
  async sweep(input: Json): Promise<SweepRun> {
    const already = this.recorders.startedExecutions.length;
    const sweep = await this.run(this.machines.sweep, input);
    const started = this.recorders.startedExecutions
      .slice(already)
      .filter((execution) => execution.StateMachineArn === this.machines.enforceRole.arn);
    const enforcements: LocalRunResult[] = [];
    for (const execution of started) enforcements.push(await this.enforce(execution.Input as Json));
    return { sweep, enforcements };
  }

  restore(input: Json): Promise<LocalRunResult> {
    return this.run(this.machines.restore, input);
  }

  /** Run the state machine a schedule targets. */
  async runSchedule(schedule: OneTimeSchedule): Promise<{
    machine: 'sweep' | 'restore' | 'enforceRole';
    result: LocalRunResult;
    enforcements: readonly LocalRunResult[];
  }> {
    const entry = (Object.entries(this.machines) as [keyof typeof this.machines, Machine][]).find(
      ([, m]) => m.logicalId === schedule.stateMachineLogicalId,
    );
    if (entry === undefined)
      throw new OfflineTemplateError(
        `Schedule ${schedule.logicalId} targets ${schedule.stateMachineLogicalId}, which is not an enforcement workflow`,
      );
    if (entry[0] === 'sweep') {
      const { sweep, enforcements } = await this.sweep(schedule.input);
      return { machine: 'sweep', result: sweep, enforcements };
    }
    return { machine: entry[0], result: await this.run(entry[1], schedule.input), enforcements: [] };
  }

  /** The enforcement ledger as written (dynalite), as timeline entries. */
  async timeline(): Promise<EnforcementEntry[]> {
    return enforcementEntriesOf(await scanAll(this.standIns.dynamodb.client, this.ledgerTable));
  }

  /** What IAM would answer for a session of `roleArn` (issued at `tokenIssuedAt`, default `at`) calling `action` on `resource` at `at`. */
  access(roleArn: string, action: string, resource: string, at: Date, tokenIssuedAt?: Date): Promise<AccessResult> {
    return evaluateAccess(this.iam, {
      roleArn,
      action,
      resource,
      at,
      ...(tokenIssuedAt !== undefined ? { tokenIssuedAt } : {}),
    });
  }
}
