/**
 * Runs one benchmark in this (fresh) process: `node --import tsx bench/run-one.ts <name>
 * --out <file> [--earlier <file>] [--quick]`. The runner starts one process per benchmark, so
 * a benchmark's heap, JIT state and loaded wasm never bend the next one's figures (and a V8
 * crash seen once on Node 20, after the 10,000-organisation Cedar run, stays contained).
 */
import './lib/quiet';
import { readFileSync, writeFileSync } from 'node:fs';
import { BenchSetupError } from './lib/errors';
import type { Metric } from './lib/types';
import { BENCHMARK_NAMES, isBenchmarkName, loadBenchmark } from './suite';

const main = async (): Promise<void> => {
  const [name, ...rest] = process.argv.slice(2);
  const option = (flag: string): string | undefined => {
    const at = rest.indexOf(flag);
    return at < 0 ? undefined : rest[at + 1];
  };
  const out = option('--out');
  if (name === undefined || !isBenchmarkName(name) || out === undefined)
    throw new BenchSetupError(
      `usage: run-one.ts <${BENCHMARK_NAMES.join('|')}> --out <file> [--earlier <file>] [--quick]`,
    );
  const benchmark = loadBenchmark(name);
  const earlierFile = option('--earlier');
  const earlier = earlierFile === undefined ? [] : (JSON.parse(readFileSync(earlierFile, 'utf8')) as Metric[]);
  const metrics = await benchmark.run({ quick: rest.includes('--quick'), earlier });
  writeFileSync(out, JSON.stringify(metrics));
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `\n${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error)}\n`,
    );
    process.exit(1);
  },
);
