/** The printed table, `results.json` and the figures section of `README.md`. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { MachineNotes } from './machine';
import { round } from './stats';
import type { Metric } from './types';

export interface BenchResults {
  readonly machine: MachineNotes;
  readonly quick: boolean;
  readonly durationSeconds: number;
  readonly metrics: readonly Metric[];
}

const cell = (value: number | undefined): string => (value === undefined ? '' : String(round(value)));

/** A Markdown table (also readable on a terminal). */
export const formatTable = (metrics: readonly Metric[]): string => {
  const rows = [
    ['name', 'unit', 'median', 'p99', 'min', 'max', 'runs', 'kind'],
    ...metrics.map((m) => [
      m.name,
      m.unit,
      cell(m.median),
      cell(m.p99),
      cell(m.min),
      cell(m.max),
      String(m.runs),
      m.kind,
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((value, col) => (col >= 2 && col <= 6 ? value.padStart(widths[col]!) : value.padEnd(widths[col]!))).join(' | ')} |`;
  return [
    line(rows[0]!),
    `|${widths.map((w, col) => (col >= 2 && col <= 6 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
};

/** Metric values rounded for storage; raw series are not kept. */
export const resultsJson = (results: BenchResults): string =>
  `${JSON.stringify(
    {
      ...results,
      metrics: results.metrics.map((m) => ({
        ...m,
        median: round(m.median),
        ...(m.p99 !== undefined ? { p99: round(m.p99) } : {}),
        ...(m.min !== undefined ? { min: round(m.min) } : {}),
        ...(m.max !== undefined ? { max: round(m.max) } : {}),
      })),
    },
    null,
    2,
  )}\n`;

export const FIGURES_START = '<!-- figures:start (written by npm run bench) -->';
export const FIGURES_END = '<!-- figures:end -->';

/** The README section between the markers: machine notes and the table. */
export const figuresSection = (results: BenchResults): string => {
  const m = results.machine;
  return [
    FIGURES_START,
    `Measured ${m.startedAt} on ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; load average at start ${m.loadAverageAtStart.join(' / ')}. Full run: ${Math.round(results.durationSeconds)} s.`,
    '',
    formatTable(results.metrics),
    '',
    'Notes per figure:',
    '',
    ...results.metrics.filter((m) => m.note !== undefined).map((m) => `- \`${m.name}\`: ${m.note}`),
    FIGURES_END,
  ].join('\n');
};

/** Replace the figures section of the README at `path` (it must already hold both markers). */
export const updateReadmeFigures = (path: string, results: BenchResults): void => {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(FIGURES_START);
  const end = text.indexOf(FIGURES_END);
  if (start < 0 || end < start) throw new Error(`${path} lacks the figures markers`);
  writeFileSync(path, `${text.slice(0, start)}${figuresSection(results)}${text.slice(end + FIGURES_END.length)}`);
};
