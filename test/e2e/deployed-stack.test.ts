/**
 * `govrec status|decide|report --stack` against a "deployed" stack on this machine: the offline
 * session's stand-ins behind the same endpoint settings a real account would be reached through
 * (`AWS_ENDPOINT_URL_*`), with a CloudFormation endpoint serving the stack outputs. The commands
 * run as the user runs them (the bin, a child process) and know nothing of the stand-ins.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ReviewReport } from '../../local/report';

const ROOT = join(__dirname, '..', '..');
const POLICE = 'arn:aws:iam::111111111111:role/govrec-police-investigations';

interface Standin {
  readonly env: Record<string, string>;
  readonly stack: string;
  readonly reportPath: string;
  readonly outputs: Record<string, string>;
}

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let harness: ChildProcessWithoutNullStreams;
let standin: Standin;
let output: string;

// Nothing of the developer's AWS setup may leak in: only the stand-ins' endpoints and credentials.
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_') && !key.startsWith('CDK_')));

const govrec = (args: readonly string[]): Promise<Ran> =>
  new Promise((resolve) => {
    execFile(
      join(ROOT, 'bin', 'govrec.cjs'),
      [...args],
      { cwd: ROOT, env: { ...cleanEnv(), ...standin.env }, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    );
  });

beforeAll(async () => {
  output = mkdtempSync(join(tmpdir(), 'govrec-deployed-'));
  harness = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/deployed-standin.ts', join(output, 'standin')], {
    cwd: ROOT,
    env: cleanEnv(),
  });
  standin = await new Promise<Standin>((resolve, reject) => {
    let buffered = '';
    let errors = '';
    harness.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    harness.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith('{"env"'));
      if (line !== undefined) resolve(JSON.parse(line) as Standin);
    });
    harness.on('exit', (code) => reject(new Error(`the stand-in exited (${code}): ${errors}`)));
  });
}, 180_000);

afterAll(async () => {
  if (harness !== undefined && harness.exitCode === null) {
    const exited = new Promise((resolve) => harness.on('exit', resolve));
    harness.stdin.end();
    await exited;
  }
  rmSync(output, { recursive: true, force: true });
});

describe('govrec against a deployed stack (offline stand-ins behind AWS_ENDPOINT_URL_*)', () => {
  it('status: reads the window, the restricted roles in IAM and the ledger, and recent denials', async () => {
    const ran = await govrec(['status', '--stack', standin.stack, '--since-hours', '1000000', '--json']);
    const status = JSON.parse(ran.stdout);
    expect(status.window).toMatchObject({ start: '2027-06-10T00:00:00.000Z', end: '2028-06-10T00:00:00.000Z' });
    expect(
      status.roles.map((r: { roleArn: string; denyInIam: boolean; lastRecord?: { action: string } }) => [
        r.roleArn,
        r.denyInIam,
        r.lastRecord?.action,
      ]),
    ).toEqual([
      ['arn:aws:iam::111111111111:role/govrec-police-investigations', true, 'NOOP'],
      ['arn:aws:iam::111111111111:role/govrec-police-analysts', true, 'DISABLED'],
    ]);
    expect(status.recentDenials.map((d: { orgId: string; reason: string }) => [d.orgId, d.reason])).toEqual([
      ['metro-police', 'MORATORIUM_IN_FORCE'],
    ]);
    // No CloudWatch stand-in: the alarms are reported as unreadable, and status says it is not all clear.
    expect(status.alarmsError).toBeDefined();
    expect(ran.code).toBe(1);
  }, 120_000);

  // Before `decide`, whose questions the deployed function records in the same ledger.
  it('report: writes the same report from the deployed records as the session wrote from its own', async () => {
    const ran = await govrec([
      'report',
      '--stack',
      standin.stack,
      '--from',
      '2027-06-10T00:00:00Z',
      '--to',
      '2028-06-10T00:00:00Z',
      '--output',
      output,
      '--json',
    ]);
    expect(ran.code).toBe(0);
    const printed = JSON.parse(ran.stdout) as { htmlPath: string; jsonPath: string };
    const fromStack = JSON.parse(readFileSync(printed.jsonPath, 'utf8')) as ReviewReport;
    const fromSession = JSON.parse(readFileSync(standin.reportPath, 'utf8')) as ReviewReport;
    expect(fromStack.headline).toEqual(fromSession.headline);
    expect(fromStack.uploads.map((row) => [row.decisionId, row.effect, row.outcome])).toEqual(
      fromSession.uploads.map((row) => [row.decisionId, row.effect, row.outcome]),
    );
    expect(fromStack.rolesDisabled.map((row) => [row.role, row.disabledAt])).toEqual(
      fromSession.rolesDisabled.map((row) => [row.role, row.disabledAt]),
    );
    expect(readFileSync(printed.htmlPath, 'utf8')).toContain('id="headline"');
  }, 120_000);

  it('decide: asks the deployed policy function, which resolves the role through IAM', async () => {
    const ask = (at: string) =>
      govrec([
        'decide',
        '--stack',
        standin.stack,
        '--as',
        POLICE,
        '--org',
        'metro-police',
        '--operation',
        'search',
        '--at',
        at,
        '--json',
      ]);
    const during = JSON.parse((await ask('2027-07-01T00:00:00Z')).stdout).decision;
    expect([during.effect, during.reason, during.caller.roleArn]).toEqual(['DENY', 'MORATORIUM_IN_FORCE', POLICE]);
    // The function judges at the instant of the call (the stand-ins' clock is inside the window), so
    // the allow is asked for a registered NGO role.
    const ngo = await govrec([
      'decide',
      '--stack',
      standin.stack,
      '--as',
      'arn:aws:iam::111111111111:role/govrec-ngo-child-rescue-uploader',
      '--org',
      'thorn-like',
      '--operation',
      'search',
      '--json',
    ]);
    expect(JSON.parse(ngo.stdout).decision).toMatchObject({ effect: 'ALLOW', reason: 'ALLOWED' });
  }, 120_000);

  it("upload: puts the file under the organisation's intake prefix with its purpose", async () => {
    const ran = await govrec([
      'upload',
      'test/fixtures/images/astronaut.png',
      '--stack',
      standin.stack,
      '--as',
      'thorn-like',
      '--operation',
      'search',
      '--purpose',
      'child-rescue',
      '--wait',
      '0',
      '--json',
    ]);
    expect(ran.code).toBe(0);
    const printed = JSON.parse(ran.stdout) as { bucket: string; key: string; versionId: string; decisionId: string };
    expect(printed).toMatchObject({
      bucket: standin.outputs.IntakeBucketName,
      key: 'incoming/thorn-like/search/astronaut.png',
      decisionId: expect.stringMatching(/^d-[0-9a-f]{32}$/),
    });
    const s3 = new S3Client({
      region: standin.env.AWS_REGION,
      endpoint: standin.env.AWS_ENDPOINT_URL_S3,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: printed.bucket, Key: printed.key, VersionId: printed.versionId }),
    );
    s3.destroy();
    expect(head.Metadata).toEqual({ purpose: 'child-rescue' });
    expect(head.ContentLength).toBe(readFileSync(join(ROOT, 'test/fixtures/images/astronaut.png')).length);
  }, 60_000);

  it('exits 2 for a stack that does not exist', async () => {
    const ran = await govrec(['status', '--stack', 'NoSuchStack']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^govrec: Could not read stack NoSuchStack: .*does not exist/);
  }, 60_000);
});
