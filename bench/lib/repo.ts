/** Paths and shared inputs of the repository the benchmarks read. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type GovernanceSettings, parseGovernance } from '../../lambda/shared/settings';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const BENCH_DIR = join(REPO_ROOT, 'bench');
/** Scratch space (git-ignored): temporary synth output and partial results. */
export const WORK_DIR = join(BENCH_DIR, '.work');
export const EXAMPLE_CONFIG = join(REPO_ROOT, 'config', 'governance.json');
export const FIXTURE_IMAGES = resolve(REPO_ROOT, 'test', 'fixtures', 'images');

/** The example configuration as JSON (what `GOVREC_SETTINGS` holds) and parsed. */
export const exampleGovernance = (): { json: Record<string, unknown>; settings: GovernanceSettings } => {
  const json = JSON.parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as Record<string, unknown>;
  return { json, settings: parseGovernance(json) };
};
