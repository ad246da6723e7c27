/**
 * Loading the registered roles from IAM, two ways:
 *
 * - `GetRole` per registered role (few roles: one call each, tags included), and
 * - `ListRoles` pages of 1,000 (many roles: a handful of calls for the whole account; ListRoles
 *   does not return tags, so a role's tags are read with `GetRole` when it first calls).
 *
 * Both agree on what "absent" means: IAM says the role does not exist (NoSuchEntity), IAM returns
 * a different role than the registered ARN, or the role is in another account. Every other error
 * fails the load (nothing is cached, the next request retries): a throttled or refused call says
 * nothing about the role, and must not turn a registered caller into an unknown one for a TTL.
 */
import { GetRoleCommand, type IAMClient, paginateListRoles, type Role } from '@aws-sdk/client-iam';
import { accountOfArn } from '../shared/arn';
import type { GovernanceSettings } from '../shared/settings';
import { IdentityResolutionError } from './errors';

/** A registered role IAM confirmed; `taggedRestricted` is undefined until its tags were read. */
export interface LoadedRole {
  readonly roleId: string;
  readonly roleArn: string;
  readonly orgId: string;
  readonly category: string;
  readonly taggedRestricted?: boolean;
}

/** A role the registry names, with its organisation. */
export interface WantedRole {
  readonly roleArn: string;
  readonly orgId: string;
  readonly category: string;
}

export interface RoleLoaderOptions {
  readonly iam: IAMClient;
  readonly tag: { readonly key: string; readonly value: string };
  /** This account, when known; otherwise it is learnt from the ARNs IAM returns. */
  readonly accountId?: string;
  readonly concurrency: number;
  readonly log?: (message: string, details: Record<string, unknown>) => void;
}

/** Most role ARNs logged by name in one summary line. */
const LOGGED_ARNS = 10;

/** The account of a role ARN. */
export const accountOf = accountOfArn;

/** The role name from an ARN, paths included: `arn:aws:iam::1:role/team/x` -> `x`. */
export const roleNameOf = (roleArn: string): string => roleArn.slice(roleArn.lastIndexOf('/') + 1);

export const isNoSuchEntity = (error: unknown): boolean => {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
};

const describe = (error: unknown): string => `${(error as Error).name}: ${(error as Error).message}`;

/** Every role ARN of the registry with its organisation. */
export const wantedRoles = (settings: GovernanceSettings): WantedRole[] =>
  settings.organisations.flatMap((org) =>
    org.roleArns.map((roleArn) => ({ roleArn, orgId: org.id, category: org.category })),
  );

export const hasTag = (role: Role, tag: RoleLoaderOptions['tag']): boolean =>
  (role.Tags ?? []).some((t) => t.Key === tag.key && t.Value === tag.value);

/** Run `work` over `items` with at most `limit` in flight; stops starting new work once `stop()` is true. */
const mapLimited = async <T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  stop: () => boolean,
): Promise<R[]> => {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop()) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
};

/**
 * `GetRole` for each wanted role. Throws {@link IdentityResolutionError} naming the first role
 * whose lookup failed for any reason other than the role being absent.
 */
export const loadByGetRole = async (
  wanted: readonly WantedRole[],
  options: RoleLoaderOptions,
): Promise<LoadedRole[]> => {
  type Outcome = { readonly w: WantedRole; readonly role?: Role; readonly error?: unknown };
  let fatal = false;
  // GetRole looks a name up in this account only, so a returned ARN tells which account that is.
  let learnt = options.accountId;
  const outcomes = await mapLimited(
    wanted,
    options.concurrency,
    async (w): Promise<Outcome> => {
      try {
        const role = (await options.iam.send(new GetRoleCommand({ RoleName: roleNameOf(w.roleArn) }))).Role;
        if (role?.Arn !== undefined) learnt ??= accountOf(role.Arn);
        return { w, role };
      } catch (error) {
        // An error but NoSuchEntity on a role of this account fails the load: stop calling IAM.
        if (!isNoSuchEntity(error) && learnt !== undefined && accountOf(w.roleArn) === learnt) fatal = true;
        return { w, error };
      }
    },
    () => fatal,
  );
  const own = learnt;
  const failures: Outcome[] = [];
  const loaded: LoadedRole[] = [];
  for (const outcome of outcomes) {
    if (outcome === undefined) continue;
    const { w, role, error } = outcome;
    if (error !== undefined) {
      if (isNoSuchEntity(error))
        options.log?.('IAM has no such role; callers through it are unknown', {
          roleArn: w.roleArn,
          error: (error as Error).name,
        });
      else if (own !== undefined && accountOf(w.roleArn) !== own)
        options.log?.('Registered role is in another account; callers through it are unknown', { roleArn: w.roleArn });
      else failures.push(outcome);
      continue;
    }
    // The name alone is looked up in this account: a same-named role elsewhere or on another path is not the registered one.
    if (role?.RoleId === undefined || role.Arn !== w.roleArn) {
      options.log?.('IAM returned a different role than registered; callers through it are unknown', {
        roleArn: w.roleArn,
        returnedArn: role?.Arn,
      });
      continue;
    }
    loaded.push({
      roleId: role.RoleId,
      roleArn: w.roleArn,
      orgId: w.orgId,
      category: w.category,
      taggedRestricted: hasTag(role, options.tag),
    });
  }
  const first = failures[0];
  if (first !== undefined) {
    throw new IdentityResolutionError(
      `IAM GetRole failed for registered role ${first.w.roleArn} (${describe(first.error)}); ${failures.length} of ${wanted.length} lookups failed, nothing cached`,
      { cause: first.error },
    );
  }
  return loaded;
};

/**
 * Every role of this account through `ListRoles` (1,000 a page), kept when its ARN is registered.
 * Tags are not in ListRoles answers: `taggedRestricted` stays undefined (read on first use).
 * Any error fails the load.
 */
export const loadByListRoles = async (
  wanted: readonly WantedRole[],
  options: RoleLoaderOptions,
): Promise<LoadedRole[]> => {
  const byArn = new Map(wanted.map((w) => [w.roleArn, w]));
  const loaded: LoadedRole[] = [];
  let pages = 0;
  for await (const page of paginateListRoles({ client: options.iam, pageSize: 1000 }, {})) {
    pages += 1;
    for (const role of page.Roles ?? []) {
      const w = role.Arn !== undefined ? byArn.get(role.Arn) : undefined;
      if (w === undefined || role.RoleId === undefined) continue;
      loaded.push({ roleId: role.RoleId, roleArn: w.roleArn, orgId: w.orgId, category: w.category });
      byArn.delete(w.roleArn);
    }
  }
  if (byArn.size > 0) {
    const missing = [...byArn.keys()];
    options.log?.(
      'Registered roles not in this account (absent or another account); callers through them are unknown',
      {
        count: missing.length,
        roleArns: missing.slice(0, LOGGED_ARNS),
        pages,
      },
    );
  }
  return loaded;
};

/**
 * Read one loaded role's restricted tag with `GetRole`. Undefined when the role is gone or is no
 * longer the one loaded (deleted and recreated: another RoleId); other errors are thrown.
 */
export const readTaggedRestricted = async (
  role: LoadedRole,
  options: Pick<RoleLoaderOptions, 'iam' | 'tag'>,
): Promise<boolean | undefined> => {
  let answer: Role | undefined;
  try {
    answer = (await options.iam.send(new GetRoleCommand({ RoleName: roleNameOf(role.roleArn) }))).Role;
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw new IdentityResolutionError(
      `IAM GetRole failed for ${role.roleArn} while reading its tags (${describe(error)})`,
      { cause: error },
    );
  }
  if (answer?.RoleId !== role.roleId || answer.Arn !== role.roleArn) return undefined;
  return hasTag(answer, options.tag);
};
