/**
 * The `govrec verify` command line. Only commander here: the work (and the AWS SDK clients it
 * needs) loads when the command runs, so other commands start as fast as before.
 */
import { type Command, InvalidArgumentError } from 'commander';

const isoInstant = (value: string): Date => {
  if (Number.isNaN(Date.parse(value)))
    throw new InvalidArgumentError('expected an ISO 8601 instant, e.g. 2027-07-01T00:00:00Z');
  return new Date(value);
};

/**
 * Register `verify` on the govrec program.
 *
 * @example
 * registerVerifyCommand(program, out);
 */
export const registerVerifyCommand = (program: Command, print: (line?: string) => void): void => {
  program
    .command('verify')
    .description('check the audit and enforcement ledgers against their signed, chained digests')
    .option('--from <ISO>', 'start of the range (default: the beginning)', isoInstant, new Date(0))
    .option('--to <ISO>', 'end of the range, exclusive (default: now, or when the folder was exported)', isoInstant)
    .option('--stack <name>', 'read a deployed stack (needs read access to the ledgers, the digests and the key)')
    .option('--evidence <dir>', 'read an exported folder (default: the offline run)', 'output/evidence')
    .option('--public-key <file>', 'PEM public key to check signatures with (default: from KMS, or the folder)')
    .option('--export <dir>', 'also write what was read to a folder, to verify later without AWS access')
    .option('--json', 'print the report as JSON')
    .action(async (options: import('./verify-command').VerifyCommandOptions) => {
      const { runVerify } = await import('./verify-command');
      process.exitCode = await runVerify(options, print);
    });
};
