/**
 * The offline run's evidence step: an administrator rewrites a police denial as an ALLOW (the
 * stream sees it) and, with the enforcement ledger's stream disabled, deletes an enforcement
 * record; the digester catches up; the evidence is exported to `<output>/evidence` and verified,
 * and the step passes when verification names both records.
 */
import { performance } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { VerificationReport } from '../../lambda/evidence/verify';
import type { OfflineEvidence } from './offline-evidence';
import { deleteEnforcementRecord, rewriteDenialAsAllow, type TamperedRecord } from './tamper';

export interface EvidenceStepResult {
  readonly altered: TamperedRecord;
  readonly deleted: TamperedRecord;
  readonly digestsWritten: number;
  readonly report: VerificationReport;
  /** Verification named both tampered records (and nothing else). */
  readonly asExpected: boolean;
  /** Wall time of the step (tampering, catching up the digests, export and verification), ms. */
  readonly wallMs: number;
}

/**
 * @example
 * const result = await playEvidenceStep(evidence, ddb, (at) => clock.set(at), end + 2 * DAY, 'output/evidence');
 */
export const playEvidenceStep = async (
  evidence: OfflineEvidence,
  dynamodb: DynamoDBClient,
  setClock: (at: Date) => void,
  at: number,
  exportDir: string,
): Promise<EvidenceStepResult> => {
  const started = performance.now();
  setClock(new Date(at));
  await evidence.capture();
  const altered = await rewriteDenialAsAllow(dynamodb, evidence.tables.audit);
  await evidence.capture();
  const deleted = await deleteEnforcementRecord(dynamodb, evidence.tables.enforcement);
  await evidence.resyncWithoutStream();
  // Two days later: every period up to then is due.
  setClock(new Date(at + 2 * 86_400_000));
  const digestsWritten = await evidence.tickUntilCurrent();
  const report = await evidence.exportAndVerify(exportDir);
  const named = (record: TamperedRecord) =>
    report.findings.some((finding) => finding.ledger === record.ledger && finding.key === record.key);
  return {
    altered,
    deleted,
    digestsWritten,
    report,
    asExpected: named(altered) && named(deleted) && report.findings.length === 2,
    wallMs: Math.round(performance.now() - started),
  };
};
