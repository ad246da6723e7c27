/**
 * The review report as one static HTML page: inline CSS, images as data URLs, no script and no
 * external asset, so it opens from a file, an e-mail attachment or an archive years later. Every
 * piece of text from the run (keys, principal ids, details) is escaped: uploads are untrusted.
 */
import type { ObjectRef } from '../../lambda/shared/decision';
import { evidenceSection } from './evidence-section';
import { thumbnailDataUrl } from './thumbnail';
import type { ConsoleView, ReviewReport, RunSection, UploadImageInput, UploadRow } from './types';

/** Escape text for HTML element content and quoted attribute values. */
export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const e = escapeHtml;

const objectKey = (o: ObjectRef): string => `${o.bucket}\n${o.key}\n${o.versionId ?? ''}`;

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1b1f24;background:#fff}
h1{font-size:1.6rem;margin:0 0 .2rem} h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
.meta{color:#57606a} table{border-collapse:collapse;width:100%;margin:.4rem 0} th,td{border:1px solid #d0d7de;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f6f8fa} code{font:12px ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
#headline{padding:1rem 1.2rem;border-radius:6px;font-size:1.15rem;font-weight:600}
#headline.ok{background:#dafbe1;border:1px solid #4ac26b} #headline.bad{background:#ffebe9;border:1px solid #ff8182}
tr.effect-DENY td.effect{color:#cf222e;font-weight:600} tr.effect-ALLOW td.effect{color:#1a7f37;font-weight:600}
tr.violation{background:#ffebe9} .counts{display:flex;gap:1.5rem;flex-wrap:wrap} .counts table{width:auto}
.figures{display:flex;flex-wrap:wrap;gap:1.2rem} figure{margin:0;width:320px} figcaption{font-size:12px;color:#57606a}
.frame{position:relative;display:inline-block;width:100%} .frame img{display:block;width:100%;height:auto}
.box{position:absolute;border:2px solid #ff2d55;box-sizing:border-box} .box span{position:absolute;left:0;top:-1.3em;background:#ff2d55;color:#fff;font-size:11px;padding:0 3px;white-space:nowrap}
.warn{color:#9a6700}
`;

const table = (id: string, headers: readonly string[], rows: readonly string[]): string =>
  `<table id="${e(id)}"><thead><tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;

const countsTable = (title: string, counts: Readonly<Record<string, number>>): string =>
  `<table class="count" data-count="${e(title)}"><thead><tr><th>${e(title)}</th><th>n</th></tr></thead><tbody>${Object.entries(
    counts,
  )
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `<tr><td>${e(k)}</td><td>${n}</td></tr>`)
    .join('')}</tbody></table>`;

const uploadRow = (row: UploadRow): string => {
  const classes = [`effect-${row.effect}`, row.violations.length > 0 ? 'violation' : ''].filter(Boolean).join(' ');
  return `<tr class="${e(classes)}" data-decision-id="${e(row.decisionId)}" data-effect="${e(row.effect)}" data-org="${e(row.orgId)}" data-category="${e(row.category)}" data-outcome="${e(row.outcome ?? 'NONE')}">
<td>${e(row.at)}</td><td><code>${e(row.principalId)}</code>${row.roleArn ? `<br><code>${e(row.roleArn)}</code>` : ''}</td>
<td>${e(row.orgId)}</td><td>${e(row.category)}${row.restricted ? ' (restricted)' : ''}</td><td>${e(row.operation)} / ${e(row.purpose)}</td>
<td class="effect">${e(row.effect)}</td><td class="reason">${e(row.reason)}${row.detail ? `<br><small>${e(row.detail)}</small>` : ''}</td>
<td>${row.policyIds.map((id) => `<code>${e(id)}</code>`).join('<br>')}</td><td class="outcome">${e(row.outcome ?? 'none recorded')}</td>
<td><code>${e(row.object?.key ?? '')}</code>${row.violations.length > 0 ? `<br><strong>${e(row.violations.join('; '))}</strong>` : ''}</td></tr>`;
};

const figure = (row: UploadRow, dataUrl: string | undefined): string => {
  const boxes = (row.recognition?.boxes ?? [])
    .map(
      (b) =>
        `<div class="box" style="left:${(b.left * 100).toFixed(2)}%;top:${(b.top * 100).toFixed(2)}%;width:${(b.width * 100).toFixed(2)}%;height:${(b.height * 100).toFixed(2)}%"><span>${e(b.label)}</span></div>`,
    )
    .join('');
  const matches = row.recognition?.matches ?? [];
  const matchList =
    matches.length > 0
      ? `<ol class="matches">${matches.map((m) => `<li>${e(m.externalImageId ?? m.faceId)}: similarity ${m.similarity.toFixed(1)}% <code>${e(m.faceId)}</code></li>`).join('')}</ol>`
      : row.recognition?.operation === 'SearchFacesByImage'
        ? '<p>No match above the threshold.</p>'
        : '';
  const picture =
    dataUrl !== undefined
      ? `<div class="frame"><img alt="${e(row.object?.key ?? '')}" src="${dataUrl}">${boxes}</div>`
      : '<p class="warn">(image not embedded)</p>';
  return `<figure data-decision-id="${e(row.decisionId)}">${picture}<figcaption><code>${e(row.object?.key ?? '')}</code><br>${e(row.orgId)}: ${e(row.recognition?.operation ?? row.outcome ?? '')}, ${row.recognition?.faceCount ?? 0} face(s)</figcaption>${matchList}</figure>`;
};

const runSection = (run: RunSection): string => `<h2>Scenario steps (${run.steps.length})</h2>
${table(
  'steps',
  ['#', 'Time', 'Step', 'Outcome', 'Expected', 'Face engine calls'],
  run.steps.map(
    (s) =>
      `<tr class="${s.asExpected ? '' : 'violation'}" data-step="${s.index}" data-as-expected="${s.asExpected}"><td>${s.index}</td><td>${e(s.at)}</td><td>${e(s.title)}</td><td>${e(s.outcome)}</td><td>${e(s.expected)}${s.asExpected ? '' : ' <strong>(not met)</strong>'}</td><td>${e(
        Object.entries(s.faceEngineCalls ?? {})
          .map(([op, n]) => `${op} ${n}`)
          .join(', ') || (s.faceEngineCalls !== undefined ? 'none' : ''),
      )}</td></tr>`,
  ),
)}
<p id="engine-calls-by-operation">Face engine calls by operation: ${e(
  Object.entries(run.faceEngineCallsByOperation)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ') || 'none',
)}; dead letters: ${run.deadLetters}</p>
<h2>Effect of enforcement (IAM policy simulation)</h2>
${table(
  'access-checks',
  ['Time', 'Role', 'Action', 'Resource', 'Result', 'When'],
  run.accessChecks.map(
    (a) =>
      `<tr data-result="${e(a.result)}"><td>${e(a.at)}</td><td><code>${e(a.roleArn)}</code></td><td>${e(a.action)}</td><td><code>${e(a.resource)}</code></td><td>${e(a.result)}</td><td>${e(a.label)}</td></tr>`,
  ),
)}
${table(
  'role-states',
  ['Time', 'Role', 'Inline policies', 'Tags', 'When'],
  run.roleStates.map(
    (r) =>
      `<tr><td>${e(r.at)}</td><td><code>${e(r.roleArn)}</code></td><td>${e(r.inlinePolicies.join(', ') || 'none')}</td><td><code>${e(
        Object.entries(r.tags)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
      )}</code></td><td>${e(r.label)}</td></tr>`,
  ),
)}`;

const consoleSection = (view: ConsoleView): string => `<h2>Console view (dashboard numbers next to the records)</h2>
<p id="console-summary" class="${view.differences === 0 ? '' : 'warn'}" data-differences="${view.differences}" data-restricted-allowed="${view.restrictedAllowedInWindow}">${view.differences === 0 ? 'The console and the records tell the same story' : `<strong>${view.differences} number(s) differ</strong> between the console and the records`}: ${view.rows.length} dashboard numbers from ${view.emfRecords} EMF records of the handlers and ${view.putMetricDataCalls} PutMetricData calls of the workflows (${view.dataPoints} data points, namespace ${e(view.namespace)}). Restricted requests allowed inside the window: <strong>${view.restrictedAllowedInWindow}</strong>.</p>
${table(
  'console-view',
  ['Widget', 'Metric', 'Dimensions', 'Console', 'Records', 'Counted from', 'Same'],
  view.rows.map(
    (r) =>
      `<tr class="${r.equal ? '' : 'violation'}" data-metric="${e(r.metric)}" data-equal="${r.equal}" data-console="${r.console}" data-records="${r.records}"><td>${e(r.widget)}</td><td>${e(r.metric)}</td><td><code>${e(
        Object.entries(r.dimensions)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
      )}</code></td><td>${r.console}</td><td>${r.records}</td><td>${e(r.recordsFrom)}</td><td>${r.equal ? 'yes' : '<strong>DIFFERENT</strong>'}</td></tr>`,
  ),
)}`;

/**
 * Render the page.
 *
 * @example
 * writeFileSync('output/review-report.html', renderReviewReportHtml(report, images));
 */
export const renderReviewReportHtml = (report: ReviewReport, images: readonly UploadImageInput[] = []): string => {
  const { headline, moratorium } = report;
  const recognised = report.uploads.filter((row) => row.recognition !== undefined);
  // Thumbnails only for the uploads shown with their results: the page never shows a denied image.
  const shown = new Set(recognised.flatMap((row) => (row.object ? [objectKey(row.object)] : [])));
  const dataUrls = new Map<string, string>();
  for (const image of images) {
    const id = objectKey(image.object);
    if (!shown.has(id) || dataUrls.has(id)) continue;
    const url = thumbnailDataUrl(image.bytes);
    if (url !== undefined) dataUrls.set(id, url);
  }
  const columns = [
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
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${e(report.title)}</title><style>${STYLE}</style></head><body>
<h1>${e(report.title)}</h1><p class="meta">Generated ${e(report.generatedAt)} (run clock)</p>
<p id="headline" class="${headline.ok ? 'ok' : 'bad'}" data-ok="${headline.ok}" data-restricted-requests="${headline.restrictedRequests}" data-restricted-through="${headline.restrictedGotThrough}">${e(headline.text)}</p>
${headline.uploadsWithoutOutcome > 0 ? `<p class="warn" id="missing-outcomes">${headline.uploadsWithoutOutcome} upload(s) have no recorded outcome.</p>` : ''}
<h2>Moratorium</h2>
<table id="moratorium"><tbody><tr><th>Start</th><td>${e(moratorium.start)}</td></tr><tr><th>End</th><td>${e(moratorium.end)}</td></tr>
<tr><th>Restricted categories</th><td>${e(moratorium.restrictedCategories.join(', '))}</td></tr><tr><th>After the window</th><td>${e(moratorium.afterWindow)}</td></tr>
<tr><th>In force at report time</th><td>${moratorium.inForceAtReport ? 'yes' : 'no'}</td></tr></tbody></table>
<h2>Counts</h2><div class="counts">${countsTable('Effect', report.counts.byEffect)}${countsTable('Reason', report.counts.byReason)}${countsTable('Outcome', report.counts.byOutcome)}${countsTable('Organisation', report.counts.byOrganisation)}</div>
${report.faceEngineCalls !== undefined ? `<p id="engine-calls">Face engine calls: ${report.faceEngineCalls}</p>` : ''}
<h2>Uploads (${report.uploads.length})</h2>
${table('uploads', columns, report.uploads.map(uploadRow))}
<h2>Recognition results (${recognised.length})</h2>
<div class="figures" id="recognition">${recognised.map((row) => figure(row, row.object ? dataUrls.get(objectKey(row.object)) : undefined)).join('\n')}</div>
<h2>Quarantined objects (${report.quarantine.recorded.length})</h2>
${table(
  'quarantine',
  ['Decision', 'Outcome', 'Bucket', 'Key', 'Version', 'Present'],
  report.quarantine.recorded.map(
    (q) =>
      `<tr data-outcome="${e(q.outcome)}"><td><code>${e(q.decisionId)}</code></td><td>${e(q.outcome)}</td><td>${e(q.bucket)}</td><td><code>${e(q.key)}</code></td><td><code>${e(q.versionId ?? '')}</code></td><td>${q.present === undefined ? 'not checked' : q.present ? 'yes' : '<strong>missing</strong>'}</td></tr>`,
  ),
)}
<h2>Role enforcement timeline (${report.enforcement.length})</h2>
${table(
  'enforcement',
  ['Time', 'Role', 'Action', 'Until', 'Trigger', 'Detail'],
  report.enforcement.map(
    (x) =>
      `<tr data-action="${e(x.action)}"><td>${e(x.at)}</td><td><code>${e(x.role)}</code></td><td>${e(x.action)}</td><td>${e(x.until ?? '')}</td><td>${e(x.trigger)}</td><td>${e(x.detail ?? '')}</td></tr>`,
  ),
)}
${report.consoleView !== undefined ? consoleSection(report.consoleView) : ''}
${report.evidence !== undefined ? evidenceSection(report.evidence) : ''}
${report.run !== undefined ? runSection(report.run) : ''}
${report.questions.length > 0 ? `<h2>Ad-hoc decisions (${report.questions.length})</h2>${table('questions', columns, report.questions.map(uploadRow))}` : ''}
</body></html>
`;
};
