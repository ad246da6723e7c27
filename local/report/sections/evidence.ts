/**
 * The report's "Ledger verification" section: what `govrec verify` found when the run checked the
 * audit and enforcement ledgers against their signed, chained digests.
 */
import type { VerificationReport } from '../../../lambda/evidence/verify';
import { e, type ReportSection } from '../html-kit';

/** The section; every finding is one row with its kind as `data-kind`. */
export const evidenceSection = (report: VerificationReport): ReportSection => {
  const ok = report.findings.length === 0;
  const html = `<p id="evidence-summary" class="${ok ? 'ok' : 'bad'}" data-findings="${report.findings.length}" data-verified="${report.records.verified}">${
    ok
      ? `Nothing found wrong: ${report.records.verified} records match their digests`
      : `${report.findings.length} finding(s); ${report.records.verified} records match their digests`
  }. ${report.digests.checked} digests read, ${report.digests.valid} with a valid signature${report.digests.coveredUntil ? `, covering up to ${e(report.digests.coveredUntil)}` : ''}; ${report.records.notYetDigested} records not in a digest yet.</p>
<table id="evidence-findings"><thead><tr><th>Finding</th><th>Ledger</th><th>Record</th><th>Detail</th></tr></thead><tbody>
${report.findings
  .map(
    (finding) =>
      `<tr data-kind="${e(finding.kind)}"><td>${e(finding.kind)}</td><td>${e(finding.ledger ?? '')}</td><td><code>${e(finding.key ?? finding.digest ?? '')}</code></td><td>${e(finding.detail)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
  return { id: 'evidence', title: 'Ledger verification', html };
};
