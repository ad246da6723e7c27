/**
 * The enforcement workflows' IAM tasks served by the offline run's IAM registry: shapes of the
 * SDK integration, writes landing on the registry, and Step Functions error names.
 */
import { LocalIamRegistry } from '../../../local/iam/registry';
import { localIamService, UnsupportedIamActionError } from '../../../local/offline/iam-binding';

const ARN = 'arn:aws:iam::111111111111:role/govrec-police-analysts';

const registryWithRole = () => {
  const registry = new LocalIamRegistry('111111111111', () => new Date('2027-06-10T00:00:00Z'));
  registry.addRole(ARN, { 'govrec:category': 'police' });
  return registry;
};

describe('localIamService', () => {
  it('writes an inline policy to the registry and reads it back URL-encoded, as IAM answers', () => {
    const registry = registryWithRole();
    const iam = localIamService(registry);
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
    });

    expect(
      iam('putRolePolicy', { RoleName: 'govrec-police-analysts', PolicyName: 'deny', PolicyDocument: document }),
    ).toEqual({});

    expect(registry.getRolePolicy('govrec-police-analysts', 'deny')).toBe(document);
    expect(iam('getRolePolicy', { RoleName: 'govrec-police-analysts', PolicyName: 'deny' })).toEqual({
      RoleName: 'govrec-police-analysts',
      PolicyName: 'deny',
      PolicyDocument: encodeURIComponent(document),
    });
    expect(registry.changes).toEqual([
      { at: '2027-06-10T00:00:00.000Z', action: 'PutRolePolicy', roleArn: ARN, detail: 'deny' },
    ]);
  });

  it('tags, lists tags and untags', () => {
    const registry = registryWithRole();
    const iam = localIamService(registry);

    iam('tagRole', {
      RoleName: 'govrec-police-analysts',
      Tags: [{ Key: 'govrec:moratorium-status', Value: 'disabled' }],
    });
    expect(iam('listRoleTags', { RoleName: 'govrec-police-analysts' })).toEqual({
      Tags: [
        { Key: 'govrec:category', Value: 'police' },
        { Key: 'govrec:moratorium-status', Value: 'disabled' },
      ],
      IsTruncated: false,
    });
    iam('untagRole', { RoleName: 'govrec-police-analysts', TagKeys: ['govrec:moratorium-status'] });
    expect(registry.getRole('govrec-police-analysts').tags).toEqual({ 'govrec:category': 'police' });
  });

  it.each([
    ['getRolePolicy of a missing policy', 'getRolePolicy', { RoleName: 'govrec-police-analysts', PolicyName: 'none' }],
    [
      'deleteRolePolicy of a missing policy',
      'deleteRolePolicy',
      { RoleName: 'govrec-police-analysts', PolicyName: 'none' },
    ],
    ['listRoleTags of a missing role', 'listRoleTags', { RoleName: 'deleted-role' }],
  ])('names %s Iam.NoSuchEntityException, as Step Functions does', (_name, action, parameters) => {
    expect(() => localIamService(registryWithRole())(action, parameters)).toThrow(
      expect.objectContaining({ name: 'Iam.NoSuchEntityException' }),
    );
  });

  it('rejects a malformed policy document without writing it', () => {
    const registry = registryWithRole();
    expect(() =>
      localIamService(registry)('putRolePolicy', {
        RoleName: 'govrec-police-analysts',
        PolicyName: 'deny',
        PolicyDocument: '{not json',
      }),
    ).toThrow(expect.objectContaining({ name: 'Iam.MalformedPolicyDocumentException' }));
    expect(registry.getRole('govrec-police-analysts').inlinePolicies).toEqual({});
  });

  it('refuses an action the definitions do not use', () => {
    expect(() => localIamService(registryWithRole())('deleteRole', { RoleName: 'govrec-police-analysts' })).toThrow(
      UnsupportedIamActionError,
    );
  });
});
