#!/usr/bin/env node
/**
 * The `govrec` executable (`npx govrec`, or the bin of an installed package): runs the TypeScript
 * CLI in bin/govrec.ts with tsx's loader, resolved from this package rather than the caller's
 * folder, so it works from any directory. The exit code and signals are the CLI's own.
 */
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const loader = pathToFileURL(require.resolve('tsx')).href;
const cli = join(__dirname, 'govrec.ts');
const result = spawnSync(process.execPath, ['--import', loader, cli, ...process.argv.slice(2)], { stdio: 'inherit' });
if (result.error) {
  process.stderr.write(`govrec: could not start node: ${result.error.message}\n`);
  process.exit(1);
}
if (result.signal) process.kill(process.pid, result.signal);
process.exit(result.status ?? 1);
