/**
 * Writing `review-report.json` and `review-report.html` into an output folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ReportError } from '../errors';
import { buildReviewReport } from './build';
import { renderReviewReportHtml } from './html';
import type { ReportInput, ReviewReport } from './types';

export interface WrittenReport {
  readonly report: ReviewReport;
  readonly jsonPath: string;
  readonly htmlPath: string;
}

/**
 * Build the report and write `<baseName>.json` and `<baseName>.html`; returns absolute paths to print.
 *
 * @example
 * const { htmlPath } = writeReviewReport('output', input);
 * console.log(`Review report: ${htmlPath}`);
 */
export const writeReviewReport = (outputDir: string, input: ReportInput, baseName = 'review-report'): WrittenReport => {
  const report = buildReviewReport(input);
  const dir = resolve(outputDir);
  const jsonPath = join(dir, `${baseName}.json`);
  const htmlPath = join(dir, `${baseName}.html`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(htmlPath, renderReviewReportHtml(report, input.images));
  } catch (error) {
    throw new ReportError(`Could not write the review report to ${dir}`, { cause: error });
  }
  return { report, jsonPath, htmlPath };
};
