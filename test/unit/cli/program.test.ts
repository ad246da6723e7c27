import { register as report } from '../../../cli/commands/report';
import { register as upload } from '../../../cli/commands/upload';
import { createProgram, EXIT, runProgram } from '../../../cli/program';

const programWithCommands = () => {
  const program = createProgram();
  report(program);
  upload(program);
  return program;
};

const run = async (args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const before = process.exitCode;
  try {
    await runProgram(programWithCommands(), ['node', 'govrec', ...args]);
    return { stdout: out.join(''), stderr: err.join(''), code: Number(process.exitCode) };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = before;
  }
};

describe('govrec program', () => {
  it('marks required options in --help', () => {
    const help = programWithCommands()
      .commands.find((c) => c.name() === 'report')!
      .helpInformation();
    expect(help).toMatch(/--from <ISO>\s+\(required\) first instant/);
    expect(help).toMatch(/--stack <name>\s+\(required\)/);
    expect(help).toMatch(/--output <dir>\s+folder/);
  });

  it('prints an error as one JSON document on stdout with --json', async () => {
    const ran = await run([
      'report',
      '--stack',
      'S',
      '--from',
      '2027-02-01T00:00:00Z',
      '--to',
      '2027-01-01T00:00:00Z',
      '--json',
    ]);

    expect(ran.code).toBe(EXIT.usage);
    expect(JSON.parse(ran.stdout)).toEqual({
      error: {
        name: 'UsageError',
        message: '--from 2027-02-01T00:00:00.000Z must be earlier than --to 2027-01-01T00:00:00.000Z',
        exitCode: 2,
      },
    });
  });

  it('prints a missing required option as JSON on stdout with --json', async () => {
    const ran = await run(['report', '--stack', 'S', '--json']);

    expect(ran.code).toBe(EXIT.usage);
    expect(JSON.parse(ran.stdout).error).toMatchObject({
      code: 'commander.missingMandatoryOptionValue',
      message: "error: required option '--from <ISO>' not specified",
      exitCode: 2,
    });
  });

  it('keeps stdout empty on an error without --json', async () => {
    const ran = await run(['report', '--stack', 'S', '--from', '2027-02-01T00:00:00Z', '--to', '2027-01-01T00:00:00Z']);

    expect(ran.stdout).toBe('');
    expect(ran.stderr).toBe(
      'govrec: --from 2027-02-01T00:00:00.000Z must be earlier than --to 2027-01-01T00:00:00.000Z\n',
    );
  });
});
