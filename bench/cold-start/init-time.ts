/**
 * Module initialisation time of a bundle in a fresh Node process: the time `require` of
 * `index.js` takes (everything at module scope: SDK clients, config, Cedar), measured inside the
 * child, so Node's own start-up is excluded. Lambda's runtime provides `@aws-sdk/*`; here it is
 * resolved from the repository's node_modules through NODE_PATH.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BenchSanityError } from '../lib/errors';
import { REPO_ROOT } from '../lib/repo';
import type { Bundle } from './bundles';

// Runs in the child: time the require, check the handler is exported, print the figure.
const CHILD = `
const { performance } = require('node:perf_hooks');
const start = performance.now();
const mod = require(process.env.BENCH_BUNDLE);
const ms = performance.now() - start;
const name = process.env.BENCH_HANDLER;
if (typeof mod[name] !== 'function') { console.error('no exported function ' + name); process.exit(3); }
process.stdout.write('\\n' + JSON.stringify({ ms, rssMiB: process.memoryUsage().rss / 1048576 }));
`;

/** One fresh process; returns the init time in ms and the RSS after init. */
export const initOnce = (bundle: Bundle): { ms: number; rssMiB: number } => {
  const [file, exportName] = bundle.handler.split('.') as [string, string];
  const env = {
    PATH: process.env.PATH ?? '',
    ...bundle.environment,
    NODE_PATH: join(REPO_ROOT, 'node_modules'),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_LAMBDA_FUNCTION_NAME: bundle.logicalId,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LAMBDA_TASK_ROOT: bundle.assetDir,
    BENCH_BUNDLE: join(bundle.assetDir, `${file}.js`),
    BENCH_HANDLER: exportName,
  };
  const out = execFileSync(process.execPath, ['-e', CHILD], {
    cwd: bundle.assetDir,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = out.trim().split('\n');
  // A module that logged an error at init (e.g. the policy Lambda failing to load Cedar, which it
  // survives by denying everything) would start fast for the wrong reason.
  const complaint = lines.slice(0, -1).find((line) => /"level":"(ERROR|CRITICAL)"/i.test(line));
  if (complaint !== undefined)
    throw new BenchSanityError(`${bundle.name}: the bundle logged an error during init: ${complaint.slice(0, 300)}`);
  const parsed = JSON.parse(lines.at(-1)!) as { ms: number; rssMiB: number };
  if (!(parsed.ms > 0)) throw new BenchSanityError(`${bundle.name}: init time ${parsed.ms} ms is not positive`);
  return parsed;
};
