/**
 * Closing periods: on each scheduled tick, every period that ended more than the grace time ago
 * and has no digest yet gets one, in order, each chained to the one before.
 *
 * Crash-safe in any order: the digest is written once (If-None-Match), and a rerun that finds it
 * already stored adopts the stored file, forgets the entries it lists and moves the head to it.
 * Entries it does not list stay pending and go into the next digest (as late entries).
 */
import {
  compareEntries,
  type DigestSigner,
  digestFileHash,
  digestKey,
  parseDigestFile,
  SIGNING_ALGORITHM,
  signDigest,
} from './digest';
import type { DigestStore } from './digest-store';
import { DigestWriteError } from './errors';
import type { ChainHead, EvidenceJournal } from './journal';
import { nextPeriod, type PeriodGrid, periodContaining } from './periods';
import type { DigestBody, Period } from './types';

export interface CloserDeps {
  readonly journal: Pick<EvidenceJournal, 'head' | 'pendingBefore' | 'forget' | 'moveHead'>;
  readonly store: DigestStore;
  readonly signer: DigestSigner;
  readonly grid: PeriodGrid;
  readonly graceSeconds: number;
  readonly prefix: string;
  /** Until when a digest written at `now` stays locked. */
  readonly retainUntil: (now: Date) => Date;
  readonly maxPeriods: number;
}

const firstPeriod = async (deps: CloserDeps, due: Date): Promise<Period | undefined> => {
  const [earliest] = await deps.journal.pendingBefore(due.toISOString());
  return earliest === undefined ? undefined : periodContaining(deps.grid, new Date(earliest.at));
};

/** Close the due periods; returns the digests written or adopted, oldest first. */
export const closeDuePeriods = async (deps: CloserDeps, now: Date): Promise<ChainHead[]> => {
  const due = new Date(now.getTime() - deps.graceSeconds * 1000);
  let head = await deps.journal.head();
  let period = head !== undefined ? nextPeriod(deps.grid, head.period) : await firstPeriod(deps, due);
  const closed: ChainHead[] = [];
  while (period !== undefined && Date.parse(period.end) <= due.getTime() && closed.length < deps.maxPeriods) {
    const entries = (await deps.journal.pendingBefore(period.end)).sort(compareEntries);
    const key = digestKey(deps.prefix, period);
    const body: DigestBody = {
      version: 1,
      period,
      previous: head !== undefined ? { key: head.key, hash: head.hash } : null,
      entries,
      signing: { keyId: deps.signer.keyId, algorithm: SIGNING_ALGORITHM },
      createdAt: now.toISOString(),
    };
    let text = await signDigest(body, deps.signer);
    if (!(await deps.store.putIfAbsent(key, text, deps.retainUntil(now)))) {
      const stored = await deps.store.get(key);
      if (stored === undefined) throw new DigestWriteError(`digest ${key} exists but cannot be read`);
      text = stored;
    }
    await deps.journal.forget(parseDigestFile(text, key).body.entries);
    const next: ChainHead = { period, key, hash: digestFileHash(text) };
    await deps.journal.moveHead(next, head);
    closed.push(next);
    head = next;
    period = nextPeriod(deps.grid, period);
  }
  return closed;
};
