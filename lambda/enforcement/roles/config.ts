/** Configuration of the role-listing Lambda, read once at module load. */
import { IAMClient } from '@aws-sdk/client-iam';
import { ENV, requireEnv, settingsFromEnv } from '../../shared/env';
import { systemClock } from '../../shared/moratorium';
import type { PlanDeps } from './plan';
import { iamRoleReader } from './roles';

/** Build the planners' dependencies from the environment and the compiled-in settings. */
export const loadPlanDeps = (env: NodeJS.ProcessEnv = process.env): PlanDeps => ({
  settings: settingsFromEnv(),
  restrictedTag: { key: requireEnv(ENV.restrictedTagKey, env), value: requireEnv(ENV.restrictedTagValue, env) },
  reader: iamRoleReader(new IAMClient({})),
  clock: systemClock,
});
