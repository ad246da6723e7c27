/** `govrec verify`: check the ledgers against their signed, chained digests (offline or a deployed stack). */
import type { Command } from 'commander';
import { registerVerifyCommand } from '../../local/evidence/verify-cli';

export const register = (program: Command): void =>
  registerVerifyCommand(program, (line = '') => {
    process.stdout.write(`${line}\n`);
  });
