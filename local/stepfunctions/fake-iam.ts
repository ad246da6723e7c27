/**
 * An in-memory IAM role registry: roles with inline policies and tags, answering the calls the
 * enforcement workflows make with IAM's shapes and error names (Step Functions spelling), and
 * recording every call so tests can assert on writes.
 */
import type { RoleReader } from '../../lambda/enforcement/roles/roles';

/** A stored role. Inline policy documents are kept as written (JSON text). */
export interface FakeRole {
  readonly arn: string;
  readonly name: string;
  readonly tags: Map<string, string>;
  readonly inlinePolicies: Map<string, string>;
}

/** One recorded IAM call. */
export interface IamCall {
  readonly action: string;
  readonly roleName?: string;
  readonly parameters: Record<string, unknown>;
}

/** An error as Step Functions names it (Catch and Retry match `name`). */
export const sfnError = (name: string, message: string): Error => Object.assign(new Error(message), { name });

/** IAM calls that change a role. */
export const IAM_WRITES = new Set(['putRolePolicy', 'deleteRolePolicy', 'tagRole', 'untagRole']);

/**
 * The registry.
 *
 * @example
 * const iam = new FakeIam('111111111111');
 * iam.addRole('govrec-police-analysts', { 'govrec:category': 'police' });
 */
export class FakeIam {
  readonly roles = new Map<string, FakeRole>();
  readonly calls: IamCall[] = [];

  constructor(readonly accountId: string) {}

  /** Add a role (name without path) with tags. */
  addRole(name: string, tags: Record<string, string> = {}): FakeRole {
    const role: FakeRole = {
      arn: `arn:aws:iam::${this.accountId}:role/${name}`,
      name,
      tags: new Map(Object.entries(tags)),
      inlinePolicies: new Map(),
    };
    this.roles.set(name, role);
    return role;
  }

  role(name: string): FakeRole {
    const role = this.roles.get(name);
    if (role === undefined) throw sfnError('Iam.NoSuchEntityException', `The role with name ${name} cannot be found.`);
    return role;
  }

  /** Calls that changed a role. */
  writes(): IamCall[] {
    return this.calls.filter((call) => IAM_WRITES.has(call.action));
  }

  /** Serve one SDK action (camelCase, as in the Task resource). */
  call(action: string, parameters: Record<string, unknown>): unknown {
    const roleName = typeof parameters.RoleName === 'string' ? parameters.RoleName : undefined;
    this.calls.push({ action, roleName, parameters });
    switch (action) {
      case 'listRoleTags':
        return { Tags: [...this.role(roleName!).tags].map(([Key, Value]) => ({ Key, Value })), IsTruncated: false };
      case 'getRolePolicy': {
        const document = this.role(roleName!).inlinePolicies.get(String(parameters.PolicyName));
        if (document === undefined)
          throw sfnError(
            'Iam.NoSuchEntityException',
            `The role policy with name ${String(parameters.PolicyName)} cannot be found.`,
          );
        // IAM returns the document URL-encoded.
        return { RoleName: roleName, PolicyName: parameters.PolicyName, PolicyDocument: encodeURIComponent(document) };
      }
      case 'putRolePolicy':
        JSON.parse(String(parameters.PolicyDocument)); // IAM rejects malformed documents; so does the double
        this.role(roleName!).inlinePolicies.set(String(parameters.PolicyName), String(parameters.PolicyDocument));
        return {};
      case 'deleteRolePolicy': {
        const role = this.role(roleName!);
        if (!role.inlinePolicies.delete(String(parameters.PolicyName)))
          throw sfnError(
            'Iam.NoSuchEntityException',
            `The role policy with name ${String(parameters.PolicyName)} cannot be found.`,
          );
        return {};
      }
      case 'tagRole':
        for (const tag of parameters.Tags as { Key: string; Value: string }[])
          this.role(roleName!).tags.set(tag.Key, tag.Value);
        return {};
      case 'untagRole':
        for (const key of parameters.TagKeys as string[]) this.role(roleName!).tags.delete(key);
        return {};
      default:
        throw sfnError('Local.UnsupportedIamAction', `FakeIam does not implement ${action}`);
    }
  }

  /** A reader for the role-listing Lambda, paginating `pageSize` roles at a time. */
  reader(pageSize = 2): RoleReader {
    const roles = this.roles;
    const calls = this.calls;
    return {
      listRoles: async function* () {
        const all = [...roles.values()];
        for (let from = 0; from === 0 || from < all.length; from += pageSize) {
          calls.push({ action: 'listRoles', parameters: { Marker: from === 0 ? undefined : String(from) } });
          yield all.slice(from, from + pageSize).map((role) => ({ roleArn: role.arn, roleName: role.name }));
        }
      },
      listRoleTags: async (roleName: string) => Object.fromEntries(this.role(roleName).tags),
    };
  }
}
