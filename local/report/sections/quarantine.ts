/** What the ledger says was moved to quarantine, why, and whether the object is there. */
import { decisionLink, e, instant, quarantineAnchor, type ReportSection, table } from '../html-kit';
import type { ReviewReport } from '../types';

export const quarantineSection = (report: ReviewReport): ReportSection => ({
  id: 'quarantine-section',
  title: `Quarantined objects (${report.quarantine.recorded.length})`,
  html: table(
    'quarantine',
    ['Time', 'Decision', 'Organisation', 'Outcome', 'Reason', 'Quarantined object', 'Present'],
    report.quarantine.recorded.map(
      (q) =>
        `<tr id="${e(quarantineAnchor(q.decisionId))}" data-outcome="${e(q.outcome)}" data-org="${e(q.attributedTo)}" data-reason="${e(q.reason)}" data-effect="DENY"><td>${e(instant(q.at))}</td><td>${decisionLink(q.decisionId)}</td><td>${e(q.orgId)}</td><td>${e(q.outcome)}</td><td class="reason">${e(q.reason)}${q.detail ? `<br><small>${e(q.detail)}</small>` : ''}</td><td><code>s3://${e(q.bucket)}/${e(q.key)}</code>${q.versionId ? `<br><small>version <code>${e(q.versionId)}</code></small>` : ''}</td><td>${q.present === undefined ? 'not checked' : q.present ? 'yes' : '<strong>missing</strong>'}</td></tr>`,
    ),
  ),
});
