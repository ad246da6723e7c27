/**
 * Errors of the offline run. The CLI maps them to exit codes: a configuration or usage problem
 * is the user's to fix (exit 2), anything else is a failure of the run (exit 1).
 */

import { GovrecError } from '../../lambda/shared/errors';

/** Base class of every error raised by `local/offline/`. */
export class OfflineRunError extends GovrecError {}

/** The configuration file is missing or invalid, or an argument names something that does not exist. */
export class OfflineConfigError extends OfflineRunError {}

/** The synthesized template lacks something the run needs (a bucket, a function, a state machine). */
export class OfflineTemplateError extends OfflineRunError {}

/** A step of the scenario did not end the way the pipeline guarantees (e.g. an upload without an outcome). */
export class ScenarioError extends OfflineRunError {}
