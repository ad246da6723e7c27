/**
 * Errors raised by the offline run's local stand-ins. One base class so the CLI can tell a
 * stand-in failure (a port, a template, a server) apart from a handler's own error.
 */

import { GovrecError } from '../lambda/shared/errors';

/** Base class of every error thrown by `local/`. */
export class LocalStandInError extends GovrecError {}

/** A local server could not start or stop. */
export class LocalServerError extends LocalStandInError {}

/** The synthesized template is missing or does not contain what the offline run needs. */
export class TemplateError extends LocalStandInError {}

/** The in-process queue was used against its rules (e.g. settling a batch it did not deliver). */
export class LocalQueueError extends LocalStandInError {}

/** An upload through the local S3 did not produce the event the offline run expects. */
export class LocalS3Error extends LocalStandInError {}

/** The review report could not be built or written. */
export class ReportError extends LocalStandInError {}
