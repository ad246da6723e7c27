/**
 * The instant a ledger record says it was made. An item that a digest should already list but
 * does not, judged by this instant, was back-filled (or written while the stream was off).
 */
import type { LedgerItem } from './canonical';

const TIME_ATTRIBUTES = ['decidedAt', 'recordedAt', 'disabledAt', 'restoredAt'] as const;

export const recordTime = (item: LedgerItem): string | undefined => {
  for (const name of TIME_ATTRIBUTES) {
    const value = (item[name] as { S?: unknown } | undefined)?.S;
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  }
  return undefined;
};
