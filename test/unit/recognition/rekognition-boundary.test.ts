import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const SHIPPED = ['lambda', 'lib', 'bin'];
const WRAPPER = 'lambda/recognition/rekognition.ts';

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry) ? [path] : [];
  });

describe('the Rekognition boundary', () => {
  it('lets only the recognition wrapper import the Rekognition SDK', () => {
    const importers = SHIPPED.flatMap((dir) => {
      try {
        return sourceFiles(join(ROOT, dir));
      } catch {
        return [];
      }
    })
      .filter((path) => /['"]@aws-sdk\/client-rekognition['"]/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(ROOT, path).split('\\').join('/'));

    expect(importers).toEqual([WRAPPER]);
  });

  it('keeps the wrapper entry point behind an AllowedRequest', () => {
    const source = readFileSync(join(ROOT, WRAPPER), 'utf8');
    expect(source).toMatch(/async recognise\(request: AllowedRequest, guard: CallGuard = \(\) => undefined\)/);
    // The moratorium guard is asked before every attempt, ahead of the call itself.
    expect(source).toMatch(/const bar = guard\(\);\s+if \(bar !== undefined\) throw new RekognitionCallBarredError/);
    expect(source).toMatch(/if \(!isIssued\(request\)\) throw new UnverifiedRequestError/);
  });
});
