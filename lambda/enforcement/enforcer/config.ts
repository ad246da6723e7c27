/**
 * The enforcer's configuration, read once at module load: the settings compiled into the bundle,
 * the account, the restricted tag and the intake bucket.
 */
import { ENV } from '../../shared/contracts';
import { requireEnv, settingsFromEnv } from '../../shared/env';
import { systemClock } from '../../shared/moratorium';
import type { EnforcerDeps } from './types';

/** Build the dependencies from the environment (throws naming the first missing key). */
export const loadEnforcerDeps = (env: NodeJS.ProcessEnv = process.env): EnforcerDeps => ({
  settings: settingsFromEnv(),
  accountId: requireEnv(ENV.accountId, env),
  restrictedTag: { key: requireEnv(ENV.restrictedTagKey, env), value: requireEnv(ENV.restrictedTagValue, env) },
  intakeBucketArn: requireEnv(ENV.intakeBucketArn, env),
  clock: systemClock,
});
