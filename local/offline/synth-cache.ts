/**
 * Skipping the synth when nothing it depends on changed. The key is a SHA-256 over the
 * configuration file, the environment the template depends on (region), cdk.json, the lockfile
 * and every source file under `lib/`, `lambda/`, `policies/` and `bin/` (the stacks, the contracts
 * they import, the Cedar files they embed); any change there synthesizes again. A stale cloud
 * assembly is never reused: the key is written only after a synth succeeded.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../lib/constructs/shared/house-function';

/** Folders whose files feed the template. */
const SOURCE_FOLDERS = ['lib', 'lambda', 'policies', 'bin'] as const;
/** Single files that do. */
const SOURCE_FILES = ['cdk.json', 'package-lock.json', 'local/offline/synth.ts'] as const;
const CACHE_FILE = 'govrec-synth.json';

const filesUnder = (dir: string): string[] => {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
};

/**
 * The cache key of a synth.
 *
 * @example
 * synthInputsHash({ configText, region: 'us-east-1' }) // 'f3a9…' (64 hex digits)
 */
export const synthInputsHash = (inputs: { readonly configText: string; readonly region: string }): string => {
  const hash = createHash('sha256');
  hash.update(`config\0${inputs.configText}\0region\0${inputs.region}\0`);
  const files = [
    ...SOURCE_FOLDERS.flatMap((folder) => filesUnder(join(REPO_ROOT, folder))),
    ...SOURCE_FILES.map((file) => join(REPO_ROOT, file)).filter((file) => existsSync(file)),
  ].sort();
  for (const file of files) {
    hash.update(`${relative(REPO_ROOT, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
};

interface CacheEntry {
  readonly hash: string;
  readonly warnings: readonly string[];
}

/** The warnings of the cached synth when `outdir` holds the assembly of exactly these inputs. */
export const cachedSynth = (outdir: string, hash: string): CacheEntry | undefined => {
  try {
    const entry = JSON.parse(readFileSync(join(outdir, CACHE_FILE), 'utf8')) as CacheEntry;
    return entry.hash === hash && existsSync(join(outdir, 'manifest.json')) ? entry : undefined;
  } catch {
    return undefined;
  }
};

/** Record a successful synth of these inputs. */
export const rememberSynth = (outdir: string, entry: CacheEntry): void => {
  writeFileSync(join(outdir, CACHE_FILE), `${JSON.stringify(entry, null, 2)}\n`);
};

/** Forget the key before synthesizing, so an assembly a failed synth left half-written is never reused. */
export const forgetSynth = (outdir: string): void => {
  rmSync(join(outdir, CACHE_FILE), { force: true });
  mkdirSync(outdir, { recursive: true });
};
