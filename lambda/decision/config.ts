/**
 * The policy function's environment, read and validated once at module load.
 */
import { ENV, optionalIntEnv, requireEnv, settingsFromEnv } from '../shared/env';
import type { GovernanceSettings } from '../shared/settings';
import { DEFAULT_LIST_ROLES_ABOVE } from './identity';

export interface PolicyConfig {
  readonly auditTableName: string;
  readonly settings: GovernanceSettings;
  readonly identityCacheTtlSeconds: number;
  readonly restrictedTag: { readonly key: string; readonly value: string };
  /** Registered roles above which identity loads with ListRoles pages (needs iam:ListRoles; falls back to GetRole). */
  readonly identityListRolesAbove: number;
}

/** Optional override of {@link DEFAULT_LIST_ROLES_ABOVE} (set by a deployment that grants iam:ListRoles). */
export const IDENTITY_LIST_ROLES_ABOVE_ENV = 'IDENTITY_LIST_ROLES_ABOVE';

/** Default lifetime of the RoleId map: short enough that a re-registered role is seen soon. */
export const DEFAULT_IDENTITY_CACHE_TTL_SECONDS = 600;
export const DEFAULT_RESTRICTED_TAG = { key: 'govrec:category', value: 'police' } as const;

/**
 * Read the configuration. Throws `MissingEnvironmentError` naming a missing key.
 *
 * @example
 * const config = loadPolicyConfig(); // AUDIT_TABLE_NAME, GOVREC_SETTINGS, IDENTITY_CACHE_TTL_SECONDS, RESTRICTED_TAG_*, IDENTITY_LIST_ROLES_ABOVE
 */
export const loadPolicyConfig = (env: NodeJS.ProcessEnv = process.env): PolicyConfig => ({
  auditTableName: requireEnv(ENV.auditTable, env),
  // With the real environment, let settingsFromEnv read the literal process.env.GOVREC_SETTINGS
  // that esbuild inlines; an injected environment (tests) is read directly.
  settings: env === process.env ? settingsFromEnv() : settingsFromEnv(env[ENV.settings]),
  identityCacheTtlSeconds: optionalIntEnv(ENV.identityCacheTtlSeconds, DEFAULT_IDENTITY_CACHE_TTL_SECONDS, env),
  restrictedTag: {
    key: env[ENV.restrictedTagKey] || DEFAULT_RESTRICTED_TAG.key,
    value: env[ENV.restrictedTagValue] || DEFAULT_RESTRICTED_TAG.value,
  },
  identityListRolesAbove: optionalIntEnv(IDENTITY_LIST_ROLES_ABOVE_ENV, DEFAULT_LIST_ROLES_ABOVE, env),
});
