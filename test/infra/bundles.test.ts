import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { synthStack } from '../helpers/cdk-app';

// The one test file that bundles: the functions must carry their settings and the Cedar files.
const { app, stack } = synthStack(undefined, { bundle: true });
const assembly = app.synth();

const assetDir = (fn: typeof stack.pipeline.policyFunction): string => {
  // The function's code asset; its path is relative to the cloud assembly.
  const asset = fn.node.findChild('Code') as Asset;
  return path.join(assembly.directory, asset.assetPath);
};

describe('function bundles', () => {
  it('ship the Cedar engine and the policies with the policy function', () => {
    const dir = assetDir(stack.pipeline.policyFunction);
    expect(existsSync(path.join(dir, 'cedar_wasm_bg.wasm'))).toBe(true);
    expect(readdirSync(path.join(dir, 'policies')).sort()).toEqual(
      readdirSync(path.join(__dirname, '..', '..', 'policies'))
        .filter((f) => f.includes('.cedar'))
        .sort(),
    );
  });

  it.each([
    ['policy', () => stack.pipeline.policyFunction],
    ['recognition', () => stack.pipeline.recognitionFunction],
  ])('compile the validated settings into the %s bundle', (_name, fn) => {
    const code = readFileSync(path.join(assetDir(fn()), 'index.js'), 'utf8');
    expect(code).toContain('2028-06-10T00:00:00.000Z');
    expect(code).toContain('govrec-police-investigations');
  });

  it.each([
    ['policy', () => stack.pipeline.policyFunction, ['PolicySetError', 'DecisionNotRecordedError']],
    ['recognition', () => stack.pipeline.recognitionFunction, ['PolicyTimeoutError', 'RekognitionThrottledError']],
  ])('keep the error class names the %s function reports, although minified', (_name, fn, names) => {
    // Minified without keepNames, `new.target.name` would report a mangled name such as "e".
    const code = readFileSync(path.join(assetDir(fn()), 'index.js'), 'utf8');
    for (const name of names) expect(code).toMatch(new RegExp(`class ${name} extends|"${name}"`));
  });

  it('do not ship the Cedar engine with the recognition function', () => {
    expect(existsSync(path.join(assetDir(stack.pipeline.recognitionFunction), 'cedar_wasm_bg.wasm'))).toBe(false);
  });
});
