import 'aws-sdk-client-mock-jest';
import { GetRoleCommand, IAMClient, ListRolesCommand, NoSuchEntityException, type Role } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { IdentityResolutionError } from '../../../lambda/decision/errors';
import { IdentityResolver } from '../../../lambda/decision/identity';
import { type GovernanceSettings, parseGovernance } from '../../../lambda/shared/settings';
import { roleArn } from './fixtures';

/** `n` organisations with one role each; every tenth is police. Role i has id AROA<i padded>. */
const registryOf = (n: number): GovernanceSettings =>
  parseGovernance({
    moratorium: { start: '2027-06-10T00:00:00Z' },
    organisations: Array.from({ length: n }, (_, i) => ({
      id: `org-${i}`,
      displayName: `Organisation ${i}`,
      category: i % 10 === 9 ? 'police' : 'ngo',
      roleArns: [roleArn(`uploader-${i}`)],
      purposes: ['child-rescue'],
      operations: ['detect'],
    })),
  });
const roleIdOf = (i: number): string => `AROA${String(i).padStart(17, '0')}`;
const roleOf = (i: number, tags: Role['Tags'] = []): Role => ({
  RoleName: `uploader-${i}`,
  RoleId: roleIdOf(i),
  Arn: roleArn(`uploader-${i}`),
  Path: '/',
  CreateDate: new Date(0),
  Tags: tags,
});

/** An IAM mock holding `count` account roles (the registered ones and `extra` more), listed 1,000 a page. */
const accountIam = (count: number, tagged: ReadonlySet<number> = new Set()) => {
  const iam = mockClient(IAMClient);
  iam.on(ListRolesCommand).callsFake(async (input: { Marker?: string; MaxItems?: number }) => {
    const from = Number(input.Marker ?? 0);
    const to = Math.min(count, from + (input.MaxItems ?? 100));
    const Roles = Array.from({ length: to - from }, (_, k) => {
      const { Tags: _tags, ...listed } = roleOf(from + k);
      return listed;
    });
    return { Roles, IsTruncated: to < count, ...(to < count ? { Marker: String(to) } : {}) };
  });
  iam.on(GetRoleCommand).callsFake(async (input: { RoleName: string }) => {
    const i = Number(input.RoleName.replace('uploader-', ''));
    if (!(i < count)) throw new NoSuchEntityException({ message: 'no role', $metadata: {} });
    return { Role: roleOf(i, tagged.has(i) ? [{ Key: 'govrec:category', Value: 'police' }] : []) };
  });
  return iam;
};

describe('IdentityResolver with ListRoles (large registries)', () => {
  it('loads 2,500 registered roles with 3 ListRoles pages and no GetRole', async () => {
    const iam = accountIam(2500);
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: registryOf(2500) });
    expect((await resolver.registry()).size).toBe(2500);
    expect(iam).toHaveReceivedCommandTimes(ListRolesCommand, 3);
    expect(iam).toHaveReceivedCommandWith(ListRolesCommand, { MaxItems: 1000, Marker: '2000' });
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 0);
  });

  it('uses GetRole each at or below the threshold', async () => {
    const iam = accountIam(100);
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: registryOf(100), listRolesAbove: 100 });
    expect((await resolver.registry()).size).toBe(100);
    expect(iam).toHaveReceivedCommandTimes(ListRolesCommand, 0);
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 100);
  });

  it("reads a calling role's tags once per load with GetRole, so a tagged NGO role is restricted", async () => {
    const iam = accountIam(200, new Set([3]));
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: registryOf(200) });
    expect(await resolver.resolve(`AWS:${roleIdOf(3)}:s`)).toMatchObject({
      orgId: 'org-3',
      category: 'ngo',
      restricted: true,
      role: { taggedRestricted: true },
    });
    expect(await resolver.resolve(`AWS:${roleIdOf(3)}:t`)).toMatchObject({ restricted: true });
    expect(await resolver.resolve(`AWS:${roleIdOf(4)}:s`)).toMatchObject({
      orgId: 'org-4',
      restricted: false,
      role: { taggedRestricted: false },
    });
    expect(await resolver.resolve(`AWS:${roleIdOf(9)}:s`)).toMatchObject({
      orgId: 'org-9',
      category: 'police',
      restricted: true,
    });
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 3);
  });

  it('leaves out registered roles the account does not hold', async () => {
    accountIam(150);
    const log = jest.fn();
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: registryOf(200), log });
    expect((await resolver.registry()).size).toBe(150);
    expect(await resolver.resolve(`AWS:${roleIdOf(170)}:s`)).toEqual({
      principalId: `AWS:${roleIdOf(170)}:s`,
      roleId: roleIdOf(170),
      restricted: false,
    });
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/not in this account/),
      expect.objectContaining({ count: 50 }),
    );
  });

  it('treats a role recreated since the load (another RoleId) as unknown', async () => {
    const iam = accountIam(200);
    iam.on(GetRoleCommand, { RoleName: 'uploader-5' }).resolves({ Role: { ...roleOf(5), RoleId: 'AROARECREATED' } });
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: registryOf(200) });
    expect(await resolver.resolve(`AWS:${roleIdOf(5)}:s`)).toEqual({
      principalId: `AWS:${roleIdOf(5)}:s`,
      roleId: roleIdOf(5),
      restricted: false,
    });
  });

  it('fails (nothing cached) when a tag read is throttled, and reads again on the next request', async () => {
    const iam = accountIam(200);
    let throttled = true;
    iam.on(GetRoleCommand, { RoleName: 'uploader-7' }).callsFake(async () => {
      if (throttled) throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      return { Role: roleOf(7) };
    });
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: registryOf(200) });
    await expect(resolver.resolve(`AWS:${roleIdOf(7)}:s`)).rejects.toThrow(
      `IAM GetRole failed for ${roleArn('uploader-7')} while reading its tags (Throttling: Rate exceeded)`,
    );
    throttled = false;
    expect(await resolver.resolve(`AWS:${roleIdOf(7)}:s`)).toMatchObject({ orgId: 'org-7', restricted: false });
    expect(iam).toHaveReceivedCommandTimes(ListRolesCommand, 1);
  });

  it('fails the load when ListRoles is throttled', async () => {
    const iam = accountIam(200);
    iam.on(ListRolesCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: registryOf(200) });
    await expect(resolver.registry()).rejects.toThrow(IdentityResolutionError);
    await expect(resolver.registry()).rejects.toThrow(
      'IAM ListRoles failed (Throttling: Rate exceeded); nothing cached',
    );
  });

  it('falls back to GetRole each when ListRoles is not permitted, and does not ask for it again', async () => {
    const iam = accountIam(200);
    iam
      .on(ListRolesCommand)
      .rejects(Object.assign(new Error('not authorized to perform: iam:ListRoles'), { name: 'AccessDenied' }));
    const log = jest.fn();
    const clock = { now: jest.fn(() => new Date('2027-01-01T00:00:00Z')) };
    const resolver = new IdentityResolver({
      iam: new IAMClient({}),
      settings: registryOf(200),
      clock,
      cacheTtlSeconds: 60,
      log,
    });
    expect((await resolver.registry()).size).toBe(200);
    clock.now.mockReturnValue(new Date('2027-01-01T00:01:00Z'));
    expect((await resolver.registry()).size).toBe(200);
    expect(iam).toHaveReceivedCommandTimes(ListRolesCommand, 1);
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 400);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/ListRoles is not permitted/), { roles: 200 });
  });
});
