/** The benchmarks in run order (the paper estimates last: they read the measured figures). */
import type { Benchmark } from './lib/types';
import { coldStart } from './cold-start';
import { enforcementLatency } from './enforcement';
import { governanceOverhead } from './governance';
import { policyLatency } from './policy';
import { scaleOnPaper } from './scale';

export const BENCHMARKS: readonly Benchmark[] = [policyLatency, governanceOverhead, coldStart, enforcementLatency, scaleOnPaper];
