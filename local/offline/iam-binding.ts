/**
 * The enforcement workflows' IAM tasks (`aws-sdk:iam:*`) served by the offline run's IAM
 * registry, so the deny documents they write land on the very roles the policy Lambda reads and
 * `evaluateAccess` judges. Answers have the SDK integration's shapes; errors carry the names
 * Step Functions gives them (`Iam.NoSuchEntityException`), so the definitions' Catch clauses match.
 */
import { GovrecError } from '../../lambda/shared/errors';
import { type LocalIamRegistry, NoSuchEntityError } from '../iam/registry';
import type { Json } from '../stepfunctions';
import { sfnError } from '../stepfunctions';

/** Raised for an IAM action the enforcement definitions do not use. */
export class UnsupportedIamActionError extends GovrecError {
  constructor(action: string) {
    super(`The offline IAM binding does not implement iam:${action}`);
    this.name = 'Local.UnsupportedIamAction';
  }
}

const text = (parameters: Record<string, unknown>, field: string): string => {
  const value = parameters[field];
  if (typeof value !== 'string' || value === '') throw sfnError('Iam.ValidationException', `${field} is required`);
  return value;
};

const serve = (registry: LocalIamRegistry, action: string, parameters: Record<string, unknown>): Json => {
  switch (action) {
    case 'getRole': {
      const role = registry.getRole(text(parameters, 'RoleName'));
      return {
        Role: {
          RoleName: role.roleName,
          RoleId: role.roleId,
          Arn: role.arn,
          Path: role.path,
          Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })),
        },
      };
    }
    case 'listRoleTags':
      return {
        Tags: Object.entries(registry.getRole(text(parameters, 'RoleName')).tags).map(([Key, Value]) => ({
          Key,
          Value,
        })),
        IsTruncated: false,
      };
    case 'getRolePolicy': {
      const roleName = text(parameters, 'RoleName');
      const policyName = text(parameters, 'PolicyName');
      // IAM returns documents URL-encoded; the definitions decode them.
      return {
        RoleName: roleName,
        PolicyName: policyName,
        PolicyDocument: encodeURIComponent(registry.getRolePolicy(roleName, policyName)),
      };
    }
    case 'putRolePolicy': {
      const document = text(parameters, 'PolicyDocument');
      try {
        JSON.parse(document);
      } catch {
        throw sfnError('Iam.MalformedPolicyDocumentException', 'The policy document is not JSON');
      }
      registry.putRolePolicy(text(parameters, 'RoleName'), text(parameters, 'PolicyName'), document);
      return {};
    }
    case 'deleteRolePolicy':
      registry.deleteRolePolicy(text(parameters, 'RoleName'), text(parameters, 'PolicyName'));
      return {};
    case 'tagRole':
      registry.tagRole(text(parameters, 'RoleName'), (parameters.Tags ?? []) as { Key: string; Value: string }[]);
      return {};
    case 'untagRole':
      registry.untagRole(text(parameters, 'RoleName'), (parameters.TagKeys ?? []) as string[]);
      return {};
    default:
      throw new UnsupportedIamActionError(action);
  }
};

/**
 * Serve one `aws-sdk:iam:<action>` task from the registry.
 *
 * @example
 * const service = (s, a, p, i) => (s === 'iam' ? localIamService(registry)(a, p) : recorders.service(s, a, p));
 */
export const localIamService =
  (registry: LocalIamRegistry) =>
  (action: string, parameters: Json): Json => {
    try {
      return serve(registry, action, parameters as Record<string, unknown>);
    } catch (error) {
      if (error instanceof NoSuchEntityError) throw sfnError('Iam.NoSuchEntityException', error.message);
      throw error;
    }
  };
