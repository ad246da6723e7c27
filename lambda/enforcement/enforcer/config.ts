/**
 * The enforcer's configuration, read once at module load: the settings compiled into the bundle,
 * the account, the restricted tag and the intake bucket.
 */
import { ENV, requireEnv, settingsFromEnv } from '../../shared/env';
import { systemClock } from '../../shared/moratorium';
import type { EnforcerDeps } from './types';

/** Environment variables the enforcer reads besides the shared ones. */
export const ENFORCER_ENV = {
  accountId: 'GOVREC_ACCOUNT_ID',
  intakeBucketArn: 'INTAKE_BUCKET_ARN',
} as const;

/** Build the dependencies from the environment (throws naming the first missing key). */
export const loadEnforcerDeps = (env: NodeJS.ProcessEnv = process.env): EnforcerDeps => ({
  settings: settingsFromEnv(),
  accountId: requireEnv(ENFORCER_ENV.accountId, env),
  restrictedTag: { key: requireEnv(ENV.restrictedTagKey, env), value: requireEnv(ENV.restrictedTagValue, env) },
  intakeBucketArn: requireEnv(ENFORCER_ENV.intakeBucketArn, env),
  clock: systemClock,
});
