/**
 * `npm run chaos`: uploads through the offline stack (the deployed recognition and policy
 * handlers against dynalite, s3rver, the local IAM and Invoke endpoints) with random faults on
 * AWS calls and random crashes of the worker, in generated scenarios of up to 8 uploads whose
 * messages interleave. Prints uploads, outcomes by kind, lost uploads (must be 0), repeated
 * recognitions, Rekognition calls without an allow (must be 0), invariant violations and the time.
 *
 * Options: `--uploads <n>` (default 1000), `--seed <n>` (default: the time).
 */
import fc from 'fast-check';
import { scenarioArbitrary } from './scenario';

const option = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} takes a whole number, got ${process.argv[at + 1]}`);
  return value;
};

const main = async (): Promise<number> => {
  const target = option('uploads', 1000);
  const seed = option('seed', Date.now() % 2_147_483_647);
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Metrics are off offline; their middleware says so on every invocation.
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('No application metrics') ? true : write(chunk, ...rest)) as typeof process.stderr.write;
  const { runScenario, startWorld } = await import('./world');
  const started = performance.now();
  const cpu = process.cpuUsage();
  const world = await startWorld();
  const arbitrary = scenarioArbitrary({ maxUploads: 8 });
  let pending: ReturnType<typeof arbitrary.generate>['value'][] = [];
  let round = 0;
  const totals = { uploads: 0, scenarios: 0, lost: 0, repeated: 0, withoutAllow: 0, deliveries: 0, deadLettered: 0 };
  const outcomes: Record<string, number> = {};
  const violations: string[] = [];
  try {
    while (totals.uploads < target) {
      if (pending.length === 0) pending = fc.sample(arbitrary, { seed: seed + round++, numRuns: 50 });
      const scenario = pending.shift() as (typeof pending)[number];
      totals.scenarios += 1;
      const report = await runScenario(world, scenario, totals.scenarios);
      totals.uploads += report.uploads;
      totals.lost += report.lost;
      totals.repeated += report.repeatedRecognitions;
      totals.withoutAllow += report.callsWithoutAllow;
      totals.deliveries += report.deliveries;
      totals.deadLettered += report.deadLettered;
      for (const [kind, count] of Object.entries(report.outcomes)) outcomes[kind] = (outcomes[kind] ?? 0) + count;
      violations.push(...report.violations.map((v) => `scenario ${totals.scenarios}: ${v}`));
    }
  } finally {
    await world.stop();
  }
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const lines = [
    `chaos run, seed ${seed}`,
    `uploads                         ${totals.uploads} in ${totals.scenarios} scenarios`,
    `deliveries (incl. retries)      ${totals.deliveries}`,
    `outcomes                        ${Object.entries(outcomes)
      .sort()
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ')}`,
    `lost (no outcome)               ${totals.lost}`,
    `repeated recognitions           ${totals.repeated}`,
    `Rekognition calls without allow ${totals.withoutAllow}`,
    `dead-lettered, then redriven    ${totals.deadLettered}`,
    `invariant violations            ${violations.length}`,
    `wall time                       ${wall.toFixed(1)} s (CPU ${((used.user + used.system) / 1e6).toFixed(1)} s)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const violation of violations.slice(0, 20)) process.stdout.write(`  ${violation}\n`);
  return totals.lost === 0 && totals.withoutAllow === 0 && violations.length === 0 ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos run failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
