import fc from 'fast-check';
import { canonicalForm, contentHash, type LedgerItem } from '../../../lambda/evidence/canonical';
import type { LedgerName } from '../../../lambda/evidence/types';
import type { FindingKind } from '../../../lambda/evidence/verify';
import { KEY_NAMES, LocalKeySigner, ledgerItem, newWorld, streamRecord, T0, type World, write } from './world';

const MINUTE = 60_000;
const NOW = T0 + 6 * 60 * MINUTE;
const keyOf = (ledger: LedgerName, item: LedgerItem) =>
  canonicalForm(Object.fromEntries(KEY_NAMES[ledger].map((name) => [name, item[name]!])));

const TAMPERS = [
  'alter-quietly',
  'delete-quietly',
  'alter-seen',
  'delete-seen',
  'backfill-quietly',
  'backfill-seen',
  'digest-deleted',
  'digest-altered',
  'digest-resigned',
] as const;
type Tamper = (typeof TAMPERS)[number];

/** Apply one tampering as an administrator could; return the findings it must cause (kind and key). */
const tamper = async (world: World, kind: Tamper, pick: number): Promise<{ kind: FindingKind; key?: string }[]> => {
  const all = (['audit', 'enforcement'] as const).flatMap((ledger) =>
    world.ledgers[ledger].map((item, index) => ({ ledger, item, index })),
  );
  const victim = all[pick % all.length]!;
  const key = keyOf(victim.ledger, victim.item);
  const altered = { ...victim.item, detail: { S: 'rewritten by an administrator' } };
  const digests = [...world.store.objects.keys()].sort();
  switch (kind) {
    case 'alter-quietly':
      world.ledgers[victim.ledger][victim.index] = altered;
      return [{ kind: 'RECORD_ALTERED', key }];
    case 'delete-quietly':
      world.ledgers[victim.ledger].splice(victim.index, 1);
      return [{ kind: 'RECORD_MISSING', key }];
    case 'alter-seen':
      world.ledgers[victim.ledger][victim.index] = altered;
      await world.record(streamRecord(victim.ledger, 'MODIFY', NOW + 10 * MINUTE, altered, victim.item));
      return [{ kind: 'RECORD_CHANGE_OUTSIDE_PIPELINE', key }];
    case 'delete-seen':
      world.ledgers[victim.ledger].splice(victim.index, 1);
      await world.record(streamRecord(victim.ledger, 'REMOVE', NOW + 10 * MINUTE, undefined, victim.item));
      return [{ kind: 'RECORD_CHANGE_OUTSIDE_PIPELINE', key }];
    case 'backfill-quietly':
    case 'backfill-seen': {
      // Dated one second after the earliest record, so inside a period the chain covers.
      const earliest = Math.min(...all.map(({ item }) => Date.parse((item.decidedAt ?? item.recordedAt)!.S as string)));
      const forged = ledgerItem('audit', 9999, earliest + 1000, 'ALLOW that never happened');
      world.ledgers.audit.push(forged);
      if (kind === 'backfill-seen')
        await world.record(streamRecord('audit', 'INSERT', NOW + 10 * MINUTE, forged, undefined));
      return [{ kind: 'RECORD_ADDED_AFTER_DIGEST', key: keyOf('audit', forged) }];
    }
    case 'digest-deleted':
      world.store.objects.delete(digests[pick % digests.length]!);
      return [{ kind: 'DIGEST_MISSING' }];
    case 'digest-altered':
    case 'digest-resigned': {
      const target = digests[pick % digests.length]!;
      const file = JSON.parse(world.store.objects.get(target)!);
      file.body.createdAt = '2030-01-01T00:00:00.000Z';
      if (kind === 'digest-resigned') {
        const other = new LocalKeySigner();
        const { signDigest } = await import('../../../lambda/evidence/digest');
        world.store.objects.set(target, await signDigest(file.body, other));
      } else world.store.objects.set(target, JSON.stringify(file));
      // The next digest chains to the original file: both the signature and the chain break.
      return [{ kind: 'DIGEST_SIGNATURE_INVALID' }, { kind: 'DIGEST_CHAIN_BROKEN' }];
    }
  }
};

const ledgerArb = fc.array(
  fc.record({ ledger: fc.constantFrom<LedgerName>('audit', 'enforcement'), minute: fc.integer({ min: 0, max: 299 }) }),
  { minLength: 1, maxLength: 30 },
);

const build = async (records: readonly { ledger: LedgerName; minute: number }[]) => {
  const world = newWorld(signer);
  for (const [index, { ledger, minute }] of records.entries()) await write(world, ledger, index, T0 + minute * MINUTE);
  return world;
};
const signer = new LocalKeySigner();

describe('verifyLedgers', () => {
  it('finds nothing wrong with an untampered ledger, and verifies every record', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb, async (records) => {
        const world = await build(records);
        await world.close(NOW);
        const report = world.verify(NOW);
        expect(report.findings).toEqual([]);
        expect(report.records.verified).toBe(records.length);
        expect(report.digests.valid).toBe(report.digests.checked);
      }),
      { numRuns: 60 },
    );
  });

  it('names exactly the tampering done, whichever it is', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb, fc.constantFrom(...TAMPERS), fc.nat(), async (records, kind, pick) => {
        const world = await build(records);
        await world.close(NOW);
        const expected = await tamper(world, kind, pick);
        await world.close(NOW + 2 * 60 * MINUTE);
        const report = world.verify(NOW + 2 * 60 * MINUTE);
        const found = report.findings.map((finding) => ({
          kind: finding.kind,
          ...(expected.some((e) => e.key !== undefined) && finding.key !== undefined ? { key: finding.key } : {}),
        }));
        expect(found).toEqual(expect.arrayContaining(expected));
        expect(found).toHaveLength(expected.length);
      }),
      { numRuns: 150 },
    );
  });

  // Counterexamples fast-check found while the verifier was written, kept as named cases.
  it.each([
    ['the genesis digest deleted', [{ ledger: 'audit', minute: 60 }], 'digest-deleted', 0],
    ['the only digest deleted before the next close', [{ ledger: 'audit', minute: 240 }], 'digest-deleted', 0],
    ['the genesis digest re-signed with another key', [{ ledger: 'audit', minute: 60 }], 'digest-resigned', 0],
    ['an audit record overwritten through the stream', [{ ledger: 'audit', minute: 0 }], 'alter-seen', 0],
  ] as const)('regression: names %s', async (_, records, kind, pick) => {
    const world = await build(records);
    await world.close(NOW);
    const expected = await tamper(world, kind, pick);
    await world.close(NOW + 2 * 60 * MINUTE);

    const kinds = world.verify(NOW + 2 * 60 * MINUTE).findings.map((finding) => finding.kind);

    expect(kinds.sort()).toEqual(expected.map((e) => e.kind).sort());
  });

  it('reports a period with no digest and a digest whose previous file was replaced', async () => {
    const world = await build([{ ledger: 'audit', minute: 5 }]);
    await world.close(NOW);
    const keys = [...world.store.objects.keys()].sort();
    world.store.objects.delete(keys[2]!);

    const kinds = world.verify(NOW).findings.map((finding) => finding.kind);

    expect(kinds).toEqual(['DIGEST_MISSING']);
  });

  it('closes one digest per hour and one at the window boundary, each chained to the one before', async () => {
    const world = await build([
      { ledger: 'audit', minute: 5 },
      { ledger: 'enforcement', minute: 150 },
    ]);
    const closed = await world.close(NOW);
    expect(closed.map((head) => `${head.period.start.slice(11, 16)}-${head.period.end.slice(11, 16)}`)).toEqual([
      '22:00-23:00',
      '23:00-00:00',
      '00:00-00:30',
      '00:30-01:00',
      '01:00-02:00',
      '02:00-03:00',
    ]);
    const files = closed.map((head) => JSON.parse(world.store.objects.get(head.key)!));
    expect(files[0].body.previous).toBeNull();
    for (const [i, file] of files.entries())
      if (i > 0) expect(file.body.previous).toEqual({ key: closed[i - 1]!.key, hash: closed[i - 1]!.hash });
    expect(files[0].body.entries).toHaveLength(1);
    expect(files[0].body.entries[0].hash).toBe(contentHash(world.ledgers.audit[0]!));
  });

  it('flags an overwrite of a window record: the restore appends a #CLOSED record, it never re-puts the window', async () => {
    const world = newWorld(signer);
    const disabled: LedgerItem = {
      pk: { S: 'arn:aws:iam::111111111111:role/police' },
      sk: { S: 'WINDOW#2028-07-01T00:00:00.000Z' },
      status: { S: 'DISABLED' },
      disabledAt: { S: new Date(T0).toISOString() },
    };
    const restored: LedgerItem = {
      ...disabled,
      status: { S: 'RESTORED' },
      restoredAt: { S: new Date(T0 + 60 * MINUTE).toISOString() },
    };
    world.ledgers.enforcement.push(restored);
    await world.record(streamRecord('enforcement', 'INSERT', T0 + 1000, disabled, undefined));
    await world.record(streamRecord('enforcement', 'MODIFY', T0 + 60 * MINUTE + 1000, restored, disabled));
    await world.close(NOW);

    expect(world.verify(NOW).findings.map((finding) => finding.kind)).toEqual(['RECORD_CHANGE_OUTSIDE_PIPELINE']);
  });

  it('counts records written after the last closed period as not yet digested, not as findings', async () => {
    const world = await build([{ ledger: 'audit', minute: 5 }]);
    await world.close(NOW);
    await write(world, 'audit', 77, NOW + MINUTE);

    const report = world.verify(NOW + 2 * MINUTE);

    expect(report.findings).toEqual([]);
    expect(report.records).toEqual({ verified: 1, notYetDigested: 1 });
  });
});
