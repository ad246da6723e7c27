/**
 * Listing the account's roles with their tags, behind a small reader interface so tests and the
 * offline run use an in-memory registry and production uses the IAM client.
 */
import { type IAMClient, paginateListRoles, paginateListRoleTags } from '@aws-sdk/client-iam';
import { RoleListingError } from './errors';

/** A role as a listing names it. */
export interface RoleRef {
  readonly roleArn: string;
  readonly roleName: string;
}

/** A role and its tags. */
export interface RoleWithTags extends RoleRef {
  readonly tags: Readonly<Record<string, string>>;
}

/** The IAM reads the sweep and restore need (all read-only). */
export interface RoleReader {
  /** The account's roles, a page at a time. */
  listRoles(): AsyncIterable<readonly RoleRef[]>;
  listRoleTags(roleName: string): Promise<Record<string, string>>;
}

/** A reader backed by the AWS SDK IAM client and its paginators. */
export const iamRoleReader = (client: IAMClient): RoleReader => ({
  async *listRoles() {
    for await (const page of paginateListRoles({ client, pageSize: 1000 }, {})) {
      yield (page.Roles ?? []).map((role) => ({ roleArn: role.Arn ?? '', roleName: role.RoleName ?? '' }));
    }
  },
  async listRoleTags(roleName) {
    const tags: Record<string, string> = {};
    for await (const page of paginateListRoleTags({ client }, { RoleName: roleName })) {
      for (const tag of page.Tags ?? []) tags[tag.Key ?? ''] = tag.Value ?? '';
    }
    return tags;
  },
});

/** Every role of the account with its tags, following pagination to the end. */
export const listRolesWithTags = async (reader: RoleReader): Promise<RoleWithTags[]> => {
  const result: RoleWithTags[] = [];
  try {
    for await (const page of reader.listRoles()) {
      for (const role of page) result.push({ ...role, tags: await reader.listRoleTags(role.roleName) });
    }
  } catch (error) {
    throw new RoleListingError(`Listing roles failed after ${result.length} roles`, { cause: error });
  }
  return result;
};
