/** Errors of the benchmarks: a failed sanity check must stop the run, never produce a number. */

/** Base class of benchmark errors. */
export class BenchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchError';
  }
}

/** A benchmark's own results are not what a working pipeline produces. */
export class BenchSanityError extends BenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchSanityError';
  }
}

/** A prerequisite (cdk.out, a bundle, a fixture) is missing or unusable. */
export class BenchSetupError extends BenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchSetupError';
  }
}
