/** The review report: build it from the run's records, render it, write it. */
export { buildReviewReport, readLedger } from './build';
export { recognitionViewOf } from './faces';
export { escapeHtml, renderReviewReportHtml } from './html';
export { writeReviewReport, type WrittenReport } from './write';
export { collectReportInput, enforcementEntryOf, scanAll, type CollectSources } from './collect';
export type * from './types';
