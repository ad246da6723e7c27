/**
 * Listing the account's roles with their tags, behind a small reader interface so tests and the
 * offline run use an in-memory registry and production uses the IAM client.
 */
import { type IAMClient, ListRolePoliciesCommand, ListRolesCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { RoleListingError } from './errors';

/** A role and its tags. */
export interface RoleWithTags {
  readonly roleArn: string;
  readonly roleName: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The IAM reads the sweep and restore need (all read-only). */
export interface RoleReader {
  /** One page of roles; `marker` continues a truncated listing. */
  listRoles(marker?: string): Promise<{ roles: { roleArn: string; roleName: string }[]; marker?: string }>;
  listRoleTags(roleName: string): Promise<Record<string, string>>;
  /** Names of the role's inline policies. */
  listRolePolicies(roleName: string): Promise<string[]>;
}

/** A reader backed by the AWS SDK IAM client. */
export const iamRoleReader = (client: IAMClient): RoleReader => ({
  async listRoles(marker) {
    const page = await client.send(new ListRolesCommand({ Marker: marker, MaxItems: 1000 }));
    return {
      roles: (page.Roles ?? []).map((role) => ({ roleArn: role.Arn ?? '', roleName: role.RoleName ?? '' })),
      marker: page.IsTruncated === true ? page.Marker : undefined,
    };
  },
  async listRoleTags(roleName) {
    const tags: Record<string, string> = {};
    let marker: string | undefined;
    do {
      const page = await client.send(new ListRoleTagsCommand({ RoleName: roleName, Marker: marker }));
      for (const tag of page.Tags ?? []) tags[tag.Key ?? ''] = tag.Value ?? '';
      marker = page.IsTruncated === true ? page.Marker : undefined;
    } while (marker !== undefined);
    return tags;
  },
  async listRolePolicies(roleName) {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
      names.push(...(page.PolicyNames ?? []));
      marker = page.IsTruncated === true ? page.Marker : undefined;
    } while (marker !== undefined);
    return names;
  },
});

/** Every role of the account with its tags, following pagination to the end. */
export const listRolesWithTags = async (reader: RoleReader): Promise<RoleWithTags[]> => {
  const result: RoleWithTags[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await reader.listRoles(marker);
      for (const role of page.roles) result.push({ ...role, tags: await reader.listRoleTags(role.roleName) });
      marker = page.marker;
    } while (marker !== undefined);
  } catch (error) {
    throw new RoleListingError(`Listing roles failed after ${result.length} roles`, { cause: error });
  }
  return result;
};
