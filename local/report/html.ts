/**
 * The review report as one static HTML page: inline CSS, images as data URLs, one inline script
 * (the filters, allowed by its hash in the page's Content-Security-Policy) and no external asset,
 * so it opens from a file, an e-mail attachment or an archive years later. Sections are built in
 * `sections/`, one file each, and listed in `reportSections`; the table of contents follows it.
 */
import { createHash } from 'node:crypto';
import { e, instant, type ReportSection } from './html-kit';
import { chartSection } from './sections/chart';
import { consoleSection } from './sections/console';
import { decisionsSection, questionsSection } from './sections/decisions';
import { enforcementSection } from './sections/enforcement';
import { evidenceSection } from './sections/evidence';
import { organisationsSection } from './sections/organisations';
import { quarantineSection } from './sections/quarantine';
import { recognitionSection } from './sections/recognition';
import { rolesSection } from './sections/roles';
import { runSection } from './sections/run';
import type { ReviewReport, UploadImageInput } from './types';

export { escapeHtml } from './html-kit';

const STYLE = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;padding:1.5rem 2rem;max-width:1400px;color:#1b1f24;background:#fff}
h1{font-size:1.6rem;margin:0 0 .2rem} h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
.meta{color:#57606a} table{border-collapse:collapse;width:100%;margin:.4rem 0} th,td{border:1px solid #d0d7de;padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
#steps td,#access-checks td,#role-states td{overflow-wrap:anywhere}
th{background:#f6f8fa} code{font:12px ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}
#headline{padding:1rem 1.2rem;border-radius:6px;font-size:1.15rem;font-weight:600;margin:.6rem 0}
#headline.ok{background:#dafbe1;border:1px solid #4ac26b} #headline.bad{background:#ffebe9;border:1px solid #ff8182}
tr.effect-DENY td.effect{color:#cf222e;font-weight:600} tr.effect-ALLOW td.effect{color:#1a7f37;font-weight:600}
tr.violation{background:#ffebe9} .counts{display:flex;gap:1.5rem;flex-wrap:wrap} .counts table{width:auto}
.figures{display:flex;flex-wrap:wrap;gap:1.2rem} figure{margin:0;width:300px;break-inside:avoid} figcaption{font-size:12px;color:#57606a}
.frame{position:relative;display:inline-block;width:100%} .frame img{display:block;width:100%;height:auto}
.box{position:absolute;border:2px solid #ff2d55} .box span{position:absolute;left:0;top:-1.3em;background:#ff2d55;color:#fff;font-size:11px;padding:0 3px;white-space:nowrap}
.warn{color:#9a6700} nav#toc{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.4rem 1rem}
nav#toc ol{margin:.2rem 0;padding-left:1.2rem;columns:2} #moratorium-line{margin:.3rem 0}
.filters{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;margin:.6rem 0} .filters select{font:inherit}
[hidden]{display:none!important} details{margin:.6rem 0} summary{cursor:pointer;color:#57606a}
#timeline-chart{max-width:100%;height:auto;border:1px solid #d0d7de;border-radius:6px}
#timeline-chart .lane{font-size:12px;fill:#1b1f24} #timeline-chart .axis{font-size:11px;fill:#57606a}
#timeline-chart .lane-line{stroke:#d0d7de} #timeline-chart .tick{stroke:#eaeef2} #timeline-chart .window{fill:#fff8c5;stroke:#d4a72c}
.legend span.dot,.legend span.sq{display:inline-block;width:10px;height:10px;margin-left:.6rem}
.legend .dot{border-radius:50%} .allow{background:#1a7f37} .deny{background:#cf222e} .disabled{background:#cf222e} .restored{background:#1a7f37} .other{background:#9a6700}
:target{outline:3px solid #0969da}
@media print{
  body{padding:0;max-width:none;font-size:11px} nav#toc,.filters,summary{display:none}
  h2{break-after:avoid} tr,figure{break-inside:avoid} a{color:inherit;text-decoration:none}
  details>*{display:block} #headline{border-width:2px}
  #headline,.legend span,#timeline-chart,tr.violation{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;

/** The filters: hide rows, figures and quarantine entries that do not match; open collapsed parts for print. */
const SCRIPT = `
(function(){
  var form=document.getElementById('filters');
  if(form){
    var selects=form.querySelectorAll('select[data-filter]');
    var apply=function(){
      var want={};selects.forEach(function(s){if(s.value)want[s.getAttribute('data-filter')]=s.value;});
      var shown=0,total=0;
      document.querySelectorAll('#uploads tbody tr,#recognition figure,#quarantine tbody tr').forEach(function(el){
        var ok=Object.keys(want).every(function(k){return el.getAttribute('data-'+k)===want[k];});
        el.hidden=!ok;
        if(el.closest('#uploads')){total++;if(ok)shown++;}
      });
      document.getElementById('filter-count').textContent=Object.keys(want).length?shown+' of '+total+' decisions':'';
    };
    selects.forEach(function(s){s.addEventListener('change',apply);});
  }
  window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});
})();
`;

const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT).digest('base64')}`;

const headlineHtml = (report: ReviewReport): string => {
  const { headline, moratorium } = report;
  return `<p id="headline" class="${headline.ok ? 'ok' : 'bad'}" data-ok="${headline.ok}" data-restricted-requests="${headline.restrictedRequests}" data-restricted-through="${headline.restrictedGotThrough}">${e(headline.text)}</p>
<p id="moratorium-line">Moratorium <strong>${e(instant(moratorium.start))}</strong> to <strong>${e(instant(moratorium.end))}</strong> for ${e(moratorium.restrictedCategories.join(', '))}; after it: ${e(moratorium.afterWindow)}; ${moratorium.inForceAtReport ? 'in force' : 'not in force'} at report time.</p>
${headline.uploadsWithoutOutcome > 0 ? `<p class="warn" id="missing-outcomes">${headline.uploadsWithoutOutcome} upload(s) have no recorded outcome.</p>` : ''}`;
};

/**
 * The page's sections in order. A new section is a function in `sections/` and one line here.
 */
export const reportSections = (report: ReviewReport, images: readonly UploadImageInput[]): ReportSection[] =>
  [
    rolesSection(report),
    chartSection(report),
    organisationsSection(report),
    decisionsSection(report),
    recognitionSection(report, images),
    quarantineSection(report),
    enforcementSection(report),
    report.consoleView !== undefined ? consoleSection(report.consoleView) : undefined,
    report.evidence !== undefined ? evidenceSection(report.evidence) : undefined,
    report.run !== undefined ? runSection(report.run) : undefined,
    questionsSection(report),
  ].filter((section): section is ReportSection => section !== undefined);

/**
 * Render the page.
 *
 * @example
 * writeFileSync('output/review-report.html', renderReviewReportHtml(report, images));
 */
export const renderReviewReportHtml = (report: ReviewReport, images: readonly UploadImageInput[] = []): string => {
  const sections = reportSections(report, images);
  const toc = `<nav id="toc" aria-label="Contents"><ol>${sections.map((s) => `<li><a href="#${e(s.id)}">${e(s.title)}</a></li>`).join('')}</ol></nav>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'">
<title>${e(report.title)}</title><style>${STYLE}</style></head><body>
<h1>${e(report.title)}</h1><p class="meta">Generated ${e(report.generatedAt)} (run clock)</p>
${headlineHtml(report)}
${toc}
${sections.map((s) => `<section id="${e(s.id)}"><h2>${e(s.title)}</h2>\n${s.html}</section>`).join('\n')}
<script>${SCRIPT}</script>
</body></html>
`;
};
