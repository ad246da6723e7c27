/**
 * Who is calling: turns the principal id of an S3 event (`AWS:AROA...:session`) into a
 * registered role, its organisation and category.
 *
 * The registry names roles by ARN, but events name them by unique role id (AROA...). The
 * resolver asks IAM (`GetRole`) for each registered role of this account, maps RoleId -> role,
 * and caches the map for a while. A role that was deleted and recreated gets a new RoleId, so a
 * stale ARN never authorises its successor. Anything it cannot resolve is unknown (denied); so
 * is every unregistered role, whatever its tags (its tags only matter once it is registered).
 */
import { GetRoleCommand, type IAMClient, type Role } from '@aws-sdk/client-iam';
import type { ResolvedCaller } from '../shared/decision';
import { systemClock, type Clock } from '../shared/moratorium';
import { isRestrictedCategory, type GovernanceSettings } from '../shared/settings';
import { IdentityResolutionError } from './errors';

/** A registered role as IAM confirmed it. */
export interface RegisteredRole {
  readonly roleId: string;
  readonly roleArn: string;
  readonly orgId: string;
  readonly category: string;
  /** The role carries the restricted tag (restricted whatever its registration). */
  readonly taggedRestricted: boolean;
}

/** A caller resolved against the registry; `role` is absent for unknown callers. */
export interface CallerIdentity extends ResolvedCaller {
  readonly role?: RegisteredRole;
}

/** What `decide` needs from identity resolution (so tests and benchmarks can stub it). */
export interface CallerResolver {
  resolve(principalId: string): Promise<CallerIdentity>;
}

export interface IdentityResolverOptions {
  readonly iam: Pick<IAMClient, 'send'>;
  readonly settings: GovernanceSettings;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default 600 (10 minutes) */
  readonly cacheTtlSeconds?: number;
  /** @default { key: 'govrec:category', value: 'police' } */
  readonly restrictedTag?: { readonly key: string; readonly value: string };
  /** This account; roles registered in other accounts are skipped without a call. @default - not checked before the call */
  readonly accountId?: string;
  /** Concurrent GetRole calls. @default 5 */
  readonly concurrency?: number;
  /** Where skipped roles are reported. @default - silent */
  readonly log?: (message: string, details: Record<string, unknown>) => void;
}

/** The role unique id in a principal id: `AWS:AROA...:session` or `AROA...:session`; IAM users (AIDA...) and others are not roles. */
export const roleIdOf = (principalId: string): string | undefined => {
  const withoutPrefix = principalId.startsWith('AWS:') ? principalId.slice(4) : principalId;
  const [id] = withoutPrefix.split(':');
  return id !== undefined && /^AROA[A-Z0-9]+$/.test(id) ? id : undefined;
};

/** The role name from an ARN, paths included: `arn:aws:iam::1:role/team/x` -> `x`. */
export const roleNameOf = (roleArn: string): string => roleArn.slice(roleArn.lastIndexOf('/') + 1);

const accountOf = (arn: string): string | undefined => arn.split(':')[4];

/** The caller record for a role id and what the registry knows of it (nothing: unknown). */
export const callerFor = (principalId: string, roleId: string, role: RegisteredRole | undefined, settings: GovernanceSettings): CallerIdentity =>
  role === undefined
    ? { principalId, roleId, restricted: false }
    : {
        principalId,
        roleId,
        roleArn: role.roleArn,
        orgId: role.orgId,
        category: role.category,
        restricted: role.taggedRestricted || isRestrictedCategory(settings, role.category),
        role,
      };

/** Run `work` over `items` with at most `limit` in flight. */
const mapLimited = async <T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
};

/**
 * Resolves principal ids through IAM, with a TTL cache of the whole registry.
 *
 * @example
 * const resolver = new IdentityResolver({ iam: new IAMClient({}), settings });
 * const caller = await resolver.resolve('AWS:AROAEXAMPLE:upload-session');
 */
export class IdentityResolver implements CallerResolver {
  private cache: { readonly byRoleId: ReadonlyMap<string, RegisteredRole>; readonly loadedAt: number } | undefined;
  private loading: Promise<ReadonlyMap<string, RegisteredRole>> | undefined;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly tag: { readonly key: string; readonly value: string };

  constructor(private readonly options: IdentityResolverOptions) {
    this.clock = options.clock ?? systemClock;
    this.ttlMs = (options.cacheTtlSeconds ?? 600) * 1000;
    this.tag = options.restrictedTag ?? { key: 'govrec:category', value: 'police' };
  }

  /** Resolve a caller. Throws {@link IdentityResolutionError} when IAM confirmed no role at all. */
  async resolve(principalId: string): Promise<CallerIdentity> {
    const roleId = roleIdOf(principalId);
    if (roleId === undefined) return { principalId, restricted: false };
    return callerFor(principalId, roleId, (await this.registry()).get(roleId), this.options.settings);
  }

  /** The RoleId map, loaded once per TTL; concurrent callers share one load. */
  async registry(): Promise<ReadonlyMap<string, RegisteredRole>> {
    const now = this.clock.now().getTime();
    if (this.cache !== undefined && now - this.cache.loadedAt < this.ttlMs) return this.cache.byRoleId;
    this.loading ??= this.load(now).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(now: number): Promise<ReadonlyMap<string, RegisteredRole>> {
    const wanted = this.options.settings.organisations.flatMap((org) =>
      org.roleArns.map((roleArn) => ({ roleArn, orgId: org.id, category: org.category })),
    );
    const inAccount = wanted.filter((w) => {
      const foreign = this.options.accountId !== undefined && accountOf(w.roleArn) !== this.options.accountId;
      if (foreign) this.options.log?.('Registered role is in another account; callers through it are unknown', { roleArn: w.roleArn });
      return !foreign;
    });
    const failures: unknown[] = [];
    const found = await mapLimited(inAccount, this.options.concurrency ?? 5, async (w): Promise<RegisteredRole | undefined> => {
      let role: Role | undefined;
      try {
        role = (await this.options.iam.send(new GetRoleCommand({ RoleName: roleNameOf(w.roleArn) }))).Role;
      } catch (error) {
        failures.push(error);
        this.options.log?.('GetRole failed; callers through this role are unknown', { roleArn: w.roleArn, error: (error as Error).name });
        return undefined;
      }
      // The name alone is looked up in this account: a same-named role elsewhere or on another path is not the registered one.
      if (role?.RoleId === undefined || role.Arn !== w.roleArn) {
        this.options.log?.('IAM returned a different role than registered; callers through it are unknown', { roleArn: w.roleArn, returnedArn: role?.Arn });
        return undefined;
      }
      const taggedRestricted = (role.Tags ?? []).some((t) => t.Key === this.tag.key && t.Value === this.tag.value);
      return { roleId: role.RoleId, roleArn: w.roleArn, orgId: w.orgId, category: w.category, taggedRestricted };
    });
    if (inAccount.length > 0 && failures.length === inAccount.length) {
      // Nothing confirmed: fail closed rather than fall back to a stale map.
      throw new IdentityResolutionError(`IAM GetRole failed for all ${inAccount.length} registered roles`, { cause: failures[0] });
    }
    const byRoleId = new Map(found.filter((r): r is RegisteredRole => r !== undefined).map((r) => [r.roleId, r]));
    this.cache = { byRoleId, loadedAt: now };
    return byRoleId;
  }
}
