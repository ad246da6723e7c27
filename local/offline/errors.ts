/**
 * Errors of the offline run. The CLI maps them to exit codes: a configuration or usage problem
 * is the user's to fix (exit 2), anything else is a failure of the run (exit 1).
 */

/** Base class of every error raised by `local/offline/`. */
export class OfflineRunError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OfflineRunError';
  }
}

/** The configuration file is missing or invalid, or an argument names something that does not exist. */
export class OfflineConfigError extends OfflineRunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OfflineConfigError';
  }
}

/** The synthesized template lacks something the run needs (a bucket, a function, a state machine). */
export class OfflineTemplateError extends OfflineRunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OfflineTemplateError';
  }
}

/** A step of the scenario did not end the way the pipeline guarantees (e.g. an upload without an outcome). */
export class ScenarioError extends OfflineRunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScenarioError';
  }
}
