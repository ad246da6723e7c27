/**
 * Verifying the ledgers against their digests. Pure: the caller reads the digests, the public
 * key and the current ledger items (from a deployed stack, or from an export) and passes them in.
 *
 * What it checks:
 * - every digest's signature under the public key, and that each digest chains to the one before
 *   (its `previous.hash` is the SHA-256 of the previous file as stored);
 * - that every period of the range that should be closed has a digest;
 * - replaying the digests' entries: any change the pipeline never makes (a MODIFY or REMOVE of an
 *   audit record, for instance) that the stream saw;
 * - every record the digests list, against the ledger now: missing, or altered (its content hash
 *   differs from the last hash a digest recorded for it);
 * - every record the digests do not list although its own time falls in a digested period, or
 *   listed much later than its own time says: added after its digest (back-filled).
 */
import { canonicalForm, carriedHash, contentHash, type LedgerItem } from './canonical';
import { digestFileHash, parseDigestFile, signatureValid } from './digest';
import { type PeriodGrid, periodContaining, periodsBetween } from './periods';
import { recordTime } from './record-time';
import { isPipelineChange } from './rules';
import type { DigestEntry, DigestFile, LedgerName } from './types';

export type FindingKind =
  | 'RECORD_MISSING'
  | 'RECORD_ALTERED'
  | 'RECORD_ADDED_AFTER_DIGEST'
  | 'RECORD_CHANGE_OUTSIDE_PIPELINE'
  | 'DIGEST_MISSING'
  | 'DIGEST_UNREADABLE'
  | 'DIGEST_SIGNATURE_INVALID'
  | 'DIGEST_CHAIN_BROKEN';

export interface Finding {
  readonly kind: FindingKind;
  readonly ledger?: LedgerName;
  /** The record's key attributes as JSON (canonical form). */
  readonly key?: string;
  /** S3 key of the digest concerned. */
  readonly digest?: string;
  readonly detail: string;
}

export interface VerifyInput {
  /** Digest files as stored (key and exact text): those of the range, in any order. */
  readonly digests: readonly { readonly key: string; readonly text: string }[];
  readonly publicKeyPem: string;
  /** The ledgers' current items, in DynamoDB attribute-value form. */
  readonly ledgers: Readonly<Record<LedgerName, readonly LedgerItem[]>>;
  /** Names of each ledger's key attributes (partition, sort). */
  readonly keyNames: Readonly<Record<LedgerName, readonly string[]>>;
  readonly from: Date;
  readonly to: Date;
  /** When the verification runs: periods that end after `now - graceSeconds` need no digest yet. */
  readonly now: Date;
  readonly grid: PeriodGrid;
  readonly graceSeconds: number;
  /** How much later than its own time a record may reach the stream before it counts as back-filled. */
  readonly backfillToleranceSeconds: number;
}

export interface VerificationReport {
  readonly from: string;
  readonly to: string;
  readonly digests: { readonly checked: number; readonly valid: number; readonly coveredUntil?: string };
  readonly records: { readonly verified: number; readonly notYetDigested: number };
  readonly findings: readonly Finding[];
}

const recordKey = (item: LedgerItem, names: readonly string[]): string => {
  const keys: LedgerItem = {};
  for (const name of names) if (item[name] !== undefined) keys[name] = item[name];
  return canonicalForm(keys);
};

/** Verify the ledgers over `[from, to)`; an empty `findings` list means nothing was found wrong. */
export const verifyLedgers = (input: VerifyInput): VerificationReport => {
  const findings: Finding[] = [];
  const parsed: { key: string; text: string; file: DigestFile }[] = [];
  for (const { key, text } of input.digests) {
    try {
      parsed.push({ key, text, file: parseDigestFile(text, key) });
    } catch (error) {
      findings.push({ kind: 'DIGEST_UNREADABLE', digest: key, detail: (error as Error).message });
    }
  }
  parsed.sort((a, b) => a.file.body.period.start.localeCompare(b.file.body.period.start));

  const valid = parsed.filter(({ key, file }) => {
    const ok = signatureValid(file, input.publicKeyPem);
    if (!ok)
      findings.push({
        kind: 'DIGEST_SIGNATURE_INVALID',
        digest: key,
        detail: `the signature of the digest for ${file.body.period.start} .. ${file.body.period.end} does not verify; its entries are not trusted`,
      });
    return ok;
  });

  // The chain: each digest names the hash of the file before it.
  for (const [i, current] of parsed.entries()) {
    const before = parsed[i - 1];
    if (before === undefined) continue;
    const previous = current.file.body.previous;
    if (previous?.key === before.key && previous.hash !== digestFileHash(before.text))
      findings.push({
        kind: 'DIGEST_CHAIN_BROKEN',
        digest: before.key,
        detail: `${current.key} chains to a different ${before.key} (hash ${previous.hash}); the stored file was replaced`,
      });
  }

  // Periods that should have a digest by now.
  const closedUntil = new Date(Math.min(input.to.getTime(), input.now.getTime() - input.graceSeconds * 1000));
  const have = new Set(valid.map(({ file }) => file.body.period.start));
  // Periods without a trusted digest: their records cannot be checked one by one, and are not
  // reported one by one either (the missing or broken digest is the finding).
  // The chain starts at its first digest (previous: null): no digest is due before it.
  const genesis = parsed.find(({ file }) => file.body.previous === null)?.file.body.period.start;
  // Without it, the digest before the earliest one is due (the earliest names it as its previous).
  const earliest = parsed[0]?.file.body.period.start;
  const chainStart =
    genesis ??
    (earliest !== undefined ? periodContaining(input.grid, new Date(Date.parse(earliest) - 1)).start : undefined);
  const expectedFrom =
    chainStart !== undefined && chainStart > input.from.toISOString() ? new Date(chainStart) : input.from;
  const untrusted = periodsBetween(input.grid, expectedFrom, closedUntil).filter((period) => !have.has(period.start));
  const present = new Set(parsed.map(({ file }) => file.body.period.start));
  for (const period of untrusted) {
    if (!present.has(period.start))
      findings.push({ kind: 'DIGEST_MISSING', detail: `no digest for ${period.start} .. ${period.end}` });
  }
  for (const { file } of parsed) if (!have.has(file.body.period.start)) untrusted.push(file.body.period);
  const inUntrustedPeriod = (at: string): boolean => untrusted.some((period) => at >= period.start && at < period.end);

  // Replay the trusted entries: the last hash each record had.
  const last = new Map<string, { entry: DigestEntry; digest: string }>();
  const reported = new Set<string>();
  const seen = new Set<string>();
  for (const { key: digest, file } of valid) {
    for (const entry of file.body.entries) {
      const id = `${entry.ledger}\n${entry.sequence}\n${entry.key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const changed = `${entry.ledger}\n${entry.key}`;
      if (!isPipelineChange(entry) || entry.carriedHashMismatch === true) reported.add(changed);
      if (!isPipelineChange(entry))
        findings.push({
          kind: 'RECORD_CHANGE_OUTSIDE_PIPELINE',
          ledger: entry.ledger,
          key: entry.key,
          digest,
          detail: `${entry.change === 'REMOVE' ? 'deleted' : 'overwritten'} at ${entry.at}: no writer of the pipeline does that to this ledger`,
        });
      else if (entry.carriedHashMismatch === true)
        findings.push({
          kind: 'RECORD_ALTERED',
          ledger: entry.ledger,
          key: entry.key,
          digest,
          detail: `written at ${entry.at} with a contentHash that is not the hash of its content`,
        });
      last.set(changed, { entry, digest });
    }
  }
  const coveredUntil = valid.at(-1)?.file.body.period.end;

  let verified = 0;
  let notYetDigested = 0;
  const fromIso = input.from.toISOString();
  const toIso = input.to.toISOString();
  for (const ledger of Object.keys(input.ledgers) as LedgerName[]) {
    const current = new Map<string, LedgerItem>();
    for (const item of input.ledgers[ledger]) current.set(recordKey(item, input.keyNames[ledger]), item);
    for (const { entry, digest } of last.values()) {
      if (entry.ledger !== ledger) continue;
      const item = current.get(entry.key);
      if (entry.hash === undefined) continue; // removed: reported above as a change outside the pipeline
      if (item === undefined) {
        findings.push({
          kind: 'RECORD_MISSING',
          ledger,
          key: entry.key,
          digest,
          detail: `listed in ${digest} (written ${entry.at}) but no longer in the ledger`,
        });
        continue;
      }
      const hash = contentHash(item);
      const carried = carriedHash(item);
      const alreadyReported = reported.has(`${ledger}\n${entry.key}`);
      if (hash !== entry.hash || (carried !== undefined && carried !== hash && !alreadyReported)) {
        findings.push({
          kind: 'RECORD_ALTERED',
          ledger,
          key: entry.key,
          digest,
          detail: `its content hash is ${hash}; ${digest} recorded ${entry.hash}`,
        });
        continue;
      }
      const claimed = recordTime(item);
      if (
        entry.change === 'INSERT' &&
        claimed !== undefined &&
        Date.parse(entry.at) - Date.parse(claimed) > input.backfillToleranceSeconds * 1000
      ) {
        findings.push({
          kind: 'RECORD_ADDED_AFTER_DIGEST',
          ledger,
          key: entry.key,
          digest,
          detail: `says ${claimed} but was written at ${entry.at}, after the digest of its own period`,
        });
        continue;
      }
      verified++;
    }
    for (const [key, item] of current) {
      if (last.has(`${ledger}\n${key}`)) continue;
      const claimed = recordTime(item) ?? '';
      if (claimed !== '' && (claimed < fromIso || claimed >= toIso)) continue;
      if (
        claimed !== '' &&
        !inUntrustedPeriod(claimed) &&
        coveredUntil !== undefined &&
        claimed < coveredUntil &&
        claimed >= (valid[0]?.file.body.period.start ?? '')
      )
        findings.push({
          kind: 'RECORD_ADDED_AFTER_DIGEST',
          ledger,
          key,
          detail: `says ${claimed}, inside a digested period, but no digest lists it`,
        });
      else notYetDigested++;
    }
  }

  return {
    from: fromIso,
    to: toIso,
    digests: { checked: parsed.length, valid: valid.length, ...(coveredUntil !== undefined ? { coveredUntil } : {}) },
    records: { verified, notYetDigested },
    findings,
  };
};
