/** The review report: build it from the run's records, render it, write it. */
export { buildReviewReport, readLedger } from './build';
export { consoleViewOf, searchSeries, sumOfMetric, type ConsoleViewInput } from './console-view';
export { recognitionViewOf } from './faces';
export { parseEmfLine, putMetricDataPoints } from './metric-points';
export { escapeHtml, renderReviewReportHtml } from './html';
export { writeReviewReport, type WrittenReport } from './write';
export { collectReportInput, enforcementEntryOf, scanAll, type CollectSources } from './collect';
export type * from './types';
