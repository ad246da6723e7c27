/** `bin/app.ts` adds the guardrails stack exactly when a restricted organisation lists accounts or OUs. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../../lib/constructs/shared/house-function';

const synth = (mutate: (json: any) => void) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'govrec-guardrails-'));
  const config = JSON.parse(readFileSync(path.join(REPO_ROOT, 'config', 'governance.json'), 'utf8'));
  mutate(config);
  const file = path.join(dir, 'governance.json');
  writeFileSync(file, JSON.stringify(config));
  const context = {
    ...(JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: object }).context,
    'aws:cdk:bundling-stacks': [],
  };
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      GOVREC_CONFIG: file,
      CDK_OUTDIR: dir,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_DEFAULT_ACCOUNT: '111111111111',
      CDK_DEFAULT_REGION: 'us-east-1',
    },
    encoding: 'utf8',
  });
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; environment?: string }>;
  };
  const stacks = Object.fromEntries(
    Object.entries(manifest.artifacts)
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
      .map(([name, artifact]) => [name, artifact.environment]),
  );
  return { status: result.status, stderr: result.stderr, stacks, dir };
};

describe('bin/app.ts with Organizations guardrails and sensors', () => {
  it('adds the guardrails stack in the management account when police accounts replace their role ARNs, and the sensors', () => {
    const { status, stacks, dir } = synth((json) => {
      json.organisations[2].roleArns = [];
      json.organisations[2].accounts = ['222222222222'];
      json.guardrails = { managementAccountId: '999999999999', pipelineAccountId: '111111111111' };
      json.sensorRegions = ['eu-central-1', 'us-east-1'];
    });
    expect(status).toBe(0);
    // A sensor per listed region other than the stack's own.
    expect(stacks).toEqual({
      GovernedRecognition: 'aws://111111111111/us-east-1',
      GovernedRecognitionGuardrails: 'aws://999999999999/us-east-1',
      'GovernedRecognitionSensor-eu-central-1': 'aws://111111111111/eu-central-1',
    });
    const template = JSON.parse(readFileSync(path.join(dir, 'GovernedRecognitionGuardrails.template.json'), 'utf8'));
    const policies = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>)
      .filter((resource) => resource.Type === 'AWS::Organizations::Policy')
      .map((resource) => [resource.Properties.Type, resource.Properties.TargetIds]);
    expect(policies).toEqual([
      ['SERVICE_CONTROL_POLICY', ['222222222222']],
      ['RESOURCE_CONTROL_POLICY', ['111111111111']],
    ]);
  }, 60_000);
});
