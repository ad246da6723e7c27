import 'aws-sdk-client-mock-jest';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { IdentityResolutionError } from '../../../lambda/decision/errors';
import { IdentityResolver } from '../../../lambda/decision/identity';
import { parseGovernance } from '../../../lambda/shared/settings';
import { exampleSettings, mockIam, principalOf, ROLE_IDS, roleArn, settableClock } from './fixtures';

const throttling = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
const accessDenied = () => Object.assign(new Error('not authorized to perform: iam:GetRole'), { name: 'AccessDenied' });
const NGO = 'govrec-ngo-child-rescue-uploader';

describe('IdentityResolver: IAM errors other than NoSuchEntity', () => {
  it('fails the load when GetRole of one registered role is throttled, naming the role', async () => {
    const iam = mockIam();
    iam.on(GetRoleCommand, { RoleName: NGO }).rejects(throttling());
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: exampleSettings });
    const failure = resolver.resolve(principalOf(NGO));
    await expect(failure).rejects.toThrow(IdentityResolutionError);
    await expect(failure).rejects.toThrow(
      `IAM GetRole failed for registered role ${roleArn(NGO)} (Throttling: Rate exceeded); 1 of 4 lookups failed, nothing cached`,
    );
  });

  it('caches nothing after a failed load: the next request, within the TTL, asks IAM again and resolves', async () => {
    const iam = mockIam();
    let throttled = true;
    iam.on(GetRoleCommand, { RoleName: NGO }).callsFake(async () => {
      if (throttled) throw throttling();
      return { Role: { RoleName: NGO, RoleId: ROLE_IDS[NGO], Arn: roleArn(NGO), Path: '/', CreateDate: new Date(0) } };
    });
    const clock = settableClock('2027-01-01T00:00:00.000Z');
    const resolver = new IdentityResolver({
      iam: new IAMClient({}),
      settings: exampleSettings,
      clock,
      cacheTtlSeconds: 600,
    });
    await expect(resolver.resolve(principalOf(NGO))).rejects.toThrow(IdentityResolutionError);
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 4);
    throttled = false;
    expect(await resolver.resolve(principalOf(NGO))).toMatchObject({
      orgId: 'thorn-like',
      category: 'ngo',
      restricted: false,
    });
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 8);
  });

  it('stops calling IAM after the first failure when the account is known', async () => {
    const arns = Array.from({ length: 40 }, (_, i) => roleArn(`role-${i}`));
    const iam = mockClient(IAMClient);
    iam.on(GetRoleCommand).rejects(throttling());
    const settings = parseGovernance({
      moratorium: { start: '2027-06-10T00:00:00Z' },
      organisations: [
        {
          id: 'many',
          displayName: 'Many',
          category: 'ngo',
          roleArns: arns,
          purposes: ['child-rescue'],
          operations: ['detect'],
        },
      ],
    });
    const resolver = new IdentityResolver({
      iam: new IAMClient({}),
      settings,
      accountId: '111111111111',
      concurrency: 5,
    });
    await expect(resolver.registry()).rejects.toThrow(IdentityResolutionError);
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 5);
  });

  it('stops calling IAM after the first failure once the account is learnt from an answer', async () => {
    const arns = Array.from({ length: 40 }, (_, i) => roleArn(`role-${i}`));
    const iam = mockClient(IAMClient);
    iam.on(GetRoleCommand).rejects(throttling());
    iam.on(GetRoleCommand, { RoleName: 'role-0' }).resolves({
      Role: { RoleName: 'role-0', RoleId: 'AROAROLE0', Arn: roleArn('role-0'), Path: '/', CreateDate: new Date(0) },
    });
    const settings = parseGovernance({
      moratorium: { start: '2027-06-10T00:00:00Z' },
      organisations: [
        {
          id: 'many',
          displayName: 'Many',
          category: 'ngo',
          roleArns: arns,
          purposes: ['child-rescue'],
          operations: ['detect'],
        },
      ],
    });
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings, concurrency: 1 });
    await expect(resolver.registry()).rejects.toThrow(
      `${roleArn('role-1')} (Throttling: Rate exceeded); 1 of 40 lookups failed`,
    );
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 2);
  });

  it('treats a refused GetRole of a role in another account as absent when the account is learnt from IAM', async () => {
    const foreign = 'arn:aws:iam::222222222222:role/partner-uploader';
    const iam = mockIam();
    iam.on(GetRoleCommand, { RoleName: 'partner-uploader' }).rejects(accessDenied());
    const settings = parseGovernance({
      ...exampleSettings,
      organisations: exampleSettings.organisations.map((org) =>
        org.id === 'thorn-like' ? { ...org, roleArns: [...org.roleArns, foreign] } : org,
      ),
    });
    const log = jest.fn();
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings, log });
    expect((await resolver.registry()).size).toBe(4);
    expect(await resolver.resolve(principalOf(NGO))).toMatchObject({ orgId: 'thorn-like' });
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/another account/), { roleArn: foreign });
  });

  it('fails the load on a refused GetRole of a role in this account', async () => {
    const iam = mockIam();
    iam.on(GetRoleCommand, { RoleName: 'govrec-police-analysts' }).rejects(accessDenied());
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: exampleSettings });
    await expect(resolver.registry()).rejects.toThrow(/govrec-police-analysts \(AccessDenied: /);
  });
});

describe('IdentityResolver.warmUp', () => {
  it('starts the load before the first request, which then makes no IAM call of its own', async () => {
    const iam = mockIam();
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: exampleSettings });
    resolver.warmUp();
    // Lambda's init phase: time passes before the first invocation.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 4);
    expect(await resolver.resolve(principalOf(NGO))).toMatchObject({ orgId: 'thorn-like' });
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 4);
  });

  it('lets the first request load again when the warm-up failed, and logs the failure', async () => {
    const iam = mockClient(IAMClient);
    iam.on(GetRoleCommand).rejects(throttling());
    const log = jest.fn();
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: exampleSettings, log });
    resolver.warmUp();
    mockIam();
    expect(await resolver.resolve(principalOf(NGO))).toMatchObject({ orgId: 'thorn-like' });
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/warm-up failed/), {
      error: expect.stringMatching(/^IdentityResolutionError: /),
    });
  });

  it('reloads when the clock went backwards (a simulated clock installed after init)', async () => {
    const iam = mockIam();
    const clock = settableClock('2027-01-01T00:00:00.000Z');
    const resolver = new IdentityResolver({ iam: new IAMClient({}), settings: exampleSettings, clock });
    await resolver.registry();
    clock.set('2026-12-31T23:59:59.000Z');
    await resolver.registry();
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 8);
  });
});
