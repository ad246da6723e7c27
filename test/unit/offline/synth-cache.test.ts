import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedSynth, forgetSynth, rememberSynth, synthInputsHash } from '../../../local/offline/synth-cache';

const CONFIG = readFileSync(join(__dirname, '..', '..', '..', 'config', 'governance.json'), 'utf8');

describe('the synth cache', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), 'govrec-synth-cache-'));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  it('keys a synth by the configuration text and the region', () => {
    const key = synthInputsHash({ configText: CONFIG, region: 'us-east-1' });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(synthInputsHash({ configText: CONFIG, region: 'us-east-1' })).toBe(key);
    expect(synthInputsHash({ configText: `${CONFIG} `, region: 'us-east-1' })).not.toBe(key);
    expect(synthInputsHash({ configText: CONFIG, region: 'eu-west-1' })).not.toBe(key);
  });

  it('reuses an assembly only for the same key and only when its manifest is there', () => {
    rememberSynth(outdir, { hash: 'a', warnings: ['WARNING x'] });
    expect(cachedSynth(outdir, 'a')).toBeUndefined(); // no manifest.json: nothing to reuse
    writeFileSync(join(outdir, 'manifest.json'), '{}');
    expect(cachedSynth(outdir, 'a')).toEqual({ hash: 'a', warnings: ['WARNING x'] });
    expect(cachedSynth(outdir, 'b')).toBeUndefined();
  });

  it('forgets the key before a synth, so a half-written assembly is never reused', () => {
    writeFileSync(join(outdir, 'manifest.json'), '{}');
    rememberSynth(outdir, { hash: 'a', warnings: [] });
    forgetSynth(outdir);
    expect(cachedSynth(outdir, 'a')).toBeUndefined();
  });
});
