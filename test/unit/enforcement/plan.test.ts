import { runRolesStep } from '../../../lambda/enforcement/roles/dispatch';
import { MalformedRoleRequestError, RoleListingError } from '../../../lambda/enforcement/roles/errors';
import { atExpression, type PlanDeps, planRestore, planSweep } from '../../../lambda/enforcement/roles/plan';
import type { RoleRef } from '../../../lambda/enforcement/roles/roles';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { parseGovernance } from '../../../lambda/shared/settings';
import { FakeIam } from '../../../local/stepfunctions/fake-iam';
import { ACCOUNT, END, INSIDE, settings } from './fixtures';

const registry = () => {
  const iam = new FakeIam(ACCOUNT);
  const disabled = iam.addRole('govrec-police-investigations', {
    'govrec:moratorium-status': 'disabled',
    'govrec:moratorium-disabled-until': END,
  });
  disabled.inlinePolicies.set('govrec-moratorium-deny', '{}');
  disabled.inlinePolicies.set('govrec-moratorium-revoke-sessions', '{}');
  iam.addRole('govrec-police-analysts');
  iam.addRole('govrec-ngo-child-rescue-uploader');
  iam.addRole('sheriff', { 'govrec:category': 'police' });
  iam.addRole('old-window', {
    'govrec:category': 'police',
    'govrec:moratorium-status': 'disabled',
    'govrec:moratorium-disabled-until': '2027-01-01T00:00:00.000Z',
  });
  return iam;
};
const planDeps = (now: string, iam = registry(), custom = settings): PlanDeps => ({
  settings: custom,
  restrictedTag: { key: 'govrec:category', value: 'police' },
  reader: iam.reader(2),
  clock: fixedClock(now),
});
const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

describe('planSweep', () => {
  it('lists every page and returns every restricted role, disabled ones included, without reading their policies', async () => {
    const iam = registry();

    const plan = await planSweep(planDeps(INSIDE, iam));

    expect(plan).toEqual({
      inForce: true,
      at: INSIDE,
      restrictedCount: 4,
      enforcements: ['govrec-police-investigations', 'govrec-police-analysts', 'sheriff', 'old-window'].map((name) => ({
        source: 'govrec.sweep',
        roleArn: arn(name),
        at: INSIDE,
      })),
    });
    expect(iam.calls.filter((call) => call.action === 'listRoles')).toHaveLength(3);
  });

  it.each([
    ['before the start', '2027-06-09T00:00:00.000Z'],
    ['at the end', END],
  ])('returns nothing %s without listing roles', async (_label, now) => {
    const iam = registry();

    expect(await planSweep(planDeps(now, iam))).toEqual({
      inForce: false,
      at: now,
      restrictedCount: 0,
      enforcements: [],
    });
    expect(iam.calls).toEqual([]);
  });

  it('wraps a listing failure in RoleListingError', async () => {
    const failing: PlanDeps = {
      ...planDeps(INSIDE),
      reader: {
        listRoles: async function* () {
          yield await Promise.reject<RoleRef[]>(new Error('throttled'));
        },
        listRoleTags: async () => ({}),
      },
    };

    await expect(planSweep(failing)).rejects.toThrow(RoleListingError);
  });
});

describe('planRestore', () => {
  it('restores the roles tagged disabled once the end has passed', async () => {
    const plan = await planRestore(planDeps(END));

    expect(plan.operation).toBe('RESTORE');
    expect(plan.roles.map((role) => [role.roleArn, role.windowSk])).toEqual([
      [arn('govrec-police-investigations'), `WINDOW#${END}`],
      [arn('old-window'), 'WINDOW#2027-01-01T00:00:00.000Z'],
    ]);
  });

  it('reschedules at the new end when the end moved later', async () => {
    const extended = parseGovernance({
      moratorium: { ...settings.moratorium, end: '2029-06-10T12:30:00Z' },
      organisations: settings.organisations,
    });

    const plan = await planRestore(planDeps(END, registry(), extended));

    expect(plan).toEqual(
      expect.objectContaining({
        operation: 'RESCHEDULE',
        end: '2029-06-10T12:30:00.000Z',
        scheduleName: 'govrec-restore-20290610123000',
        scheduleExpression: 'at(2029-06-10T12:30:00)',
        roles: [],
      }),
    );
  });

  it('keeps roles disabled when afterWindow is deny', async () => {
    const keep = parseGovernance({
      moratorium: { ...settings.moratorium, afterWindow: 'deny' },
      organisations: settings.organisations,
    });

    const plan = await planRestore(planDeps(END, registry(), keep));

    expect(plan.operation).toBe('KEEP_DENIED');
    expect(plan.roles).toHaveLength(2);
  });

  it('writes Scheduler at() expressions without zone or fraction', () => {
    expect(atExpression('2028-06-10T00:00:00.000Z')).toBe('at(2028-06-10T00:00:00)');
  });
});

describe('runRolesStep', () => {
  it('rejects an unknown action', async () => {
    await expect(runRolesStep({ action: 'purge' } as never, planDeps(INSIDE))).rejects.toThrow(
      MalformedRoleRequestError,
    );
  });
});
