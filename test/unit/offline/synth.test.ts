/**
 * The in-process synth of the real stack and what the offline run reads from it: the names the
 * pipeline needs, the one-time schedules that start the sweep and the restore, configuration errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FALLBACK_REGION } from '../../../lib/app-environment';
import { REPO_ROOT } from '../../../lib/constructs/shared/house-function';
import { oneTimeSchedules } from '../../../local/offline/enforcement';
import { OfflineConfigError } from '../../../local/offline/errors';
import { pipelineNames } from '../../../local/offline/pipeline';
import { type SynthesizedApp, synthesizeOffline } from '../../../local/offline/synth';

describe('synthesizeOffline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'govrec-synth-'));
  let app: SynthesizedApp;

  beforeAll(() => {
    app = synthesizeOffline({
      configPath: join(REPO_ROOT, 'config', 'governance.json'),
      outdir: join(dir, 'cdk.out'),
      env: {},
    });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('synthesizes the stack for the registry account in the region bin/app.ts falls back to, where IAM events arrive (no warning)', () => {
    expect([app.template.stackName, app.accountId, app.region]).toEqual([
      'GovernedRecognition',
      '111111111111',
      FALLBACK_REGION,
    ]);
    expect(FALLBACK_REGION).toBe('us-east-1');
    expect(app.warnings.filter((warning) => warning.includes('iam-events-us-east-1'))).toEqual([]);
  });

  it("takes the region from CDK_DEFAULT_REGION as bin/app.ts does, with IAM events forwarded from us-east-1 and the account still the registry's", () => {
    const elsewhere = synthesizeOffline({
      configPath: join(REPO_ROOT, 'config', 'governance.json'),
      outdir: join(dir, 'cdk.out.eu'),
      env: { CDK_DEFAULT_REGION: 'eu-west-1', CDK_DEFAULT_ACCOUNT: '222222222222' },
    });

    expect([elsewhere.region, elsewhere.accountId]).toEqual(['eu-west-1', '111111111111']);
    expect(elsewhere.warnings.filter((warning) => warning.includes('iam-events-us-east-1'))).toEqual([]);
  }, 120_000);

  it("finds every name the pipeline needs in the template, the functions' environment agreeing with the resources", () => {
    const names = pipelineNames(app.template);
    const buckets = app.template.buckets().map((b) => b.name);
    expect(buckets).toEqual(expect.arrayContaining([names.intakeBucket, names.quarantineBucket, names.resultsBucket]));
    expect(app.template.resourcesOfType('AWS::DynamoDB::Table').map((t) => t.name)).toContain(names.auditTable);
    expect(app.template.functionByPrefix('GovernedRecognitionRecognitionWorker').environment.POLICY_FUNCTION_NAME).toBe(
      names.policyFunction,
    );
    expect(app.template.resourcesOfType('AWS::SQS::Queue').map((q) => q.name)).toContain(names.intakeQueue);
  });

  it("reads the sweep at the window start and the restore at its end from the template's schedules", () => {
    const schedules = oneTimeSchedules(app);
    expect(schedules.map((s) => [s.at, s.input])).toEqual([
      ['2027-06-10T00:00:00.000Z', { trigger: 'moratorium-start' }],
      ['2028-06-10T00:00:00.000Z', { trigger: 'moratorium-end' }],
    ]);
    expect(schedules[0]!.stateMachineLogicalId).toMatch(/Sweep/);
    expect(schedules[1]!.stateMachineLogicalId).toMatch(/Restore/);
  });

  it.each([
    ['a missing file', (d: string) => join(d, 'missing.json')],
    [
      'a file that is not JSON',
      (d: string) => {
        writeFileSync(join(d, 'bad.json'), '{');
        return join(d, 'bad.json');
      },
    ],
    [
      'an invalid configuration',
      (d: string) => {
        writeFileSync(join(d, 'invalid.json'), '{"moratorium":{},"organisations":[]}');
        return join(d, 'invalid.json');
      },
    ],
  ])('reports %s as a configuration error', (_name, make) => {
    expect(() => synthesizeOffline({ configPath: make(dir), outdir: join(dir, 'never') })).toThrow(OfflineConfigError);
  });
});
