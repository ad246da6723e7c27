/**
 * `afterWindow: "deny"` (an indefinite moratorium) against `normal-rules`: the exact documents and
 * tags, the window arithmetic, and what identify / compare / the sweep and restore planners do
 * with them.
 */
import { type CompareInput, compare } from '../../../lambda/enforcement/enforcer/assess';
import {
  denyPolicyFor,
  disabledTags,
  ESCALATION_ACTIONS,
  revokePolicyFor,
} from '../../../lambda/enforcement/enforcer/documents';
import { identify } from '../../../lambda/enforcement/enforcer/identify';
import { disabledUntil, INDEFINITE, isEnforcedAt } from '../../../lambda/enforcement/enforcer/window';
import { planRestore, planSweep } from '../../../lambda/enforcement/roles/plan';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { type GovernanceSettings, parseGovernance } from '../../../lambda/shared/settings';
import { FakeIam } from '../../../local/stepfunctions/fake-iam';
import { roleSessionCall } from '../../workflow/events';
import { ACCOUNT, deps, END, INSIDE, POLICE_ARN, settings, subject } from './fixtures';

const START = '2027-06-10T00:00:00.000Z';
const AFTER = '2029-01-01T00:00:00.000Z';
const BUCKET = 'arn:aws:s3:::govrec-intake';
const moratorium = (change: Partial<GovernanceSettings['moratorium']>): GovernanceSettings =>
  parseGovernance({ moratorium: { ...settings.moratorium, ...change }, organisations: settings.organisations });
const normal = moratorium({ afterWindow: 'normal-rules' });
const indefinite = moratorium({ afterWindow: 'deny' });
const encoded = (document: unknown) => ({ document: encodeURIComponent(JSON.stringify(document)) });

describe('denyPolicyFor', () => {
  const expiry = { Condition: { DateLessThan: { 'aws:CurrentTime': END } } };

  it.each([
    ['normal-rules', normal, expiry],
    ['deny', indefinite, {}],
  ])('writes the exact all-actions deny with afterWindow %s', (_label, custom, condition) => {
    expect(denyPolicyFor(custom, POLICE_ARN, BUCKET)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'GovrecMoratoriumDenyAll', Effect: 'Deny', Action: '*', Resource: '*', ...condition }],
    });
  });

  it.each([
    ['normal-rules', 'normal-rules' as const, expiry],
    ['deny', 'deny' as const, {}],
  ])('writes the exact recognition-and-intake deny with afterWindow %s', (_label, afterWindow, condition) => {
    const custom = moratorium({ afterWindow, enforcementScope: 'recognition-and-intake' });

    expect(denyPolicyFor(custom, POLICE_ARN, BUCKET)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'GovrecMoratoriumDenyRecognition',
          Effect: 'Deny',
          Action: 'rekognition:*',
          Resource: '*',
          ...condition,
        },
        {
          Sid: 'GovrecMoratoriumDenyIntake',
          Effect: 'Deny',
          Action: 's3:PutObject',
          Resource: `${BUCKET}/*`,
          ...condition,
        },
        { Sid: 'GovrecMoratoriumDenySelfEdit', Effect: 'Deny', Action: 'iam:*', Resource: POLICE_ARN, ...condition },
        {
          Sid: 'GovrecMoratoriumDenyEscalation',
          Effect: 'Deny',
          Action: [...ESCALATION_ACTIONS],
          Resource: '*',
          ...condition,
        },
      ],
    });
  });
});

describe('disabledUntil', () => {
  it.each([
    ['normal-rules', normal, END],
    ['deny', indefinite, 'indefinite'],
  ])('is the tag value and window key with afterWindow %s', (_label, custom, until) => {
    expect(disabledUntil(custom)).toBe(until);
    expect(disabledTags(disabledUntil(custom))).toEqual([
      { Key: 'govrec:moratorium-disabled-until', Value: until },
      { Key: 'govrec:moratorium-status', Value: 'disabled' },
    ]);
  });
});

describe('isEnforcedAt', () => {
  it.each([
    ['2027-06-09T23:59:59.999Z', false, false],
    [START, true, true],
    [INSIDE, true, true],
    ['2028-06-09T23:59:59.999Z', true, true],
    [END, false, true],
    [AFTER, false, true],
  ])('at %s is %s with normal-rules and %s with deny', (at, withNormal, withDeny) => {
    expect(isEnforcedAt(normal, new Date(at))).toBe(withNormal);
    expect(isEnforcedAt(indefinite, new Date(at))).toBe(withDeny);
  });
});

describe('identify after the end', () => {
  const call = roleSessionCall('govrec-police-investigations', { eventTime: AFTER, eventId: 'late-1' });

  it('records OUTSIDE_WINDOW with normal-rules', () => {
    const result = identify(call, deps(AFTER, normal));

    expect(result.next).toBe('RECORD');
    expect(result.record).toEqual(
      expect.objectContaining({
        action: 'OUTSIDE_WINDOW',
        until: END,
        detail: `moratorium in force ${START} to ${END}`,
      }),
    );
  });

  it('goes on checking the role with deny, and records until indefinite', () => {
    const result = identify(call, deps(AFTER, indefinite));

    expect(result.next).toBe('CHECK');
    expect(result.record).toEqual(expect.objectContaining({ action: 'NOOP', until: INDEFINITE, start: START }));
  });

  it('still ignores events before the start with deny', () => {
    const early = roleSessionCall('govrec-police-investigations', {
      eventTime: '2027-01-01T00:00:00Z',
      eventId: 'early-1',
    });

    expect(identify(early, deps('2027-01-01T00:00:00.000Z', indefinite)).record.action).toBe('OUTSIDE_WINDOW');
  });
});

describe('compare with afterWindow deny', () => {
  const indefiniteState = (): CompareInput => ({
    subject: subject(),
    tags: disabledTags(INDEFINITE),
    windowRecord: { Item: { status: { S: 'DISABLED' } } },
    deny: encoded(denyPolicyFor(indefinite, POLICE_ARN, BUCKET)),
    revoke: encoded(revokePolicyFor('2027-08-01T00:00:00.000Z')),
  });

  it('disables with the deny without expiry and the indefinite tags', () => {
    const result = compare(
      { subject: subject(), tags: [], windowRecord: {}, deny: { absent: true }, revoke: { absent: true } },
      deps(INSIDE, indefinite),
    );

    expect(result.operation).toBe('DISABLE');
    expect(JSON.parse(result.denyPolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'GovrecMoratoriumDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
    });
    expect(result.tags).toEqual(disabledTags(INDEFINITE));
    expect(result.record).toEqual(expect.objectContaining({ action: 'DISABLED', until: INDEFINITE }));
    expect(result.notification.message).toContain(
      `disabled indefinitely (afterWindow deny; the window's configured end ${END} no longer lifts it)`,
    );
  });

  it('does nothing for a role already disabled indefinitely, after the end too', () => {
    expect(compare(indefiniteState(), deps(INSIDE, indefinite)).operation).toBe('NOOP');
    expect(compare(indefiniteState(), deps(AFTER, indefinite)).operation).toBe('NOOP');
  });

  it.each([
    [
      'the deny regained an expiry',
      { deny: encoded(denyPolicyFor(normal, POLICE_ARN, BUCKET)) },
      ['deny policy altered'],
    ],
    ['the until tag names an end', { tags: disabledTags(END) }, [`tag govrec:moratorium-disabled-until is ${END}`]],
  ])('re-applies (tamper) when %s in the indefinite window', (_label, change, reasons) => {
    const result = compare({ ...indefiniteState(), ...change }, deps(AFTER, indefinite));

    expect(result.operation).toBe('REAPPLY');
    expect(result.tamperReasons).toEqual(reasons);
  });

  it('disables again, not tamper, a role disabled under normal-rules once the setting switches to deny', () => {
    // The window record is keyed on disabledUntil: WINDOW#indefinite does not exist yet.
    const switched: CompareInput = {
      ...indefiniteState(),
      tags: disabledTags(END),
      deny: encoded(denyPolicyFor(normal, POLICE_ARN, BUCKET)),
      windowRecord: {},
    };

    const result = compare(switched, deps(INSIDE, indefinite));

    expect(result.operation).toBe('DISABLE');
    expect(result.tamperReasons).toEqual([]);
  });
});

describe('sweep and restore planners with afterWindow deny', () => {
  const registry = () => {
    const iam = new FakeIam(ACCOUNT);
    const forever = iam.addRole('govrec-police-investigations', {
      'govrec:moratorium-status': 'disabled',
      'govrec:moratorium-disabled-until': INDEFINITE,
    });
    const lapsing = iam.addRole('govrec-police-analysts', {
      'govrec:moratorium-status': 'disabled',
      'govrec:moratorium-disabled-until': END,
    });
    for (const role of [forever, lapsing]) {
      role.inlinePolicies.set('govrec-moratorium-deny', '{}');
      role.inlinePolicies.set('govrec-moratorium-revoke-sessions', '{}');
    }
    return iam;
  };
  const planDeps = (now: string, custom: GovernanceSettings) => ({
    settings: custom,
    restrictedTag: { key: 'govrec:category', value: 'police' },
    reader: registry().reader(),
    clock: fixedClock(now),
  });

  it('sweeps after the end and hands every restricted role to EnforceRole (its compare finds what drifted)', async () => {
    const plan = await planSweep(planDeps(AFTER, indefinite));

    expect(plan).toEqual({
      inForce: true,
      at: AFTER,
      restrictedCount: 2,
      enforcements: ['govrec-police-investigations', 'govrec-police-analysts'].map((name) => ({
        source: 'govrec.sweep',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
        at: AFTER,
      })),
    });
  });

  it('does not sweep after the end with normal-rules', async () => {
    expect((await planSweep(planDeps(AFTER, normal))).inForce).toBe(false);
  });

  it('keeps both roles at the end, closes nothing, and says which deny still lapses', async () => {
    const plan = await planRestore(planDeps(END, indefinite));

    expect(plan.operation).toBe('KEEP_DENIED');
    expect(plan.roles.map((role) => role.windowSk)).toEqual([`WINDOW#${INDEFINITE}`, `WINDOW#${END}`]);
    expect(plan.summary).toBe(
      `Moratorium ended ${END}; afterWindow is deny, so 2 disabled role(s) stay tagged disabled: arn:aws:iam::${ACCOUNT}:role/govrec-police-investigations, arn:aws:iam::${ACCOUNT}:role/govrec-police-analysts. ` +
        `1 of them still carry a deny that lapses at ${END}; the next sweep makes it indefinite.`,
    );
  });
});
