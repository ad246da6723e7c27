/** The dashboard's numbers next to the same counts from the records. */
import { e, type ReportSection, table } from '../html-kit';
import type { ConsoleView } from '../types';

export const consoleSection = (view: ConsoleView): ReportSection => ({
  id: 'console',
  title: 'Console view (dashboard numbers next to the records)',
  html: `<p id="console-summary" class="${view.differences === 0 ? '' : 'warn'}" data-differences="${view.differences}" data-restricted-allowed="${view.restrictedAllowedInWindow}">${view.differences === 0 ? 'The console and the records tell the same story' : `<strong>${view.differences} number(s) differ</strong> between the console and the records`}: ${view.rows.length} dashboard numbers from ${view.emfRecords} EMF records of the handlers and ${view.putMetricDataCalls} PutMetricData calls of the workflows (${view.dataPoints} data points, namespace ${e(view.namespace)}). Restricted requests allowed inside the window: <strong>${view.restrictedAllowedInWindow}</strong>.</p>
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
)}`,
});
