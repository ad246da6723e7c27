/** The review report: build it from the run's records, render it, write it. */
export { buildReviewReport, readLedger } from './build';
export { type CollectSources, collectReportInput, enforcementEntriesOf, enforcementEntryOf, scanAll } from './collect';
export { type ConsoleViewInput, consoleViewOf, searchSeries, sumOfMetric } from './console-view';
export { recognitionViewOf } from './faces';
export { escapeHtml, renderReviewReportHtml } from './html';
export { parseEmfLine, putMetricDataPoints } from './metric-points';
export type * from './types';
export { type WrittenReport, writeReviewReport } from './write';
