/**
 * Who is calling: turns the principal id of an S3 event (`AWS:AROA...:session`) into a
 * registered role, its organisation and category.
 *
 * The registry names roles by ARN, but events name them by unique role id (AROA...). The
 * resolver asks IAM for the registered roles of this account (see role-loader.ts: `GetRole` each
 * for a small registry, `ListRoles` pages for a large one), maps RoleId -> role, and caches the
 * map for a while. A failed load is never cached: the next request tries again. A role that was deleted and recreated gets a new RoleId, so a
 * stale ARN never authorises its successor. Anything it cannot resolve is unknown (denied); so
 * is every unregistered role, whatever its tags (its tags only matter once it is registered).
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { DEFAULTS } from '../shared/contracts';
import type { ResolvedCaller } from '../shared/decision';
import { type Clock, systemClock } from '../shared/moratorium';
import { type GovernanceSettings, isRestrictedCategory } from '../shared/settings';
import { IdentityResolutionError } from './errors';
import {
  accountOf,
  type LoadedRole,
  loadByGetRole,
  loadByListRoles,
  readTaggedRestricted,
  wantedRoles,
} from './role-loader';

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
  resolve(principalId: string, options?: ResolveOptions): Promise<CallerIdentity>;
}

/**
 * `freshTags`: read the caller's restricted tag from IAM now instead of the cached load. `decide`
 * asks for it whenever a restriction could change the answer (the moratorium in force, or barring
 * after its end, at the upload's instant or now), so a role tagged restricted is refused from its
 * very next decision; outside those times the tag cannot change a decision and the cache serves.
 */
export interface ResolveOptions {
  readonly freshTags?: boolean;
}

export interface IdentityResolverOptions {
  readonly iam: IAMClient;
  readonly settings: GovernanceSettings;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default 600 (10 minutes) */
  readonly cacheTtlSeconds?: number;
  /** @default { key: 'govrec:category', value: 'police' } */
  readonly restrictedTag?: { readonly key: string; readonly value: string };
  /** This account; roles registered in other accounts are skipped without a call. @default - learnt from IAM's answers */
  readonly accountId?: string;
  /** Concurrent GetRole calls. @default 5 */
  readonly concurrency?: number;
  /**
   * Above this many registered roles (of this account), load with `ListRoles` pages instead of
   * one `GetRole` each; tags are then read per calling role. Needs `iam:ListRoles`; when IAM
   * refuses it (AccessDenied) the resolver falls back to `GetRole` each. @default 100
   */
  readonly listRolesAbove?: number;
  /** Where skipped roles are reported. @default - silent */
  readonly log?: (message: string, details: Record<string, unknown>) => void;
}

/** The role unique id in a principal id: `AWS:AROA...:session` or `AROA...:session`; IAM users (AIDA...) and others are not roles. */
export const roleIdOf = (principalId: string): string | undefined => {
  const withoutPrefix = principalId.startsWith('AWS:') ? principalId.slice(4) : principalId;
  const [id] = withoutPrefix.split(':');
  return id !== undefined && /^AROA[A-Z0-9]+$/.test(id) ? id : undefined;
};

export type { LoadedRole } from './role-loader';
export { roleNameOf } from './role-loader';

/** The caller record for a role id and what the registry knows of it (nothing: unknown). */
export const callerFor = (
  principalId: string,
  roleId: string,
  role: RegisteredRole | undefined,
  settings: GovernanceSettings,
): CallerIdentity =>
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

/** Default of {@link IdentityResolverOptions.listRolesAbove}. */
export const DEFAULT_LIST_ROLES_ABOVE = DEFAULTS.listRolesAbove;

const isAccessDenied = (error: unknown): boolean =>
  /^AccessDenied/.test((error as { name?: string } | undefined)?.name ?? '');

interface Loaded {
  readonly byRoleId: ReadonlyMap<string, LoadedRole>;
  readonly loadedAt: number;
  /** Tag reads of this load, one per role (ListRoles loads only); a failed read is dropped. */
  readonly tags: Map<string, Promise<boolean | undefined>>;
}

/**
 * Resolves principal ids through IAM, with a TTL cache of the whole registry.
 *
 * @example
 * const resolver = new IdentityResolver({ iam: new IAMClient({}), settings });
 * resolver.warmUp(); // at module load: the first request awaits a load already under way
 * const caller = await resolver.resolve('AWS:AROAEXAMPLE:upload-session');
 */
export class IdentityResolver implements CallerResolver {
  private cache: Loaded | undefined;
  private loading: Promise<Loaded> | undefined;
  private warming: Promise<unknown> | undefined;
  private listRolesRefused = false;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly tag: { readonly key: string; readonly value: string };

  constructor(private readonly options: IdentityResolverOptions) {
    this.clock = options.clock ?? systemClock;
    this.ttlMs = (options.cacheTtlSeconds ?? DEFAULTS.identityCacheTtlSeconds) * 1000;
    this.tag = options.restrictedTag ?? DEFAULTS.restrictedTag;
  }

  /**
   * Start loading now (Lambda's init phase) so the first request finds the load under way or
   * done. A failed warm-up is logged, not cached, and the first request loads again.
   */
  warmUp(): void {
    this.warming ??= this.current().catch((error: unknown) => {
      this.options.log?.('Identity warm-up failed; the first request loads again', {
        error: `${(error as Error).name}: ${(error as Error).message}`,
      });
    });
  }

  /** Resolve a caller. Throws {@link IdentityResolutionError} when IAM could not be read. */
  async resolve(principalId: string, options: ResolveOptions = {}): Promise<CallerIdentity> {
    const roleId = roleIdOf(principalId);
    if (roleId === undefined) return { principalId, restricted: false };
    const loaded = await this.current();
    const entry = loaded.byRoleId.get(roleId);
    if (entry === undefined) return callerFor(principalId, roleId, undefined, this.options.settings);
    const tagged =
      options.freshTags === true
        ? await readTaggedRestricted(entry, { iam: this.options.iam, tag: this.tag })
        : (entry.taggedRestricted ?? (await this.tagsOf(loaded, entry)));
    return callerFor(
      principalId,
      roleId,
      tagged === undefined ? undefined : { ...entry, taggedRestricted: tagged },
      this.options.settings,
    );
  }

  /** The RoleId map of the current load (loaded if needed); `taggedRestricted` is undefined where tags were not read yet. */
  async registry(): Promise<ReadonlyMap<string, LoadedRole>> {
    return (await this.current()).byRoleId;
  }

  private async current(): Promise<Loaded> {
    if (this.warming !== undefined) {
      const warming = this.warming;
      await warming;
      if (this.warming === warming) this.warming = undefined;
    }
    const now = this.clock.now().getTime();
    const age = this.cache === undefined ? Number.NaN : now - this.cache.loadedAt;
    // A clock that went backwards (a simulated clock installed after init) also reloads.
    if (this.cache !== undefined && age >= 0 && age < this.ttlMs) return this.cache;
    this.loading ??= this.load(now).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private tagsOf(loaded: Loaded, entry: LoadedRole): Promise<boolean | undefined> {
    let read = loaded.tags.get(entry.roleId);
    if (read === undefined) {
      read = readTaggedRestricted(entry, { iam: this.options.iam, tag: this.tag });
      loaded.tags.set(entry.roleId, read);
      // A failed read is not kept: the next request for this role asks again.
      read.catch(() => loaded.tags.delete(entry.roleId));
    }
    return read;
  }

  private async load(now: number): Promise<Loaded> {
    const { accountId, log } = this.options;
    const wanted = wantedRoles(this.options.settings).filter((w) => {
      const foreign = accountId !== undefined && accountOf(w.roleArn) !== accountId;
      if (foreign)
        log?.('Registered role is in another account; callers through it are unknown', { roleArn: w.roleArn });
      return !foreign;
    });
    const loaderOptions = {
      iam: this.options.iam,
      tag: this.tag,
      concurrency: this.options.concurrency ?? 5,
      ...(accountId !== undefined ? { accountId } : {}),
      ...(log !== undefined ? { log } : {}),
    };
    let roles: LoadedRole[] | undefined;
    if (!this.listRolesRefused && wanted.length > (this.options.listRolesAbove ?? DEFAULT_LIST_ROLES_ABOVE)) {
      try {
        roles = await loadByListRoles(wanted, loaderOptions);
      } catch (error) {
        if (!isAccessDenied(error))
          throw new IdentityResolutionError(
            `IAM ListRoles failed (${(error as Error).name}: ${(error as Error).message}); nothing cached`,
            { cause: error },
          );
        // Not granted iam:ListRoles: GetRole each is slower but just as correct; stop asking.
        this.listRolesRefused = true;
        log?.('ListRoles is not permitted; loading registered roles with GetRole each', { roles: wanted.length });
      }
    }
    roles ??= await loadByGetRole(wanted, loaderOptions);
    const loaded: Loaded = { byRoleId: new Map(roles.map((r) => [r.roleId, r])), loadedAt: now, tags: new Map() };
    this.cache = loaded;
    return loaded;
  }
}
