import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { configPath, DEFAULT_CONFIG_PATH, deploymentEnvironment, FALLBACK_REGION } from '../../lib/app-environment';
import { parseAppConfig } from '../../lib/config/app-config';
import { REPO_ROOT } from '../../lib/constructs/shared/house-function';
import { exampleConfig, exampleConfigJson } from '../helpers/cdk-app';

const variant = (change: (json: any) => void): unknown => {
  const json = exampleConfigJson();
  change(json);
  return json;
};

describe('parseAppConfig', () => {
  it.each([
    [
      'a role ARN that is not an IAM role ARN',
      (json: any) => (json.organisations[0].roleArns = ['arn:aws:iam::1111:user/someone']),
      'Invalid config/governance.json:\n  - organisations.0.roleArns.0: each roleArns entry must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>',
    ],
    [
      'a searching organisation without collectionId',
      (json: any) => delete json.organisations[1].collectionId,
      'Invalid config/governance.json:\n  - organisations.1.collectionId: organisation "marinus-like" uses search and needs a collectionId',
    ],
    [
      'an end before the start',
      (json: any) => (json.moratorium.end = '2027-06-09T00:00:00Z'),
      'Invalid config/governance.json:\n  - moratorium.end: 2027-06-09T00:00:00Z must be after moratorium.start (2027-06-10T00:00:00Z); omit it for the default of one year',
    ],
    [
      'an end equal to the start',
      (json: any) => (json.moratorium.end = '2027-06-10T00:00:00Z'),
      'Invalid config/governance.json:\n  - moratorium.end: 2027-06-10T00:00:00Z must be after moratorium.start (2027-06-10T00:00:00Z); omit it for the default of one year',
    ],
    [
      'a duplicate organisation id',
      (json: any) => (json.organisations[1].id = 'thorn-like'),
      'Invalid config/governance.json:\n  - organisations.1.id: organisation id "thorn-like" is used twice; ids must be unique',
    ],
    [
      'a role registered for two organisations',
      (json: any) => json.organisations[2].roleArns.push(json.organisations[0].roleArns[0]),
      'Invalid config/governance.json:\n  - organisations.2.roleArns: role arn:aws:iam::111111111111:role/govrec-ngo-child-rescue-uploader is registered for both "thorn-like" and "metro-police"; a role acts for one organisation',
    ],
    [
      'a quarantine retention of zero days',
      (json: any) => (json.quarantine.retentionDays = 0),
      'Invalid config/governance.json:\n  - quarantine.retentionDays: must be at least 1',
    ],
  ])('rejects %s with a message that says how to fix it', (_case, change, message) => {
    expect(() => parseAppConfig(variant(change), 'config/governance.json')).toThrow(
      expect.objectContaining({ name: 'SettingsValidationError', message }),
    );
  });

  it('resolves the default moratorium end and the infrastructure defaults of the example', () => {
    const config = exampleConfig();
    expect(config.governance.moratorium).toMatchObject({
      start: '2027-06-10T00:00:00.000Z',
      end: '2028-06-10T00:00:00.000Z',
    });
    expect(config).toMatchObject({
      orgPrincipalTag: 'govrec:org',
      removalPolicy: 'retain',
      quarantine: { retentionDays: 90 },
      restrictedTag: { key: 'govrec:category', value: 'police' },
    });
  });
});

describe('configPath', () => {
  it.each([
    [{ GOVREC_CONFIG: 'env.json' }, 'ctx.json', 'env.json'],
    [{}, 'ctx.json', 'ctx.json'],
    [{ GOVREC_CONFIG: '' }, undefined, DEFAULT_CONFIG_PATH],
    [{}, undefined, 'config/governance.json'],
  ])('with env %j and context %j reads %s', (env, context, expected) => {
    expect(configPath(env, context)).toBe(expected);
  });
});

describe('deploymentEnvironment', () => {
  it('uses the CLI account and region when it has them', () => {
    expect(
      deploymentEnvironment(exampleConfig(), {
        CDK_DEFAULT_ACCOUNT: '999999999999',
        CDK_DEFAULT_REGION: 'eu-central-1',
      }),
    ).toEqual({ account: '999999999999', region: 'eu-central-1' });
  });

  it('falls back to the registry account and the default region without credentials', () => {
    expect(deploymentEnvironment(exampleConfig(), {})).toEqual({ account: '111111111111', region: FALLBACK_REGION });
  });
});

describe('bin/app.ts', () => {
  it('prints the validation message and exits with code 2 on a bad configuration', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'govrec-config-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(variant((json) => (json.organisations[1].id = 'thorn-like'))));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, GOVREC_CONFIG: file, CDK_OUTDIR: dir },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `Invalid ${file}:\n  - organisations.1.id: organisation id "thorn-like" is used twice; ids must be unique\n`,
    );
  });

  it.each([
    ['eu-west-1', ['GovernedRecognition', 'GovernedRecognitionIamEvents']],
    ['us-east-1', ['GovernedRecognition']],
  ])(
    'in %s synthesizes the stacks %j (a us-east-1 IAM-event forwarder whenever the stack is elsewhere)',
    (region, stacks) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'govrec-app-'));
      const context = {
        ...(JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: object }).context,
        'aws:cdk:bundling-stacks': [],
      };
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          CDK_OUTDIR: dir,
          CDK_CONTEXT_JSON: JSON.stringify(context),
          CDK_DEFAULT_ACCOUNT: '111111111111',
          CDK_DEFAULT_REGION: region,
        },
        encoding: 'utf8',
      });
      expect(result.status).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
        artifacts: Record<string, { type: string; environment?: string }>;
      };
      const synthesized = Object.entries(manifest.artifacts).filter(
        ([, artifact]) => artifact.type === 'aws:cloudformation:stack',
      );
      expect(Object.fromEntries(synthesized.map(([name, artifact]) => [name, artifact.environment]))).toEqual(
        Object.fromEntries(
          stacks.map((name) => [name, `aws://111111111111/${name === 'GovernedRecognition' ? region : 'us-east-1'}`]),
        ),
      );
      if (stacks.length === 2) {
        const forwarder = JSON.parse(
          readFileSync(path.join(dir, 'GovernedRecognitionIamEvents.template.json'), 'utf8'),
        ) as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
        const rule = Object.values(forwarder.Resources).find((resource) => resource.Type === 'AWS::Events::Rule')!;
        expect(rule.Properties.Targets[0].Arn).toBe('arn:aws:events:eu-west-1:111111111111:event-bus/default');
        const main = readFileSync(path.join(dir, 'GovernedRecognition.template.json'), 'utf8');
        expect(main).toContain('AWS::Events::Rule');
      }
    },
    60_000,
  );

  it('names the variable to set when the configuration file cannot be read', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, GOVREC_CONFIG: '/nonexistent/governance.json' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'Cannot read configuration file /nonexistent/governance.json: set GOVREC_CONFIG or -c config=<path> to a readable JSON file\n',
    );
  });
});
