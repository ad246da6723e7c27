/**
 * The four Lambda bundles as `cdk synth` left them in `cdk.out`, found through each function's
 * `aws:asset:path` metadata. When a bundle is missing, the app is synthesized once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LocalTemplate } from '../../local/template';
import { BenchSetupError } from '../lib/errors';
import { REPO_ROOT } from '../lib/repo';

/** Our Lambdas: the name used in results, the handler folder and a logical-id fragment. */
export const FUNCTIONS = [
  { name: 'policy', handlerDir: 'decision', idPart: 'PolicyDecisionPointFunction' },
  { name: 'recognition', handlerDir: 'recognition', idPart: 'RecognitionWorkerFunction' },
  { name: 'enforcer', handlerDir: 'enforcement/enforcer', idPart: 'EnforcerFunction' },
  { name: 'enforcer-roles', handlerDir: 'enforcement/roles', idPart: 'RolesFunction' },
] as const;

export interface Bundle {
  readonly name: string;
  readonly handlerDir: string;
  readonly logicalId: string;
  readonly assetDir: string;
  /** Bytes of `index.js`. */
  readonly jsBytes: number;
  /** Bytes of every file in the asset (what is zipped and deployed: js, map, wasm, policies). */
  readonly assetBytes: number;
  /** The function's environment as CloudFormation would set it (names resolved locally). */
  readonly environment: Readonly<Record<string, string>>;
  readonly handler: string;
}

const CDK_OUT = join(REPO_ROOT, 'cdk.out');

const dirBytes = (dir: string): number =>
  readdirSync(dir).reduce((sum, entry) => {
    const path = join(dir, entry);
    const stat = statSync(path);
    return sum + (stat.isDirectory() ? dirBytes(path) : stat.size);
  }, 0);

const locate = (): Bundle[] | undefined => {
  if (!existsSync(join(CDK_OUT, 'manifest.json'))) return undefined;
  const stack = LocalTemplate.fromCdkOut(CDK_OUT, { region: 'us-east-1', accountId: '111111111111' });
  const template = JSON.parse(readFileSync(join(CDK_OUT, 'GovernedRecognition.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties?: { Handler?: string } }>;
  };
  const bundles: Bundle[] = [];
  for (const fn of FUNCTIONS) {
    const entry = Object.entries(template.Resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.includes(fn.idPart),
    );
    const assetPath = entry?.[1].Metadata?.['aws:asset:path'];
    if (entry === undefined || assetPath === undefined) return undefined;
    const assetDir = join(CDK_OUT, assetPath);
    if (!existsSync(join(assetDir, 'index.js'))) return undefined;
    bundles.push({
      name: fn.name,
      handlerDir: fn.handlerDir,
      logicalId: entry[0],
      assetDir,
      jsBytes: statSync(join(assetDir, 'index.js')).size,
      assetBytes: dirBytes(assetDir),
      environment: stack.functions().find((f) => f.logicalId === entry[0])!.environment,
      handler: entry[1].Properties?.Handler ?? 'index.handler',
    });
  }
  return bundles;
};

/** The bundles, synthesizing first if `cdk.out` lacks any of them. */
export const lambdaBundles = (): Bundle[] => {
  const found = locate();
  if (found !== undefined) return found;
  process.stdout.write('cdk.out lacks a bundle: running cdk synth --quiet\n');
  execFileSync('npx', ['cdk', 'synth', '--quiet'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
  });
  const after = locate();
  if (after === undefined)
    throw new BenchSetupError('cdk synth ran but cdk.out still lacks one of the four Lambda bundles');
  return after;
};
