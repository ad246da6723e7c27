/**
 * Benchmark 4: enforcement latency, executing the synthesized definitions locally
 * (aws-local-stepfunctions, Lambda tasks served in-process, AWS calls by an in-memory double).
 * - EnforceRole: an offending CloudTrail event in, until the deny policy is put and until the
 *   execution ends (ledger written, notification sent).
 * - Sweep over 1,000 roles, then the EnforceRole executions it started: exactly the restricted
 *   roles (registered police roles and unregistered roles tagged police) must end up disabled.
 * Local figures exclude AWS latencies (IAM, DynamoDB, SNS, Step Functions transitions).
 */
import { DENY_POLICY_NAME, REVOKE_POLICY_NAME } from '../../lambda/enforcement/enforcer/documents';
import { parseGovernance } from '../../lambda/shared/settings';
import { type Json, runLocally } from '../../local/stepfunctions';
import { measuredMetric, nowMs } from '../lib/measure';
import { exampleGovernance } from '../lib/repo';
import { expectEqual, expectThat } from '../lib/sanity';
import type { Benchmark } from '../lib/types';
import { rekognitionCallBy, roleArnOf } from './events';
import { type EnforcementMachines, enforcementMachines, RESTRICTED_TAG } from './synth';
import { createWorld, type World } from './world';

const INSIDE = '2027-09-01T10:00:00.000Z';
const POLICE_ROLE = 'govrec-police-investigations';

const disabledInLedger = (world: World, roleName: string): boolean =>
  [...world.aws.tables.keys()].some((table) =>
    world.aws
      .items(table)
      .some(
        (item) =>
          item.pk?.S === roleArnOf(roleName) && (item.status?.S === 'DISABLED' || item.action?.S === 'DISABLED'),
      ),
  );

const enforceOnce = async (machines: EnforcementMachines, run: number): Promise<{ toDeny: number; total: number }> => {
  const { settings } = exampleGovernance();
  const world = createWorld(settings, INSIDE);
  for (const org of settings.organisations)
    for (const arn of org.roleArns) world.aws.iam.addRole(arn.slice(arn.lastIndexOf('/') + 1));
  const event = rekognitionCallBy(POLICE_ROLE, '2027-09-01T09:59:00Z', `evt-${run}`) as unknown as Json;
  const start = nowMs();
  const result = await runLocally(machines.enforceRole.definition, event, world.bindings, {
    stateMachineArn: machines.enforceRole.arn,
    executionName: `bench-${run}`,
  });
  const total = nowMs() - start;
  expectEqual(`EnforceRole run ${run}: status`, result.status, 'SUCCEEDED');
  expectEqual(
    `EnforceRole run ${run}: inline policies of the police role`,
    [...world.aws.iam.role(POLICE_ROLE).inlinePolicies.keys()].sort(),
    [DENY_POLICY_NAME, REVOKE_POLICY_NAME].sort(),
  );
  expectThat(`EnforceRole run ${run}: DISABLED recorded in the ledger`, disabledInLedger(world, POLICE_ROLE));
  const putAt = world.denyPutAt.get(POLICE_ROLE);
  expectThat(`EnforceRole run ${run}: deny policy put`, putAt !== undefined);
  return { toDeny: putAt! - start, total };
};

/** 1,000 roles: 100 registered police, 20 unregistered but tagged police, 100 registered NGO, 780 other. */
const sweepWorld = () => {
  const { settings: example } = exampleGovernance();
  const names = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
  const police = names('bench-police', 100);
  const tagged = names('bench-tagged', 20);
  const ngo = names('bench-ngo', 100);
  const other = names('bench-other', 780);
  const settings = parseGovernance({
    moratorium: example.moratorium,
    organisations: [
      {
        id: 'metro-police',
        displayName: 'Police',
        category: 'police',
        roleArns: police.map(roleArnOf),
        purposes: ['criminal-investigation'],
        operations: ['search', 'detect'],
        collectionId: 'police-mugshots',
      },
      {
        id: 'thorn-like',
        displayName: 'NGO',
        category: 'ngo',
        roleArns: ngo.map(roleArnOf),
        purposes: ['child-rescue'],
        operations: ['search', 'detect'],
        collectionId: 'child-rescue-faces',
      },
    ],
  });
  const world = createWorld(settings, INSIDE);
  for (const name of [...police, ...ngo, ...other]) world.aws.iam.addRole(name);
  for (const name of tagged) world.aws.iam.addRole(name, { [RESTRICTED_TAG.key]: RESTRICTED_TAG.value });
  return { world, restricted: [...police, ...tagged], all: [...police, ...tagged, ...ngo, ...other] };
};

const sweepOnce = async (machines: EnforcementMachines, run: number): Promise<{ sweep: number; total: number }> => {
  const { world, restricted, all } = sweepWorld();
  expectEqual('sweep world size', all.length, 1000);
  const start = nowMs();
  const sweep = await runLocally(machines.sweep.definition, { trigger: 'moratorium-start' }, world.bindings, {
    stateMachineArn: machines.sweep.arn,
    executionName: `sweep-${run}`,
  });
  const sweepMs = nowMs() - start;
  expectEqual(`Sweep run ${run}: status`, sweep.status, 'SUCCEEDED');
  const started = world.aws.startedExecutions.filter((e) => e.StateMachineArn === machines.enforceRole.arn);
  expectEqual(
    `Sweep run ${run}: EnforceRole started for exactly the restricted roles`,
    started.map((e) => (e.Input as { roleArn: string }).roleArn).sort(),
    restricted.map(roleArnOf).sort(),
  );
  for (const [i, execution] of started.entries()) {
    const result = await runLocally(machines.enforceRole.definition, execution.Input as Json, world.bindings, {
      stateMachineArn: machines.enforceRole.arn,
      executionName: `sweep-${run}-${i}`,
    });
    expectEqual(`Sweep run ${run}: EnforceRole ${i}`, result.status, 'SUCCEEDED');
  }
  const total = nowMs() - start;
  const disabled = all.filter((name) => world.aws.iam.role(name).inlinePolicies.has(DENY_POLICY_NAME));
  expectEqual(`Sweep run ${run}: roles with the deny policy`, disabled.sort(), [...restricted].sort());
  return { sweep: sweepMs, total };
};

export const enforcementLatency: Benchmark = {
  name: 'enforcement',
  title: 'Enforcement latency, synthesized workflows executed locally',
  async run({ quick }) {
    const machines = enforcementMachines();
    const runs = quick ? 5 : 30;
    for (let i = 0; i < 3; i += 1) await enforceOnce(machines, -1 - i);
    const enforce = [];
    for (let i = 0; i < runs; i += 1) enforce.push(await enforceOnce(machines, i));
    await sweepOnce(machines, -1);
    const sweeps = [];
    for (let i = 0; i < (quick ? 1 : 3); i += 1) sweeps.push(await sweepOnce(machines, i));
    const note = `definitions: ${machines.source}`;
    return [
      measuredMetric(
        'enforcement.event-to-deny-policy',
        'ms',
        enforce.map((r) => r.toDeny),
        note,
      ),
      measuredMetric(
        'enforcement.event-to-execution-end',
        'ms',
        enforce.map((r) => r.total),
        'deny + revoke policies, tags, ledger, notification',
      ),
      measuredMetric(
        'enforcement.sweep-1000-roles',
        'ms',
        sweeps.map((r) => r.sweep),
        'Sweep execution alone: list 1,000 roles (pages of 100) and start 120 EnforceRole',
      ),
      measuredMetric(
        'enforcement.sweep-1000-roles-and-enforcements',
        'ms',
        sweeps.map((r) => r.total),
        'Sweep, then its 120 EnforceRole executions one after another',
      ),
    ];
  },
};
