import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvidenceDir, writeEvidenceDir } from '../../../local/evidence/evidence-source';
import { runVerify } from '../../../local/evidence/verify-command';
import { GRID, newWorld, T0, write } from './world';

const HOUR = 3_600_000;

describe('govrec verify on an exported folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'govrec-evidence-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const exported = async () => {
    const world = newWorld();
    await write(world, 'audit', 1, T0 + 5 * 60_000);
    await write(world, 'enforcement', 2, T0 + 2 * HOUR);
    await world.close(T0 + 5 * HOUR);
    writeEvidenceDir(dir, {
      grid: GRID,
      publicKeyPem: world.signer.publicKeyPem,
      ledgers: world.ledgers,
      digests: [...world.store.objects.entries()].map(([key, text]) => ({ key, text })),
      asOf: new Date(T0 + 5 * HOUR).toISOString(),
    });
    return world;
  };

  it('round-trips the folder byte for byte, so the chain hashes still match', async () => {
    const world = await exported();
    const bundle = readEvidenceDir(dir);
    expect(bundle.digests).toEqual(
      [...world.store.objects.entries()]
        .map(([key, text]) => ({ key, text }))
        .sort((a, b) => a.key.localeCompare(b.key)),
    );
    expect(bundle.ledgers).toEqual(world.ledgers);
  });

  it('exits 0 and says so when nothing is wrong, judging the folder as of its export', async () => {
    await exported();
    const lines: string[] = [];

    const code = await runVerify({ from: new Date(0), evidence: dir }, (line = '') => lines.push(line));

    expect(code).toBe(0);
    expect(lines).toContain('Findings: none');
    expect(lines).toContain('Records:  2 verified, 0 not in a digest yet (after the last one, or before the first)');
  });

  it('exits 1 and names the record when a ledger item in the folder was changed', async () => {
    const world = await exported();
    world.ledgers.audit[0] = { ...world.ledgers.audit[0]!, effect: { S: 'ALLOW' } };
    writeEvidenceDir(dir, { ...readEvidenceDir(dir), ledgers: world.ledgers });
    const lines: string[] = [];

    const code = await runVerify({ from: new Date(0), evidence: dir, json: true }, (line = '') => lines.push(line));

    expect(code).toBe(1);
    expect(JSON.parse(lines.join('\n')).findings).toEqual([
      expect.objectContaining({
        kind: 'RECORD_ALTERED',
        ledger: 'audit',
        key: '{"decisionId":{"S":"d-1"},"entry":{"S":"DECISION"}}',
      }),
    ]);
  });
});
