/**
 * The Sweep and Restore state machines, executed locally from the synthesized template. The
 * sweep's StartExecution calls are recorded by the double and then run as EnforceRole executions.
 */
import { DENY_POLICY_NAME, REVOKE_POLICY_NAME } from '../../lambda/enforcement/enforcer/documents';
import { exampleSettings, synthEnforcement, validateAsl } from '../helpers/asl';
import { roleArn, roleSessionCall } from './events';
import { WorkflowHarness, withMoratorium } from './harness';

const synthesized = synthEnforcement();
const settings = exampleSettings();
const END = '2028-06-10T00:00:00.000Z';
const INSIDE = '2027-09-01T10:00:00.000Z';
const POLICE = ['govrec-police-investigations', 'govrec-police-analysts'];
const NGO = 'govrec-ngo-child-rescue-uploader';

const harnessWithRoles = (now: string) => {
  const harness = new WorkflowHarness(synthesized, settings, now);
  for (const name of [...POLICE, NGO, 'platform-deployer']) harness.aws.iam.addRole(name);
  return harness;
};
const inlinePolicyNames = (harness: WorkflowHarness, name: string) => [
  ...harness.aws.iam.role(name).inlinePolicies.keys(),
];

describe.each(['sweep', 'restore'] as const)('%s definition', (machine) => {
  it('passes asl-validator with path and ARN checks', () => {
    expect(validateAsl(synthesized.machines[machine].definition)).toEqual({ isValid: true, errors: '' });
  });
});

describe('Sweep workflow', () => {
  it('starts EnforceRole for the two undisabled police roles and not for the NGO role', async () => {
    const harness = harnessWithRoles(INSIDE);

    const { sweep, enforcements } = await harness.sweep({ trigger: 'moratorium-start', 'scheduler-extra': 'ignored' });

    expect(sweep.status).toBe('SUCCEEDED');
    expect(harness.aws.startedExecutions).toEqual(
      POLICE.map((name) => ({
        StateMachineArn: synthesized.machines.enforceRole.arn,
        Input: {
          source: 'govrec.sweep',
          roleArn: roleArn(name),
          at: INSIDE,
          AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: sweep.executionArn,
        },
      })),
    );
    expect(enforcements.map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    for (const name of POLICE) expect(inlinePolicyNames(harness, name)).toEqual([DENY_POLICY_NAME, REVOKE_POLICY_NAME]);
    expect(inlinePolicyNames(harness, NGO)).toEqual([]);
    expect(
      harness
        .ledger()
        .filter((item) => item.action === 'DISABLED')
        .map((item) => item.pk),
    ).toEqual(POLICE.map((name) => roleArn(name)));
  });

  it('verifies a police role already disabled for the current window: EnforceRole ends NOOP, with no IAM write and no notification', async () => {
    const harness = harnessWithRoles(INSIDE);
    await harness.enforce(roleSessionCall(POLICE[0]!, { eventTime: INSIDE }));
    const writes = harness.aws.iam.writes().length;
    const published = harness.aws.published.length;
    harness.clock.set('2027-09-01T11:00:00.000Z');

    const { enforcements } = await harness.sweep();

    expect(harness.aws.startedExecutions.map((execution) => (execution.Input as { roleArn: string }).roleArn)).toEqual(
      POLICE.map((name) => roleArn(name)),
    );
    expect(enforcements.map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(
      harness.aws.iam
        .writes()
        .slice(writes)
        .map((call) => call.roleName),
    ).toEqual([POLICE[1], POLICE[1], POLICE[1]]);
    expect(harness.aws.published.slice(published).map((message) => message.Subject)).toEqual([
      'Role disabled for the moratorium',
    ]);
    expect(
      harness.ledger().filter((item) => item.pk === roleArn(POLICE[0]!) && item.triggerEventName === 'Sweep'),
    ).toEqual([
      expect.objectContaining({ action: 'NOOP', detail: 'already disabled with the expected documents and tags' }),
    ]);
  });

  it.each([
    [
      'deleted',
      (text: string | undefined) => {
        void text;
        return undefined;
      },
      'deny policy missing',
    ],
    [
      'altered (a statement changed, tags and policy names intact)',
      (text: string | undefined) => (text ?? '').replace('"Action":"*"', '"Action":"s3:ListBucket"'),
      'deny policy altered',
    ],
  ])(
    'catches a deny policy %s on a role whose tags still say disabled, and re-applies it as tamper',
    async (_label, tamper, reason) => {
      const harness = harnessWithRoles(INSIDE);
      await harness.sweep();
      const policies = harness.aws.iam.role(POLICE[1]!).inlinePolicies;
      const changed = tamper(policies.get(DENY_POLICY_NAME));
      if (changed === undefined) policies.delete(DENY_POLICY_NAME);
      else policies.set(DENY_POLICY_NAME, changed);
      harness.clock.set('2027-09-01T11:00:00.000Z');

      const { enforcements } = await harness.sweep();

      expect(enforcements).toHaveLength(2);
      expect(inlinePolicyNames(harness, POLICE[1]!).sort()).toEqual([DENY_POLICY_NAME, REVOKE_POLICY_NAME]);
      expect(harness.aws.iam.role(POLICE[1]!).inlinePolicies.get(DENY_POLICY_NAME)).toContain('"Action":"*"');
      expect(harness.ledger().filter((item) => item.action === 'REAPPLIED')).toEqual([
        expect.objectContaining({
          pk: roleArn(POLICE[1]!),
          triggerEventName: 'Sweep',
          detail: expect.stringContaining(reason),
        }),
      ]);
      expect(harness.aws.metrics.map((put) => put.MetricData.map((datum) => datum.MetricName))).toEqual([
        ['RolesDisabled'],
        ['RolesDisabled'],
        ['EnforcementTamper', 'EnforcementReapplied'],
      ]);
    },
  );

  it('includes an unregistered role that carries the restricted tag', async () => {
    const harness = harnessWithRoles(INSIDE);
    harness.aws.iam.addRole('county-sheriff', { 'govrec:category': 'police' });

    const { enforcements } = await harness.sweep();

    expect(enforcements).toHaveLength(3);
    expect(inlinePolicyNames(harness, 'county-sheriff')).toEqual([DENY_POLICY_NAME, REVOKE_POLICY_NAME]);
  });

  it('starts nothing outside the window', async () => {
    const harness = harnessWithRoles('2028-07-01T00:00:00.000Z');

    const { sweep } = await harness.sweep();

    expect(sweep.status).toBe('SUCCEEDED');
    expect(harness.aws.startedExecutions).toEqual([]);
    expect(harness.aws.iam.calls).toEqual([]);
  });
});

describe('Restore workflow', () => {
  const disabledHarness = async () => {
    const harness = harnessWithRoles(INSIDE);
    await harness.sweep();
    harness.aws.published.length = 0;
    return harness;
  };

  it('restores every disabled police role at the end: policies deleted, tag restored, recorded, notified', async () => {
    const harness = await disabledHarness();
    harness.clock.set(END);

    const result = await harness.restore({ trigger: 'moratorium-end' });

    expect(result.status).toBe('SUCCEEDED');
    for (const name of POLICE) {
      expect(inlinePolicyNames(harness, name)).toEqual([]);
      expect(Object.fromEntries(harness.aws.iam.role(name).tags)).toEqual({
        'govrec:moratorium-disabled-until': END,
        'govrec:moratorium-status': 'restored',
      });
    }
    const ledger = harness.ledger();
    expect(ledger.filter((item) => item.action === 'RESTORED').map((item) => item.pk)).toEqual(
      POLICE.map((name) => roleArn(name)),
    );
    // The window record is never overwritten: the restore appends its closing beside it.
    expect(ledger.filter((item) => item.sk === `WINDOW#${END}`).map((item) => item.status)).toEqual([
      'DISABLED',
      'DISABLED',
    ]);
    expect(ledger.filter((item) => item.sk === `WINDOW#${END}#CLOSED`).map((item) => item.status)).toEqual([
      'RESTORED',
      'RESTORED',
    ]);
    expect(ledger.at(-1)).toEqual(
      expect.objectContaining({
        pk: 'MORATORIUM',
        sk: `RESTORE#${END}`,
        action: 'RESTORE',
        until: END,
        execution: result.executionArn,
      }),
    );
    expect(harness.aws.published).toEqual([
      expect.objectContaining({
        Subject: 'Moratorium restore',
        Message: expect.stringContaining('2 role(s) restored'),
      }),
    ]);
    expect(harness.aws.schedules.size).toBe(0);
    const restored = {
      Namespace: 'GovernedRecognition',
      MetricData: [
        { MetricName: 'RolesRestored', Value: 1, Unit: 'Count', Dimensions: [{ Name: 'Category', Value: 'police' }] },
      ],
    };
    expect(harness.aws.metrics.slice(-2)).toEqual([restored, restored]);
  });

  it('reschedules itself and restores nothing when a redeploy extended the end', async () => {
    const harness = await disabledHarness();
    harness.settings = withMoratorium(settings, { end: '2029-06-10T00:00:00Z' });
    harness.clock.set(END);
    const writesBefore = harness.aws.iam.writes().length;

    const result = await harness.restore({ trigger: 'moratorium-end' });

    expect(result.status).toBe('SUCCEEDED');
    expect(harness.aws.iam.writes()).toHaveLength(writesBefore);
    expect(harness.aws.metrics.flatMap((put) => put.MetricData.map((datum) => datum.MetricName))).not.toContain(
      'RolesRestored',
    );
    for (const name of POLICE) expect(inlinePolicyNames(harness, name)).toEqual([DENY_POLICY_NAME, REVOKE_POLICY_NAME]);
    // The group's Ref, as the local run resolves it (its logical id).
    const groupName = harness.synthesized.stack.getLogicalId(
      harness.synthesized.workflows.node.findChild('Schedules') as never,
    );
    expect([...harness.aws.schedules.values()]).toEqual([
      {
        Name: 'govrec-restore-20290610000000',
        GroupName: groupName,
        ScheduleExpression: 'at(2029-06-10T00:00:00)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: synthesized.machines.restore.arn,
          RoleArn: `arn:aws:iam::111111111111:role/${harness.synthesized.stack.getLogicalId(harness.synthesized.workflows.schedulerRole.node.defaultChild as never)}`,
          Input: JSON.stringify({ trigger: 'moratorium-end', rescheduled: true }),
        },
      },
    ]);
    expect(harness.ledger().at(-1)).toEqual(
      expect.objectContaining({ pk: 'MORATORIUM', action: 'RESCHEDULE', until: '2029-06-10T00:00:00.000Z' }),
    );
  });

  it('records and succeeds when the rescheduled restore already exists', async () => {
    const harness = await disabledHarness();
    harness.settings = withMoratorium(settings, { end: '2029-06-10T00:00:00Z' });
    harness.clock.set(END);
    await harness.restore();
    harness.clock.set('2028-06-10T00:05:00.000Z');

    const again = await harness.restore();

    expect(again.status).toBe('SUCCEEDED');
    expect(harness.aws.schedules.size).toBe(1);
    expect(harness.ledger().filter((item) => item.action === 'RESCHEDULE')).toHaveLength(2);
  });

  it('keeps roles disabled and records when afterWindow is deny', async () => {
    const harness = await disabledHarness();
    harness.settings = withMoratorium(settings, { afterWindow: 'deny' });
    harness.clock.set(END);
    const writesBefore = harness.aws.iam.writes().length;

    const result = await harness.restore();

    expect(result.status).toBe('SUCCEEDED');
    expect(harness.aws.iam.writes()).toHaveLength(writesBefore);
    expect(harness.ledger().at(-1)).toEqual(expect.objectContaining({ pk: 'MORATORIUM', action: 'KEEP_DENIED' }));
    expect(harness.aws.published[0]!.Message).toContain('2 disabled role(s) stay tagged disabled');
  });

  it('still restores and records every role when the metric cannot be published', async () => {
    const harness = await disabledHarness();
    const serve = harness.aws.service;
    harness.aws.service = (service, action, parameters) => {
      if (service === 'cloudwatch')
        throw Object.assign(new Error('Rate exceeded'), { name: 'CloudWatch.LimitExceededException' });
      return serve(service, action, parameters);
    };
    harness.clock.set(END);

    const result = await harness.restore();

    expect(result.status).toBe('SUCCEEDED');
    for (const name of POLICE) expect(inlinePolicyNames(harness, name)).toEqual([]);
    expect(harness.ledger().filter((item) => item.action === 'RESTORED')).toHaveLength(2);
  });

  it('treats an already deleted deny policy as restored', async () => {
    const harness = await disabledHarness();
    harness.aws.iam.role(POLICE[0]!).inlinePolicies.delete(DENY_POLICY_NAME);
    harness.clock.set(END);

    const result = await harness.restore();

    expect(result.status).toBe('SUCCEEDED');
    expect(inlinePolicyNames(harness, POLICE[0]!)).toEqual([]);
  });
});
