/**
 * Which dependencies a bundle is made of: the handler is bundled again with esbuild and the
 * bundle's own options (CJS, `BUNDLE_TARGET`, minified with class names kept, `@aws-sdk/*`
 * external, settings defined), with a metafile, and the bytes each input contributes are summed
 * per npm package. The rebuild must
 * come within 5% of the size in cdk.out, or the breakdown would describe another bundle.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_TARGET } from '../../lib/constructs/shared/house-function';
import { BenchSanityError } from '../lib/errors';
import { exampleGovernance, REPO_ROOT } from '../lib/repo';
import type { Bundle } from './bundles';

export interface Share {
  readonly dependency: string;
  readonly bytes: number;
  readonly share: number;
}

const packageOf = (input: string): string => {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return input.startsWith('lambda/') ? 'project (lambda/)' : 'other';
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
};

/** Bytes per dependency in the rebuilt bundle, largest first. */
export const dependencyBreakdown = async (bundle: Bundle): Promise<Share[]> => {
  const { settings } = exampleGovernance();
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'lambda', bundle.handlerDir, 'handler.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: BUNDLE_TARGET,
    minify: true,
    keepNames: true,
    external: ['@aws-sdk/*'],
    define: { 'process.env.GOVREC_SETTINGS': JSON.stringify(JSON.stringify(settings)) },
    absWorkingDir: REPO_ROOT,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (output === undefined) throw new BenchSanityError(`${bundle.name}: esbuild produced no entry output`);
  const ratio = output.bytes / bundle.jsBytes;
  if (ratio < 0.95 || ratio > 1.05) {
    throw new BenchSanityError(
      `${bundle.name}: rebuilt bundle is ${output.bytes} B, cdk.out has ${bundle.jsBytes} B (ratio ${ratio.toFixed(2)}): options differ`,
    );
  }
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
    bytes.set(packageOf(input), (bytes.get(packageOf(input)) ?? 0) + bytesInOutput);
  const total = [...bytes.values()].reduce((a, b) => a + b, 0);
  return [...bytes.entries()]
    .map(([dependency, b]) => ({ dependency, bytes: b, share: b / total }))
    .sort((a, b) => b.bytes - a.bytes);
};
