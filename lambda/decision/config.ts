/**
 * The policy function's environment, read and validated once at module load.
 */
import { DEFAULTS, ENV } from '../shared/contracts';
import { optionalIntEnv, requireEnv, settingsFromEnv } from '../shared/env';
import type { GovernanceSettings } from '../shared/settings';

export interface PolicyConfig {
  readonly auditTableName: string;
  readonly settings: GovernanceSettings;
  readonly identityCacheTtlSeconds: number;
  readonly restrictedTag: { readonly key: string; readonly value: string };
  /** Registered roles above which identity loads with ListRoles pages (needs iam:ListRoles; falls back to GetRole). */
  readonly identityListRolesAbove: number;
}

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
  identityCacheTtlSeconds: optionalIntEnv(ENV.identityCacheTtlSeconds, DEFAULTS.identityCacheTtlSeconds, env),
  restrictedTag: {
    key: env[ENV.restrictedTagKey] || DEFAULTS.restrictedTag.key,
    value: env[ENV.restrictedTagValue] || DEFAULTS.restrictedTag.value,
  },
  identityListRolesAbove: optionalIntEnv(ENV.identityListRolesAbove, DEFAULTS.listRolesAbove, env),
});
