/** Command-line options of `npm run bench -- [--only <name>[,<name>]] [--quick]`. */
import { BenchSetupError } from './errors';

export interface BenchArgs {
  readonly only: readonly string[] | undefined;
  readonly quick: boolean;
}

export const parseArgs = (argv: readonly string[], known: readonly string[]): BenchArgs => {
  let only: string[] | undefined;
  let quick = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      if (value === undefined || value === '')
        throw new BenchSetupError(`--only needs a benchmark name (${known.join(', ')})`);
      only = [...(only ?? []), ...value.split(',')];
    } else throw new BenchSetupError(`unknown option ${arg}; use --only <${known.join('|')}> and/or --quick`);
  }
  const unknown = (only ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new BenchSetupError(`unknown benchmark ${unknown.join(', ')}; known: ${known.join(', ')}`);
  return { only, quick };
};
