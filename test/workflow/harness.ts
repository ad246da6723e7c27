/**
 * Runs the synthesized enforcement state machines locally: Lambda tasks bound to the enforcer's
 * pure functions (with a test clock and settings), every other task bound to one `FakeAws`.
 */
import type { Clock } from '../../lambda/shared/moratorium';
import { type GovernanceSettings, parseGovernance } from '../../lambda/shared/settings';
import { enforcementBindings } from '../../local/stepfunctions/enforcement-bindings';
import { FakeAws } from '../../local/stepfunctions/fake-aws';
import { type Json, type LocalRunResult, runLocally, type TaskBindings } from '../../local/stepfunctions/runner';
import { type EnforcementStack, RESTRICTED_TAG } from '../helpers/asl';
import { ACCOUNT } from './events';

export const INTAKE_BUCKET_ARN = 'arn:aws:s3:::govrec-intake';

/** A clock tests move by hand. */
export interface SettableClock extends Clock {
  set(at: string): void;
}

export const settableClock = (at: string): SettableClock => {
  let current = new Date(at);
  return {
    now: () => new Date(current.getTime()),
    set: (next) => {
      current = new Date(next);
    },
  };
};

/** Settings derived from `base` with a changed moratorium (as a redeploy would compile them in). */
export const withMoratorium = (
  base: GovernanceSettings,
  change: Partial<GovernanceSettings['moratorium']>,
): GovernanceSettings =>
  parseGovernance({ moratorium: { ...base.moratorium, ...change }, organisations: base.organisations });

/** A test run environment around one synthesized stack. */
export class WorkflowHarness {
  readonly aws = new FakeAws(ACCOUNT);
  readonly clock: SettableClock;
  /** The settings the Lambdas see; replace to simulate a redeploy. */
  settings: GovernanceSettings;
  /** Lambda tasks served in-process, every other task by `aws`. */
  readonly bindings: TaskBindings;
  private runs = 0;

  constructor(
    readonly synthesized: EnforcementStack,
    settings: GovernanceSettings,
    now: string,
  ) {
    this.settings = settings;
    this.clock = settableClock(now);
    this.bindings = enforcementBindings({
      settings: () => this.settings,
      clock: this.clock,
      accountId: ACCOUNT,
      restrictedTag: RESTRICTED_TAG,
      intakeBucketArn: INTAKE_BUCKET_ARN,
      roleReader: this.aws.iam.reader(),
      service: (service, action, parameters) =>
        service === 'iam' && action === 'getRole'
          ? this.getRole(parameters as Record<string, unknown>)
          : this.aws.service(service, action, parameters),
    });
  }

  /** Add a role under an IAM path (e.g. `/teams/`), which FakeIam's `addRole` cannot. */
  addRoleWithPath(name: string, path: string, tags: Record<string, string> = {}): void {
    const role = this.aws.iam.addRole(name, tags);
    this.aws.iam.roles.set(name, { ...role, arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}` });
  }

  /** IAM GetRole as Step Functions returns it (FakeIam does not serve it); recorded like its other calls. */
  private getRole(parameters: Record<string, unknown>): Json {
    const name = String(parameters.RoleName);
    this.aws.iam.calls.push({ action: 'getRole', roleName: name, parameters });
    const role = this.aws.iam.role(name);
    return {
      Role: {
        RoleName: role.name,
        Arn: role.arn,
        Path: role.arn.slice(role.arn.indexOf(':role/') + 5, -role.name.length),
      },
    };
  }

  get ledgerTable(): string {
    return this.synthesized.stack.getLogicalId(this.synthesized.workflows.ledger.node.defaultChild as never);
  }

  /** All ledger items as plain string maps. */
  ledger(): Record<string, string>[] {
    return this.aws
      .items(this.ledgerTable)
      .map((item) =>
        Object.fromEntries(Object.entries(item).map(([key, value]) => [key, value.S ?? value.N ?? String(value.BOOL)])),
      );
  }

  private run(machine: keyof EnforcementStack['machines'], input: Json): Promise<LocalRunResult> {
    const { definition, arn } = this.synthesized.machines[machine];
    this.runs += 1;
    return runLocally(definition, input, this.bindings, { stateMachineArn: arn, executionName: `run-${this.runs}` });
  }

  enforce(input: unknown): Promise<LocalRunResult> {
    return this.run('enforceRole', input as Json);
  }

  /** Run the sweep, then the EnforceRole executions it started (as Step Functions would). */
  async sweep(
    input: unknown = { trigger: 'periodic' },
  ): Promise<{ sweep: LocalRunResult; enforcements: LocalRunResult[] }> {
    const already = this.aws.startedExecutions.length;
    const sweep = await this.run('sweep', input as Json);
    const started = this.aws.startedExecutions
      .slice(already)
      .filter((execution) => execution.StateMachineArn === this.synthesized.machines.enforceRole.arn);
    const enforcements: LocalRunResult[] = [];
    for (const execution of started) enforcements.push(await this.enforce(execution.Input));
    return { sweep, enforcements };
  }

  restore(input: unknown = { trigger: 'moratorium-end' }): Promise<LocalRunResult> {
    return this.run('restore', input as Json);
  }
}
