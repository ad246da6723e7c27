/**
 * Reading the environment, once, at module load. A missing key is an error that names it:
 * a function that cannot know its buckets or settings must not start (fail closed).
 */
import { type GovernanceSettings, parseGovernance } from './settings';

export class MissingEnvironmentError extends Error {
  constructor(readonly key: string) {
    super(`Environment variable ${key} is required but not set`);
    this.name = 'MissingEnvironmentError';
  }
}

export const requireEnv = (key: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[key];
  if (value === undefined || value === '') throw new MissingEnvironmentError(key);
  return value;
};

export const optionalIntEnv = (key: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number => {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`Environment variable ${key} must be a non-negative integer, got "${raw}"`);
  return value;
};

/**
 * The governance settings compiled into the bundle (`GOVREC_SETTINGS` is replaced by esbuild's
 * `define` at synth) or, when running from source (tests, offline run), set in the environment.
 */
export const settingsFromEnv = (
  // Written as a literal `process.env.GOVREC_SETTINGS` so esbuild's `define` can inline it.
  raw: string | undefined = process.env.GOVREC_SETTINGS,
): GovernanceSettings => {
  if (raw === undefined || raw === '') throw new MissingEnvironmentError('GOVREC_SETTINGS');
  return parseGovernance(JSON.parse(raw), 'GOVREC_SETTINGS');
};

/** Names of the environment variables the CDK app sets and the functions read. */
export const ENV = {
  settings: 'GOVREC_SETTINGS',
  auditTable: 'AUDIT_TABLE_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  quarantineBucket: 'QUARANTINE_BUCKET_NAME',
  resultsBucket: 'RESULTS_BUCKET_NAME',
  policyFunction: 'POLICY_FUNCTION_NAME',
  policyTimeoutMs: 'POLICY_TIMEOUT_MS',
  maxReceiveCount: 'MAX_RECEIVE_COUNT',
  identityCacheTtlSeconds: 'IDENTITY_CACHE_TTL_SECONDS',
  restrictedTagKey: 'RESTRICTED_TAG_KEY',
  restrictedTagValue: 'RESTRICTED_TAG_VALUE',
} as const;
