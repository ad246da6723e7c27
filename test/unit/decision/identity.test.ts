import 'aws-sdk-client-mock-jest';
import { GetRoleCommand, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { IdentityResolutionError } from '../../../lambda/decision/errors';
import { IdentityResolver, roleIdOf, roleNameOf } from '../../../lambda/decision/identity';
import type { Clock } from '../../../lambda/shared/moratorium';
import { type GovernanceSettings, parseGovernance } from '../../../lambda/shared/settings';
import { exampleSettings, mockIam, principalOf, ROLE_IDS, roleArn } from './fixtures';

/** A clock the test moves by hand. */
const manualClock = (start: string) => {
  let now = Date.parse(start);
  const clock: Clock & { advance(ms: number): void } = { now: () => new Date(now), advance: (ms) => (now += ms) };
  return clock;
};

const settingsWithRoles = (roleArns: string[]): GovernanceSettings =>
  parseGovernance({
    moratorium: { start: '2027-06-10T00:00:00Z' },
    organisations: [
      {
        id: 'many-roles',
        displayName: 'Many roles',
        category: 'ngo',
        roleArns,
        purposes: ['child-rescue'],
        operations: ['detect'],
      },
    ],
  });

describe('roleIdOf', () => {
  it.each([
    ['AWS:AROAEXAMPLE123:session', 'AROAEXAMPLE123'],
    ['AROAEXAMPLE123:session', 'AROAEXAMPLE123'],
    ['AWS:AROAEXAMPLE123', 'AROAEXAMPLE123'],
    ['AWS:AIDAEXAMPLEUSER', undefined],
    ['AIDAEXAMPLEUSER', undefined],
    ['anonymous', undefined],
    ['', undefined],
    ['AWS:aroalower:session', undefined],
  ])('reads %p as %p', (principalId, expected) => {
    expect(roleIdOf(principalId)).toBe(expected);
  });
});

describe('roleNameOf', () => {
  it.each([
    ['arn:aws:iam::111111111111:role/simple', 'simple'],
    ['arn:aws:iam::111111111111:role/team/sub/with-path', 'with-path'],
  ])('takes the name from %s', (arn, name) => {
    expect(roleNameOf(arn)).toBe(name);
  });
});

describe('IdentityResolver', () => {
  it('resolves a registered role to its organisation and category', async () => {
    mockIam();
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: exampleSettings });
    expect(await resolver.resolve(principalOf('govrec-ngo-anti-trafficking-uploader'))).toMatchObject({
      roleId: ROLE_IDS['govrec-ngo-anti-trafficking-uploader'],
      roleArn: roleArn('govrec-ngo-anti-trafficking-uploader'),
      orgId: 'marinus-like',
      category: 'ngo',
      restricted: false,
    });
  });

  it('calls GetRole once per registered role within the TTL and again after it', async () => {
    const iam = mockIam();
    const clock = manualClock('2027-01-01T00:00:00Z');
    const resolver = new IdentityResolver({
      iam: new IAMClient({}),
      settings: exampleSettings,
      clock,
      cacheTtlSeconds: 600,
    });
    await resolver.resolve(principalOf('govrec-police-analysts'));
    clock.advance(599_999);
    await resolver.resolve(principalOf('govrec-police-analysts'));
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 4);
    clock.advance(1);
    await resolver.resolve(principalOf('govrec-police-analysts'));
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 8);
  });

  it('shares one IAM load between concurrent callers', async () => {
    const iam = mockIam();
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: exampleSettings });
    await Promise.all([1, 2, 3].map(() => resolver.resolve(principalOf('govrec-police-analysts'))));
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 4);
  });

  it('never has more than 5 GetRole calls in flight', async () => {
    const arns = Array.from({ length: 23 }, (_, i) => roleArn(`role-${i}`));
    let inFlight = 0;
    let peak = 0;
    const iam = mockClient(IAMClient);
    iam.on(GetRoleCommand).callsFake(async (input: { RoleName: string }) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      return {
        Role: {
          RoleName: input.RoleName,
          RoleId: `AROA${input.RoleName.replace('role-', 'X')}`,
          Arn: roleArn(input.RoleName),
          Path: '/',
          CreateDate: new Date(0),
        },
      };
    });
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: settingsWithRoles(arns) });
    expect((await resolver.registry()).size).toBe(23);
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 23);
    expect(peak).toBe(5);
  });

  it('looks a role up by its name when its ARN has a path', async () => {
    const arn = 'arn:aws:iam::111111111111:role/team/uploaders/pathed';
    const iam = mockClient(IAMClient);
    iam.on(GetRoleCommand, { RoleName: 'pathed' }).resolves({
      Role: { RoleName: 'pathed', RoleId: 'AROAPATHED', Arn: arn, Path: '/team/uploaders/', CreateDate: new Date(0) },
    });
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: settingsWithRoles([arn]) });
    expect(await resolver.resolve('AWS:AROAPATHED:s')).toMatchObject({ roleArn: arn, orgId: 'many-roles' });
  });

  it('leaves out a role in another account: skipped without a call when the account is known', async () => {
    const foreign = 'arn:aws:iam::222222222222:role/govrec-police-analysts';
    const iam = mockIam();
    const log = jest.fn();
    const resolver = new IdentityResolver({
      iam: new IAMClient({}),
      settings: settingsWithRoles([roleArn('govrec-police-investigations'), foreign]),
      accountId: '111111111111',
      log,
    });
    expect((await resolver.registry()).size).toBe(1);
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 1);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/another account/), { roleArn: foreign });
  });

  it('leaves out a role in another account when IAM answers with a same-named local role', async () => {
    const foreign = 'arn:aws:iam::222222222222:role/govrec-police-analysts';
    mockIam();
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: settingsWithRoles([foreign]) });
    expect(await resolver.resolve(principalOf('govrec-police-analysts'))).toEqual({
      principalId: principalOf('govrec-police-analysts'),
      roleId: ROLE_IDS['govrec-police-analysts'],
      restricted: false,
    });
  });

  it('leaves out a role IAM does not know and resolves the others', async () => {
    const iam = mockIam();
    iam
      .on(GetRoleCommand, { RoleName: 'govrec-police-analysts' })
      .rejects(new NoSuchEntityException({ message: 'gone', $metadata: {} }));
    const log = jest.fn();
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: exampleSettings, log });
    expect((await resolver.resolve(principalOf('govrec-police-analysts'))).orgId).toBeUndefined();
    expect((await resolver.resolve(principalOf('govrec-police-investigations'))).orgId).toBe('metro-police');
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/no such role/), {
      roleArn: roleArn('govrec-police-analysts'),
      error: 'NoSuchEntityException',
    });
  });

  it('throws when IAM fails for every role, and does not fall back to an expired map', async () => {
    mockIam();
    const clock = manualClock('2027-01-01T00:00:00Z');
    const resolver = new IdentityResolver({
      iam: new IAMClient({}),
      settings: exampleSettings,
      clock,
      cacheTtlSeconds: 60,
    });
    await resolver.resolve(principalOf('govrec-police-analysts'));
    mockClient(IAMClient)
      .on(GetRoleCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    clock.advance(60_000);
    await expect(resolver.resolve(principalOf('govrec-police-analysts'))).rejects.toThrow(IdentityResolutionError);
  });

  it('does not ask IAM about principals that are not roles', async () => {
    const iam = mockIam();
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: exampleSettings });
    expect(await resolver.resolve('AWS:AIDAEXAMPLEUSER')).toEqual({
      principalId: 'AWS:AIDAEXAMPLEUSER',
      restricted: false,
    });
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 0);
  });

  it.each([
    ['the default tag', undefined, [{ Key: 'govrec:category', Value: 'police' }], true],
    ['the default tag key with another value', undefined, [{ Key: 'govrec:category', Value: 'ngo' }], false],
    ['a configured tag', { key: 'restricted', value: 'yes' }, [{ Key: 'restricted', Value: 'yes' }], true],
    [
      'the default tag when another is configured',
      { key: 'restricted', value: 'yes' },
      [{ Key: 'govrec:category', Value: 'police' }],
      false,
    ],
  ])('marks an NGO role restricted by %s: %p', async (_name, restrictedTag, tags, restricted) => {
    mockIam({ 'govrec-ngo-child-rescue-uploader': tags });
    const resolver = new IdentityResolver({
      iam: new IAMClient({}),
      settings: exampleSettings,
      ...(restrictedTag ? { restrictedTag } : {}),
    });
    expect(await resolver.resolve(principalOf('govrec-ngo-child-rescue-uploader'))).toMatchObject({
      category: 'ngo',
      restricted,
    });
  });

  it('marks a police role restricted by its category alone', async () => {
    mockIam();
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: exampleSettings });
    expect(await resolver.resolve(principalOf('govrec-police-investigations'))).toMatchObject({
      category: 'police',
      restricted: true,
      role: { taggedRestricted: false },
    });
  });
});
