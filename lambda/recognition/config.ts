/**
 * The recognition function's environment, read and validated once at module load. A missing
 * key stops the function (fail closed) with an error naming it.
 */
import { ENV, optionalIntEnv, requireEnv, settingsFromEnv } from '../shared/env';
import type { GovernanceSettings } from '../shared/settings';

export const DEFAULT_POLICY_TIMEOUT_MS = 5000;
/** The intake queue's maxReceiveCount when the environment does not say (the construct always does). */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;

export { messageBudgetMs } from '../shared/contracts';

export interface RecognitionConfig {
  readonly auditTableName: string;
  readonly idempotencyTableName: string;
  readonly quarantineBucket: string;
  readonly resultsBucket: string;
  readonly policyFunctionName: string;
  readonly policyTimeoutMs: number;
  /** The intake queue's maxReceiveCount: its receive records a fail-closed outcome instead of retrying. */
  readonly maxReceiveCount: number;
  /** `GOVREC_S3_FORCE_PATH_STYLE=true` for S3 stand-ins such as s3rver. */
  readonly s3ForcePathStyle: boolean;
  readonly settings: GovernanceSettings;
}

/** Read the configuration from `env` (the process environment by default). */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): RecognitionConfig => ({
  auditTableName: requireEnv(ENV.auditTable, env),
  idempotencyTableName: requireEnv(ENV.idempotencyTable, env),
  quarantineBucket: requireEnv(ENV.quarantineBucket, env),
  resultsBucket: requireEnv(ENV.resultsBucket, env),
  policyFunctionName: requireEnv(ENV.policyFunction, env),
  policyTimeoutMs: optionalIntEnv(ENV.policyTimeoutMs, DEFAULT_POLICY_TIMEOUT_MS, env),
  maxReceiveCount: optionalIntEnv(ENV.maxReceiveCount, DEFAULT_MAX_RECEIVE_COUNT, env),
  s3ForcePathStyle: env.GOVREC_S3_FORCE_PATH_STYLE === 'true',
  // settingsFromEnv reads the literal process.env.GOVREC_SETTINGS by default so esbuild can inline it.
  settings: env === process.env ? settingsFromEnv() : settingsFromEnv(env[ENV.settings]),
});
