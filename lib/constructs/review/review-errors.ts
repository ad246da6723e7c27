/** Errors of the review console constructs: misuse found at synth, with the fix in the message. */

import { GovrecError } from '../../../lambda/shared/errors';

/** Base of every review console error. */
export class ReviewConsoleError extends GovrecError {}

/** The console was given pieces it cannot use. */
export class ReviewConsoleMisconfiguredError extends ReviewConsoleError {}
