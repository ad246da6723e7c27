/**
 * Which ledger changes the pipeline itself makes. The audit ledger is append-only: its writers
 * only ever insert. The enforcement workflows also only insert: the restore closes a role's window
 * by appending a `WINDOW#…#CLOSED` record, never by re-putting the window. Anything else (a MODIFY
 * that changes an item, or a REMOVE) was made by someone outside the pipeline.
 */
import type { DigestEntry } from './types';

/** Whether a change is one the pipeline makes (true) or a tampering to report (false). */
export const isPipelineChange = (
  entry: Pick<DigestEntry, 'ledger' | 'change' | 'key' | 'hash' | 'previousHash'>,
): boolean => {
  if (entry.change === 'INSERT') return true;
  // Every ledger write of the pipeline is a conditional put of a new item (the restore appends a
  // `WINDOW#…#CLOSED` record instead of re-putting the window), so only an identical re-put is ours.
  return entry.change === 'MODIFY' && entry.hash !== undefined && entry.hash === entry.previousHash;
};
