/**
 * The `govrec` executable as a user runs it: the package's bin (bin/govrec.cjs) from a folder
 * outside the repository, `--help` on every command, names checked against the registry, `--json`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'govrec.cjs');
const CONFIG = join(ROOT, 'config', 'governance.json');
const POLICE = 'arn:aws:iam::111111111111:role/govrec-police-investigations';

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let elsewhere: string;

/** The bin, run directly (its shebang) from a folder that is not the repository. */
const govrec = (args: readonly string[]): Promise<Ran> =>
  new Promise((resolve) => {
    execFile(BIN, [...args], { cwd: elsewhere, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });

beforeAll(() => {
  elsewhere = mkdtempSync(join(tmpdir(), 'govrec-cli-'));
});
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

describe('govrec (the installed bin)', () => {
  it('prints the commands and the exit codes from any folder', async () => {
    const ran = await govrec(['--help']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^Usage: govrec /);
    for (const command of ['run', 'upload', 'decide', 'status', 'report'])
      expect(ran.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(ran.stdout).toContain('Exit codes:');
    expect(ran.stderr).toBe('');
  });

  it.each([
    ['run', []],
    ['upload', ['--as <orgId>']],
    ['decide', ['--as <principal>', '--org <id>', '--operation <op>', '--stack <name>']],
    ['status', ['--stack <name>', '--profile <name>', '--region <region>']],
    ['report', ['--stack <name>', '--from <ISO>', '--to <ISO>']],
  ])('shows the options, an example and --json for %s --help', async (command, required) => {
    const ran = await govrec([command, '--help']);
    expect(ran.code).toBe(0);
    for (const option of [...required, '--json']) expect(ran.stdout).toContain(option);
    expect(ran.stdout).toMatch(new RegExp(`Examples:\\n  \\$ govrec ${command}`));
  });

  it('exits 2 with a hint for an organisation that is not registered', async () => {
    const ran = await govrec([
      'decide',
      '--config',
      CONFIG,
      '--as',
      POLICE,
      '--org',
      'metro-polise',
      '--operation',
      'search',
    ]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toBe(
      'govrec: --org metro-polise: no such organisation in the configuration (did you mean "metro-police"?); registered: thorn-like, marinus-like, metro-police\n',
    );
  });

  it('exits 2 for a role that is not registered, unless asked about an unregistered caller', async () => {
    const stranger = 'arn:aws:iam::111111111111:role/stranger';
    const question = ['decide', '--config', CONFIG, '--as', stranger, '--org', 'thorn-like', '--operation', 'detect'];
    const refused = await govrec(question);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^govrec: --as arn:aws:iam::111111111111:role\/stranger: not a registered role/);
    const asked = await govrec([...question, '--unregistered', '--json']);
    expect(asked.code).toBe(0);
    expect(JSON.parse(asked.stdout).decision).toMatchObject({ effect: 'DENY', reason: 'UNKNOWN_PRINCIPAL' });
  });

  it('prints one JSON document with --json, and exits 1 on a denial with --fail-on-deny', async () => {
    const args = ['decide', '--config', CONFIG, '--as', POLICE, '--org', 'metro-police', '--operation', 'search'];
    const ran = await govrec([...args, '--at', '2027-07-01T00:00:00Z', '--json', '--fail-on-deny']);
    expect(ran.code).toBe(1);
    const printed = JSON.parse(ran.stdout) as {
      decision: { effect: string; reason: string };
      policies: { id: string }[];
    };
    expect([printed.decision.effect, printed.decision.reason]).toEqual(['DENY', 'MORATORIUM_IN_FORCE']);
    expect(printed.policies.map((p) => p.id)).toEqual(['moratorium-in-force']);
  });

  it('exits 2 for an unknown option and for a configuration with a misspelt key', async () => {
    expect((await govrec(['decide', '--nope'])).code).toBe(2);
    const config = JSON.parse(readFileSync(CONFIG, 'utf8')) as Record<string, unknown>;
    const misspelt = join(elsewhere, 'misspelt.json');
    writeFileSync(misspelt, JSON.stringify({ ...config, alarmEmial: 'ops@example.org' }));
    const ran = await govrec([
      'decide',
      '--config',
      misspelt,
      '--as',
      POLICE,
      '--org',
      'metro-police',
      '--operation',
      'search',
    ]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('alarmEmial: unknown key; did you mean "alarmEmail"?');
  });
});
