/**
 * The benchmarks in run order (the paper estimates last: they read the measured figures).
 * Each is loaded only in the process that runs it: loading them all put the Step Functions
 * polyfill, aws-cdk-lib and esbuild into every process, and the policy benchmark then hit a V8
 * deoptimizer crash ("unreachable code") on Node 20.20 in most runs.
 */
import type { Benchmark } from './lib/types';

export const BENCHMARK_NAMES = ['policy', 'governance', 'coldstart', 'enforcement', 'scale'] as const;
export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];

/** Titles for the runner, which must not load the modules themselves. */
export const BENCHMARK_TITLES: Record<BenchmarkName, string> = {
  policy: 'Policy decision latency in-process',
  governance: 'Governance overhead: governed vs ungoverned uploads, interleaved',
  coldstart: 'Cold start: bundle size and module initialisation per Lambda',
  enforcement: 'Enforcement latency, synthesized workflows executed locally',
  scale: 'Scale and cost on paper (estimates from measured inputs and public prices)',
};

/* eslint-disable @typescript-eslint/no-require-imports */
const LOADERS: Record<BenchmarkName, () => Benchmark> = {
  policy: () => (require('./policy') as typeof import('./policy')).policyLatency,
  governance: () => (require('./governance') as typeof import('./governance')).governanceOverhead,
  coldstart: () => (require('./cold-start') as typeof import('./cold-start')).coldStart,
  enforcement: () => (require('./enforcement') as typeof import('./enforcement')).enforcementLatency,
  scale: () => (require('./scale') as typeof import('./scale')).scaleOnPaper,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export const isBenchmarkName = (name: string): name is BenchmarkName =>
  (BENCHMARK_NAMES as readonly string[]).includes(name);

/** Load one benchmark's module and return it. */
export const loadBenchmark = (name: BenchmarkName): Benchmark => LOADERS[name]();
