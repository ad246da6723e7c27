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
});
