/**
 * `afterWindow: "deny"` (an indefinite moratorium) through the synthesized EnforceRole, Sweep and
 * Restore state machines, run locally: the deny has no expiry, the tags and window record say
 * `indefinite`, the restore keeps the roles and records it, and enforcement (tamper included)
 * goes on after the end.
 */
import { DENY_POLICY_NAME, REVOKE_POLICY_NAME } from '../../lambda/enforcement/enforcer/documents';
import { exampleSettings, synthEnforcement } from '../helpers/asl';
import { roleArn, roleSessionCall } from './events';
import { WorkflowHarness, withMoratorium } from './harness';

const synthesized = synthEnforcement();
const normal = exampleSettings();
const indefinite = withMoratorium(normal, { afterWindow: 'deny' });
const END = '2028-06-10T00:00:00.000Z';
const INSIDE = '2027-09-01T10:00:00.000Z';
const AFTER = '2028-07-01T00:00:00.000Z';
const POLICE = ['govrec-police-investigations', 'govrec-police-analysts'];
const DENY_FOREVER = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'GovrecMoratoriumDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
};
const INDEFINITE_TAGS = { 'govrec:moratorium-disabled-until': 'indefinite', 'govrec:moratorium-status': 'disabled' };

const harnessAt = (now: string, settings = indefinite) => {
  const harness = new WorkflowHarness(synthesized, settings, now);
  for (const name of [...POLICE, 'govrec-ngo-child-rescue-uploader']) harness.aws.iam.addRole(name);
  return harness;
};
const denyOf = (harness: WorkflowHarness, name: string): unknown =>
  JSON.parse(harness.aws.iam.role(name).inlinePolicies.get(DENY_POLICY_NAME) ?? 'null');
const tagsOf = (harness: WorkflowHarness, name: string) => Object.fromEntries(harness.aws.iam.role(name).tags);

describe('EnforceRole with afterWindow deny', () => {
  it('writes a deny without expiry, tags the role indefinite and keys the window record on it', async () => {
    const harness = harnessAt(INSIDE);

    const result = await harness.enforce(roleSessionCall(POLICE[0]!, { eventTime: INSIDE, eventId: 'evt-1' }));

    expect(result.status).toBe('SUCCEEDED');
    expect(denyOf(harness, POLICE[0]!)).toEqual(DENY_FOREVER);
    expect(tagsOf(harness, POLICE[0]!)).toEqual(INDEFINITE_TAGS);
    expect(harness.ledger()).toEqual([
      expect.objectContaining({
        pk: roleArn(POLICE[0]!),
        sk: 'WINDOW#indefinite',
        status: 'DISABLED',
        until: 'indefinite',
      }),
      expect.objectContaining({
        pk: roleArn(POLICE[0]!),
        sk: `EVENT#${INSIDE}#evt-1`,
        action: 'DISABLED',
        until: 'indefinite',
      }),
    ]);
    expect(harness.aws.published[0]!.Message).toContain('disabled indefinitely');
  });

  it('disables a police role first seen after the end', async () => {
    const harness = harnessAt(AFTER);

    await harness.enforce(roleSessionCall(POLICE[1]!, { eventTime: AFTER, eventId: 'late-1' }));

    expect(denyOf(harness, POLICE[1]!)).toEqual(DENY_FOREVER);
    expect(harness.ledger().at(-1)).toEqual(expect.objectContaining({ action: 'DISABLED', eventAt: AFTER }));
  });
});

describe('Restore with afterWindow deny', () => {
  it('keeps every role disabled with the same documents and tags, and records KEEP_DENIED', async () => {
    const harness = harnessAt(INSIDE);
    await harness.sweep();
    const before = POLICE.map((name) => [...harness.aws.iam.role(name).inlinePolicies]);
    const writesBefore = harness.aws.iam.writes().length;
    harness.aws.published.length = 0;
    harness.clock.set(END);

    const result = await harness.restore();

    expect(result.status).toBe('SUCCEEDED');
    expect(harness.aws.iam.writes()).toHaveLength(writesBefore);
    expect(POLICE.map((name) => [...harness.aws.iam.role(name).inlinePolicies])).toEqual(before);
    for (const name of POLICE) expect(tagsOf(harness, name)).toEqual(INDEFINITE_TAGS);
    const ledger = harness.ledger();
    expect(ledger.filter((item) => item.sk === 'WINDOW#indefinite').map((item) => [item.pk, item.status])).toEqual(
      POLICE.map((name) => [roleArn(name), 'DISABLED']),
    );
    expect(ledger.filter((item) => item.action === 'RESTORED')).toEqual([]);
    const summary = `Moratorium ended ${END}; afterWindow is deny, so 2 disabled role(s) stay tagged disabled: ${POLICE.map((name) => roleArn(name)).join(', ')}.`;
    expect(ledger.at(-1)).toEqual(
      expect.objectContaining({
        pk: 'MORATORIUM',
        sk: `RESTORE#${END}`,
        action: 'KEEP_DENIED',
        until: END,
        detail: summary,
      }),
    );
    expect(harness.aws.published).toEqual([
      expect.objectContaining({ Subject: 'Moratorium restore', Message: summary }),
    ]);
    expect(harness.aws.metrics.flatMap((put) => put.MetricData.map((datum) => datum.MetricName))).not.toContain(
      'RolesRestored',
    );
  });

  it('lifts an indefinite moratorium when started by hand after a redeploy with normal-rules', async () => {
    const harness = harnessAt(INSIDE);
    await harness.sweep();
    harness.clock.set(END);
    await harness.restore();
    harness.settings = normal;
    harness.clock.set(AFTER);

    const result = await harness.restore({ trigger: 'moratorium-end' });

    expect(result.status).toBe('SUCCEEDED');
    for (const name of POLICE) {
      expect([...harness.aws.iam.role(name).inlinePolicies.keys()]).toEqual([]);
      expect(tagsOf(harness, name)).toEqual({
        'govrec:moratorium-disabled-until': 'indefinite',
        'govrec:moratorium-status': 'restored',
      });
    }
    const ledger = harness.ledger();
    expect(ledger.filter((item) => item.sk === 'WINDOW#indefinite#CLOSED').map((item) => item.status)).toEqual([
      'RESTORED',
      'RESTORED',
    ]);
    expect(ledger.at(-1)).toEqual(
      expect.objectContaining({ pk: 'MORATORIUM', sk: `RESTORE#${AFTER}`, action: 'RESTORE' }),
    );
  });
});

describe('Sweep with afterWindow deny', () => {
  it('re-applies a deny deleted after the end as tamper', async () => {
    const harness = harnessAt(INSIDE);
    await harness.sweep();
    harness.clock.set(AFTER);
    harness.aws.iam.role(POLICE[0]!).inlinePolicies.delete(DENY_POLICY_NAME);

    const { sweep, enforcements } = await harness.sweep();

    expect(sweep.status).toBe('SUCCEEDED');
    expect(enforcements.map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(denyOf(harness, POLICE[0]!)).toEqual(DENY_FOREVER);
    expect(
      harness
        .ledger()
        .filter((item) => item.eventAt === AFTER)
        .map((item) => [item.pk, item.action, item.detail, item.until]),
    ).toEqual([
      [roleArn(POLICE[0]!), 'REAPPLIED', 'deny policy missing', 'indefinite'],
      [roleArn(POLICE[1]!), 'NOOP', 'already disabled with the expected documents and tags', 'indefinite'],
    ]);
  });

  it('rewrites, as a new disable and not as tamper, the lapsing denies of a window switched to deny', async () => {
    const harness = harnessAt(INSIDE, normal);
    await harness.sweep();
    harness.settings = indefinite;
    harness.clock.set('2027-09-01T11:00:00.000Z');

    const { enforcements } = await harness.sweep();

    expect(enforcements).toHaveLength(2);
    for (const name of POLICE) {
      expect(denyOf(harness, name)).toEqual(DENY_FOREVER);
      expect(tagsOf(harness, name)).toEqual(INDEFINITE_TAGS);
      expect([...harness.aws.iam.role(name).inlinePolicies.keys()].sort()).toEqual([
        DENY_POLICY_NAME,
        REVOKE_POLICY_NAME,
      ]);
    }
    const actions = harness
      .ledger()
      .filter((item) => item.sk.startsWith('EVENT#'))
      .map((item) => item.action);
    expect(actions).toEqual(['DISABLED', 'DISABLED', 'DISABLED', 'DISABLED']);
    expect(harness.aws.metrics.flatMap((put) => put.MetricData.map((datum) => datum.MetricName))).not.toContain(
      'EnforcementTamper',
    );
  });
});
