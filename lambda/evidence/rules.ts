/**
 * Which ledger changes the pipeline itself makes. The audit ledger is append-only: its writers
 * only ever insert. The enforcement workflows also insert, except the restore workflow, which
 * closes a role's `WINDOW#…` record by putting it again with status RESTORED. Anything else (a
 * MODIFY or REMOVE) was made by someone outside the pipeline.
 */
import type { DigestEntry } from './types';

const sortKeyOf = (key: string): string | undefined => {
  try {
    const parsed = JSON.parse(key) as Record<string, { S?: string }>;
    return parsed.sk?.S;
  } catch {
    return undefined;
  }
};

/** Whether a change is one the pipeline makes (true) or a tampering to report (false). */
export const isPipelineChange = (
  entry: Pick<DigestEntry, 'ledger' | 'change' | 'key' | 'hash' | 'previousHash'>,
): boolean => {
  if (entry.change === 'INSERT') return true;
  if (entry.change === 'MODIFY' && entry.hash !== undefined && entry.hash === entry.previousHash) return true;
  return (
    entry.ledger === 'enforcement' && entry.change === 'MODIFY' && (sortKeyOf(entry.key) ?? '').startsWith('WINDOW#')
  );
};
