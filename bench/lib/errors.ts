/** Errors of the benchmarks: a failed sanity check must stop the run, never produce a number. */

import { GovrecError } from '../../lambda/shared/errors';

/** Base class of benchmark errors. */
export class BenchError extends GovrecError {}

/** A benchmark's own results are not what a working pipeline produces. */
export class BenchSanityError extends BenchError {}

/** A prerequisite (cdk.out, a bundle, a fixture) is missing or unusable. */
export class BenchSetupError extends BenchError {}
