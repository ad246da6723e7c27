/**
 * The environment a handler module runs with offline: the function's variables from the
 * template (names already resolved to the local stand-ins), then the stand-ins' endpoint
 * variables, then the run's own overrides. Handler config modules read the environment once at
 * module load, so the environment must be in place when the module is first imported.
 */
import type { LocalFunction } from './template';

// Variables that steer the Node process itself rather than the handler; applying them to the
// shared offline process would change it for every other handler too.
const PROCESS_LEVEL = new Set(['NODE_OPTIONS', 'AWS_LAMBDA_EXEC_WRAPPER']);

/**
 * Merge, later wins: template variables, stand-in endpoint variables, overrides.
 *
 * @example
 * const env = handlerEnvironment(stack.functionByPrefix('GovernedRecognitionRecognitionWorker'), [s3.env, ddb.env, lambda.env], { GOVREC_SETTINGS: JSON.stringify(settings) });
 */
export const handlerEnvironment = (
  fn: Pick<LocalFunction, 'environment'>,
  standIns: readonly Readonly<Record<string, string>>[] = [],
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> => {
  const fromTemplate = Object.fromEntries(Object.entries(fn.environment).filter(([key]) => !PROCESS_LEVEL.has(key)));
  return Object.assign({}, fromTemplate, ...standIns, overrides) as Record<string, string>;
};

/**
 * Run `load` (typically the first import of a handler module) with `env` applied to
 * `process.env`, then put the previous values back, also when `load` throws.
 *
 * @example
 * const { handler } = await withEnvironment(env, () => import('../lambda/policy/handler'));
 */
export const withEnvironment = async <T>(env: Readonly<Record<string, string>>, load: () => Promise<T> | T): Promise<T> => {
  const previous = new Map(Object.keys(env).map((key) => [key, process.env[key]] as const));
  Object.assign(process.env, env);
  try {
    return await load();
  } finally {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
};
