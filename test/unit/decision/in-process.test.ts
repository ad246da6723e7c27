import { createInProcessDecider } from '../../../lambda/decision/in-process';
import { fixedClock } from '../../../lambda/shared/moratorium';
import {
  engine,
  exampleSettings,
  ngoRequest,
  policeRequest,
  principalOf,
  ROLE_IDS,
  type RoleName,
  roleArn,
} from './fixtures';

const roles = Object.entries(ROLE_IDS).map(([name, roleId]) => ({ roleArn: roleArn(name as RoleName), roleId }));

describe('createInProcessDecider', () => {
  const pdp = createInProcessDecider(exampleSettings, roles, { engine, clock: fixedClock('2030-01-01T00:00:00Z') });

  it.each([
    ['a police role before the window', policeRequest('2027-06-09T23:59:59.999Z'), 'ALLOW', 'ALLOWED'],
    ['a police role in the window', policeRequest('2027-06-10T00:00:00.000Z'), 'DENY', 'MORATORIUM_IN_FORCE'],
    ['an NGO role in the window', ngoRequest('2027-06-10T00:00:00.000Z'), 'ALLOW', 'ALLOWED'],
    [
      'an unknown role',
      ngoRequest('2027-06-10T00:00:00.000Z', { principalId: 'AWS:AROANOTREGISTERED:s' }),
      'DENY',
      'UNKNOWN_PRINCIPAL',
    ],
  ])('decides %s as the Lambda does: %s %s', async (_name, request, effect, reason) => {
    expect(await pdp.decide(request)).toMatchObject({ effect, reason, decidedAt: '2030-01-01T00:00:00.000Z' });
  });

  it('treats a known role that carries the restricted tag as restricted', async () => {
    const tagged = createInProcessDecider(
      exampleSettings,
      roles.map((r) => ({ ...r, taggedRestricted: r.roleId === ROLE_IDS['govrec-ngo-child-rescue-uploader'] })),
      { engine },
    );
    expect(
      await tagged.decide(
        ngoRequest('2027-06-10T00:00:00.000Z', { principalId: principalOf('govrec-ngo-child-rescue-uploader') }),
      ),
    ).toMatchObject({
      effect: 'DENY',
      reason: 'MORATORIUM_IN_FORCE',
      caller: { restricted: true },
    });
  });

  it('ignores role ids for ARNs that are not registered', async () => {
    const stray = createInProcessDecider(
      exampleSettings,
      [{ roleArn: roleArn('not-registered'), roleId: 'AROASTRAY' }],
      { engine },
    );
    expect(await stray.decide(ngoRequest('2027-01-01T00:00:00Z', { principalId: 'AWS:AROASTRAY:s' }))).toMatchObject({
      effect: 'DENY',
      reason: 'UNKNOWN_PRINCIPAL',
    });
  });
});
