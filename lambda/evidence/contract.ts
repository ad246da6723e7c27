/**
 * Names shared by the evidence construct and its functions (no SDK imports, so synth loads no
 * runtime code): environment variables, metric names, defaults.
 */

export const EVIDENCE_ENV = {
  journalTable: 'EVIDENCE_JOURNAL_TABLE',
  digestBucket: 'EVIDENCE_DIGEST_BUCKET',
  digestPrefix: 'EVIDENCE_DIGEST_PREFIX',
  signingKeyId: 'EVIDENCE_SIGNING_KEY_ID',
  auditTable: 'EVIDENCE_AUDIT_TABLE',
  enforcementTable: 'EVIDENCE_ENFORCEMENT_TABLE',
  periodMinutes: 'EVIDENCE_PERIOD_MINUTES',
  graceSeconds: 'EVIDENCE_GRACE_SECONDS',
  retentionMarginDays: 'EVIDENCE_RETENTION_MARGIN_DAYS',
} as const;

export const EVIDENCE_DEFAULTS = {
  /** One digest an hour, like CloudTrail's digest files. */
  periodMinutes: 60,
  /** How long after a period ends its digest waits for late stream records. */
  graceSeconds: 300,
  /** Digests stay locked this long after the moratorium end (or after being written, if later). */
  retentionMarginDays: 365,
  digestPrefix: 'digests/',
  /** Periods one closer run signs at most (catching up after an outage continues on the next tick). */
  maxPeriodsPerRun: 48,
} as const;

/** Metrics of the evidence flow (namespace: the house namespace). */
export const EVIDENCE_METRIC_NAMES = {
  /** A ledger record was changed or removed in a way no writer of the pipeline does. */
  ledgerChangeObserved: 'LedgerChangeObserved',
  digestsWritten: 'DigestsWritten',
  /** Ledger changes journaled (every stream record). */
  ledgerChangesRecorded: 'LedgerChangesRecorded',
} as const;
