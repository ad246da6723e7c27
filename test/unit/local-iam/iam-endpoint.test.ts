import {
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolesCommand,
  ListRoleTagsCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { LocalIamRegistry, roleIdFor } from '../../../local/iam/registry';
import { type LocalIamEndpoint, startIamEndpoint } from '../../../local/iam/server';

const POLICE = 'arn:aws:iam::111111111111:role/govrec-police-investigations';
const NGO = 'arn:aws:iam::111111111111:role/teams/govrec-ngo-uploader';

describe('local IAM endpoint', () => {
  let registry: LocalIamRegistry;
  let server: LocalIamEndpoint;
  let iam: IAMClient;

  beforeAll(async () => {
    registry = new LocalIamRegistry('111111111111', () => new Date('2027-06-10T00:00:00.000Z'));
    registry.addRole(POLICE, { 'govrec:category': 'police' });
    registry.addRole(NGO);
    server = await startIamEndpoint(registry);
    iam = new IAMClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    iam.destroy();
    await server.stop();
  });

  it('answers GetRole with the role id, path and tags the SDK parses', async () => {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'govrec-ngo-uploader' }));
    expect(Role?.RoleId).toBe(roleIdFor(NGO));
    expect(Role?.RoleId).toMatch(/^AROA[A-Z2-7Q]{17}$/);
    expect(Role?.Arn).toBe(NGO);
    expect(Role?.Path).toBe('/teams/');
    const police = await iam.send(new GetRoleCommand({ RoleName: 'govrec-police-investigations' }));
    expect(police.Role?.Tags).toEqual([{ Key: 'govrec:category', Value: 'police' }]);
  });

  it('raises NoSuchEntityException for a missing role', async () => {
    await expect(iam.send(new GetRoleCommand({ RoleName: 'nobody' }))).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it('lists roles and role tags', async () => {
    const { Roles } = await iam.send(new ListRolesCommand({}));
    expect(Roles?.map((role) => role.Arn)).toEqual([NGO, POLICE]);
    const { Tags } = await iam.send(new ListRoleTagsCommand({ RoleName: 'govrec-police-investigations' }));
    expect(Tags).toEqual([{ Key: 'govrec:category', Value: 'police' }]);
  });

  it('stores, returns (URL-encoded, as IAM does) and deletes inline policies, recording each change', async () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
    });
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'govrec-police-investigations',
        PolicyName: 'deny',
        PolicyDocument: document,
      }),
    );
    const stored = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'govrec-police-investigations', PolicyName: 'deny' }),
    );
    expect(decodeURIComponent(stored.PolicyDocument ?? '')).toBe(document);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'govrec-police-investigations', PolicyName: 'deny' }));
    await expect(
      iam.send(new GetRolePolicyCommand({ RoleName: 'govrec-police-investigations', PolicyName: 'deny' })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    expect(registry.changes.map((change) => [change.action, change.detail])).toEqual([
      ['PutRolePolicy', 'deny'],
      ['DeleteRolePolicy', 'deny'],
    ]);
  });

  it('tags and untags roles', async () => {
    await iam.send(
      new TagRoleCommand({
        RoleName: 'govrec-ngo-uploader',
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await iam.send(new UntagRoleCommand({ RoleName: 'govrec-ngo-uploader', TagKeys: ['a'] }));
    expect(registry.getRole('govrec-ngo-uploader').tags).toEqual({ b: '2' });
  });
});
