/**
 * The decisions table (one row per upload, anchored by decision id) with its filters. The filter
 * controls are plain `<select>`s; the page's one script (see `../html.ts`) hides the rows that do
 * not match, and without it every row stays visible.
 */
import {
  countsTable,
  decisionAnchor,
  e,
  instant,
  quarantineAnchor,
  type ReportSection,
  resultAnchor,
  table,
} from '../html-kit';
import { roleAnchor } from '../roles';
import type { ReviewReport, UploadRow } from '../types';

export const DECISION_COLUMNS = [
  'Time',
  'Caller',
  'Organisation',
  'Category',
  'Operation / purpose',
  'Decision',
  'Reason',
  'Policies',
  'Outcome',
  'Object',
] as const;

/** The outcome, linked to its figure in "Recognition results" or its entry in "Quarantined objects". */
const outcomeCell = (row: UploadRow): string => {
  const text = e(row.outcome ?? 'none recorded');
  if (row.recognition !== undefined) return `<a href="#${e(resultAnchor(row.decisionId))}">${text}</a>`;
  if ((row.outcome === 'QUARANTINED' || row.outcome === 'REJECTED') && row.location !== undefined)
    return `<a href="#${e(quarantineAnchor(row.decisionId))}">${text}</a>`;
  return text;
};

/** One decision as a table row; `disabledRoles` get a link to their row in "Roles disabled". */
export const decisionRow = (row: UploadRow, disabledRoles: ReadonlySet<string>): string => {
  const classes = [`effect-${row.effect}`, row.violations.length > 0 ? 'violation' : ''].filter(Boolean).join(' ');
  const role =
    row.roleArn === undefined
      ? ''
      : disabledRoles.has(row.roleArn)
        ? `<br><a href="#${e(roleAnchor(row.roleArn))}"><code>${e(row.roleArn)}</code></a>`
        : `<br><code>${e(row.roleArn)}</code>`;
  return `<tr id="${e(decisionAnchor(row.decisionId))}" class="${e(classes)}" data-decision-id="${e(row.decisionId)}" data-effect="${e(row.effect)}" data-org="${e(row.attributedTo)}" data-reason="${e(row.reason)}" data-category="${e(row.category)}" data-outcome="${e(row.outcome ?? 'NONE')}">
<td>${e(instant(row.at))}</td><td><code>${e(row.principalId)}</code>${role}</td>
<td>${e(row.attributedTo)}${row.orgId !== row.attributedTo ? `<br><small>under the prefix of ${e(row.orgId)}</small>` : ''}</td><td>${e(row.category)}${row.restricted ? ' (restricted)' : ''}</td><td>${e(row.operation)} / ${e(row.purpose)}</td>
<td class="effect">${e(row.effect)}</td><td class="reason">${e(row.reason)}${row.detail ? `<br><small>${e(row.detail)}</small>` : ''}</td>
<td>${row.policyIds.map((id) => `<code>${e(id)}</code>`).join('<br>')}</td><td class="outcome">${outcomeCell(row)}${row.resultMissing ? '<br><small>result expired or missing</small>' : ''}</td>
<td><code>${e(row.object?.key ?? '')}</code><br><small>decision <code>${e(row.decisionId)}</code></small>${row.violations.length > 0 ? `<br><strong>${e(row.violations.join('; '))}</strong>` : ''}</td></tr>`;
};

const select = (name: string, label: string, values: readonly string[]): string =>
  `<label>${e(label)} <select data-filter="${e(name)}"><option value="">all</option>${values.map((v) => `<option>${e(v)}</option>`).join('')}</select></label>`;

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

export const decisionsSection = (report: ReviewReport): ReportSection => {
  const disabledRoles = new Set(report.rolesDisabled.map((row) => row.role));
  const filters = `<form id="filters" class="filters" data-target="uploads recognition quarantine">${select(
    'org',
    'Organisation',
    sorted([...report.organisations.map((o) => o.id), ...report.uploads.map((row) => row.attributedTo)]),
  )}${select('effect', 'Decision', sorted(report.uploads.map((row) => row.effect)))}${select(
    'reason',
    'Reason',
    sorted(report.uploads.map((row) => row.reason)),
  )} <span id="filter-count" aria-live="polite"></span></form>`;
  return {
    id: 'decisions',
    title: `Decisions (${report.uploads.length})`,
    html: `<div class="counts">${countsTable('Effect', report.counts.byEffect)}${countsTable('Reason', report.counts.byReason)}${countsTable('Outcome', report.counts.byOutcome)}${countsTable('Organisation', report.counts.byOrganisation)}</div>
${filters}
${table(
  'uploads',
  DECISION_COLUMNS,
  report.uploads.map((row) => decisionRow(row, disabledRoles)),
)}`,
  };
};

/** Decisions about no object (`govrec decide`), when there are any. */
export const questionsSection = (report: ReviewReport): ReportSection | undefined =>
  report.questions.length === 0
    ? undefined
    : {
        id: 'questions',
        title: `Ad-hoc decisions (${report.questions.length})`,
        html: table(
          'questions',
          DECISION_COLUMNS,
          report.questions.map((row) => decisionRow(row, new Set())),
        ),
      };
