/**
 * The environment a handler module runs with offline: the function's variables from the
 * template (names already resolved to the local stand-ins), then the stand-ins' endpoint
 * variables, then the run's own overrides.
 *
 * Two timings matter. Handler config modules read their variables once, at module load, so they
 * must be set before the first import. The SDK reads `AWS_ENDPOINT_URL_<SERVICE>` lazily, on a
 * client's first request, so endpoint variables must stay set for as long as handlers run:
 * restore the environment only when the run is over.
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
 * Set `env` on `process.env` and return a function that puts every touched variable back.
 * Call the restore function at the end of the run, not after the import (see above).
 *
 * @example
 * const restore = applyEnvironment(env);
 * const { handler } = require('../lambda/decision/handler');
 * // ... run the scenario ...
 * restore();
 */
export const applyEnvironment = (env: Readonly<Record<string, string>>): (() => void) => {
  const previous = new Map(Object.keys(env).map((key) => [key, process.env[key]] as const));
  Object.assign(process.env, env);
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
};
