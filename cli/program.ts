/**
 * The `govrec` command line: the program, its shared options and its error handling. Each
 * command is a module of its own in `commands/` exporting `register(program)`; `bin/govrec.ts`
 * lists them, one line each.
 */
import { Command, CommanderError, Help, InvalidArgumentError, type Option } from 'commander';

/** Exit codes (also printed by `govrec --help`). */
export const EXIT = {
  /** Done; a denial is an answer, not a failure. */
  ok: 0,
  /** The run failed, or did not end as the pipeline guarantees, or `--fail-on-deny` met a DENY. */
  failure: 1,
  /** Usage or configuration error: fix the command line or the config file. */
  usage: 2,
} as const;

export const OPERATIONS = ['search', 'detect', 'index'] as const;
export type OperationOption = (typeof OPERATIONS)[number];
export const DEFAULT_CONFIG = 'config/governance.json';

/** Where a command prints: lines for people, or one JSON document with `--json`. */
export interface Output {
  readonly json: boolean;
  line(text?: string): void;
  /** Progress while starting: only on a terminal and never with `--json`. */
  progress(text: string): void;
  result(value: unknown): void;
}

export const outputFor = (options: { json?: boolean }): Output => {
  const json = options.json === true;
  return {
    json,
    line: (text = '') => {
      if (!json) process.stdout.write(`${text}\n`);
    },
    progress: (text) => {
      if (!json && process.stderr.isTTY) process.stderr.write(`${text}\n`);
    },
    result: (value) => {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
};

/** A usage mistake found after parsing (an unknown organisation, a role of another one): exit 2. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

export const isoInstant = (value: string): string => {
  if (Number.isNaN(Date.parse(value)))
    throw new InvalidArgumentError('expected an ISO 8601 instant, e.g. 2027-07-01T09:00:00Z');
  return new Date(value).toISOString();
};

/** Errors that are the user's to fix: exit 2 with the message alone. */
const USAGE_ERRORS = new Set(['OfflineConfigError', 'SettingsValidationError', 'UsageError', 'StackLookupError']);

/** An `Example:` block for a command's `--help`. */
export const examples = (...lines: string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;

export const createProgram = (): Command =>
  new Command()
    .name('govrec')
    .description('Governed face recognition: the offline pipeline on this machine, or a deployed stack')
    .showHelpAfterError()
    .exitOverride()
    // Subcommands copy this: every required option says so in its --help line.
    .configureHelp({
      optionDescription(this: Help, option: Option): string {
        const text = Help.prototype.optionDescription.call(this, option);
        return option.mandatory ? `(required) ${text}` : text;
      },
    })
    .addHelpText(
      'after',
      `
Exit codes:
  0  done (a DENY is an answer, not a failure)
  1  the run failed or did not end as the pipeline guarantees (or --fail-on-deny met a DENY)
  2  usage or configuration error (the message says what to fix)

Every command takes --json (one JSON document on stdout) and --help.`,
    );

/**
 * Parse and run; sets `process.exitCode`.
 *
 * @example
 * await runProgram(program, process.argv);
 */
export const runProgram = async (program: Command, argv: readonly string[]): Promise<void> => {
  // Subcommands inherit exitOverride and the error output only when set on each of them.
  for (const command of program.commands) command.exitOverride().showHelpAfterError();
  // With --json, a failure is one JSON document on stdout too, so a script reads one stream.
  const json = argv.includes('--json');
  const printJson = (error: { name: string; code?: string; message: string; exitCode: number }): void => {
    if (json) process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
  };
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      const shown = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      process.exitCode = shown ? EXIT.ok : EXIT.usage;
      if (!shown) printJson({ name: 'UsageError', code: error.code, message: error.message, exitCode: EXIT.usage });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`govrec: ${message}\n`);
    if (process.env.GOVREC_DEBUG !== undefined && error instanceof Error)
      process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = error instanceof Error && USAGE_ERRORS.has(error.name) ? EXIT.usage : EXIT.failure;
    printJson({
      name: error instanceof Error ? error.name : 'Error',
      message,
      exitCode: process.exitCode,
    });
  }
};
