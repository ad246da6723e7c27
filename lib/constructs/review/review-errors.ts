/** Errors of the review console constructs: misuse found at synth, with the fix in the message. */

/** Base of every review console error. */
export class ReviewConsoleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReviewConsoleError';
  }
}

/** The console was given pieces it cannot use. */
export class ReviewConsoleMisconfiguredError extends ReviewConsoleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReviewConsoleMisconfiguredError';
  }
}
