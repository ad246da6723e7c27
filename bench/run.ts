/**
 * `npm run bench`: runs every benchmark (or `--only <name>`), each in a fresh Node process
 * (`run-one.ts`), prints a table and writes the results. A full run writes `bench/results.json` and the figures section of `bench/README.md`;
 * a `--quick` or `--only` run writes `bench/.work/results.json` instead, so a partial run never
 * replaces the published figures. A failed sanity check stops the run with exit code 1.
 */
import './lib/quiet';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from './lib/args';
import { BenchError } from './lib/errors';
import { machineNotes } from './lib/machine';
import { nowMs } from './lib/measure';
import { BENCH_DIR, WORK_DIR } from './lib/repo';
import { type BenchResults, formatTable, resultsJson, updateReadmeFigures } from './lib/report';
import type { Metric } from './lib/types';
import { BENCHMARK_NAMES, BENCHMARK_TITLES, type BenchmarkName } from './suite';

/** Run one benchmark in a fresh process; its figures come back through a file. */
const runInChild = (name: BenchmarkName, quick: boolean, earlier: readonly Metric[]): Metric[] => {
  mkdirSync(WORK_DIR, { recursive: true });
  const earlierFile = join(WORK_DIR, 'earlier.json');
  const out = join(WORK_DIR, `${name}.json`);
  writeFileSync(earlierFile, JSON.stringify(earlier));
  writeFileSync(out, 'null');
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(BENCH_DIR, 'run-one.ts'),
      name,
      '--out',
      out,
      '--earlier',
      earlierFile,
      ...(quick ? ['--quick'] : []),
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (child.status !== 0)
    throw new BenchError(`benchmark ${name} failed (exit ${child.status ?? child.signal}); no figures were written`);
  const metrics = JSON.parse(readFileSync(out, 'utf8')) as Metric[] | null;
  if (!Array.isArray(metrics) || metrics.length === 0) throw new BenchError(`benchmark ${name} reported no figures`);
  return metrics;
};

const main = async (): Promise<void> => {
  const args = parseArgs(process.argv.slice(2), BENCHMARK_NAMES);
  const machine = machineNotes(new Date());
  const started = nowMs();
  const selected = BENCHMARK_NAMES.filter((name) => args.only === undefined || args.only.includes(name));
  const metrics: Metric[] = [];
  for (const name of selected) {
    process.stdout.write(`\n== ${name}: ${BENCHMARK_TITLES[name]}${args.quick ? ' (quick)' : ''}\n`);
    const t0 = nowMs();
    const produced = runInChild(name, args.quick, metrics);
    metrics.push(...produced);
    process.stdout.write(`${formatTable(produced)}\n(${((nowMs() - t0) / 1000).toFixed(1)} s)\n`);
  }
  const results: BenchResults = { machine, quick: args.quick, durationSeconds: (nowMs() - started) / 1000, metrics };
  const published = !args.quick && args.only === undefined;
  const target = published ? BENCH_DIR : WORK_DIR;
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, 'results.json'), resultsJson(results));
  if (published) updateReadmeFigures(join(BENCH_DIR, 'README.md'), results);
  process.stdout.write(
    `\n${formatTable(metrics)}\n\nwrote ${join(target, 'results.json')}${published ? ' and the README figures' : ''} (${results.durationSeconds.toFixed(0)} s)\n`,
  );
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `\nbench failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
    );
    if (error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
