import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../../bench/lib/args';
import { BenchSetupError } from '../../../bench/lib/errors';
import {
  type BenchResults,
  FIGURES_END,
  FIGURES_START,
  formatTable,
  resultsJson,
  updateReadmeFigures,
} from '../../../bench/lib/report';
import type { Metric } from '../../../bench/lib/types';

const KNOWN = ['policy', 'governance', 'coldstart', 'enforcement', 'scale'];

describe('parseArgs', () => {
  it.each([
    [[], { only: undefined, quick: false }],
    [['--quick'], { only: undefined, quick: true }],
    [['--only', 'policy'], { only: ['policy'], quick: false }],
    [['--only=governance,scale', '--quick'], { only: ['governance', 'scale'], quick: true }],
    [['--only', 'policy', '--only', 'scale'], { only: ['policy', 'scale'], quick: false }],
  ])('reads %j', (argv, expected) => {
    expect(parseArgs(argv, KNOWN)).toEqual(expected);
  });

  it.each([
    [['--only'], '--only needs a benchmark name'],
    [['--only', 'nope'], 'unknown benchmark nope'],
    [['--fast'], 'unknown option --fast'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv, KNOWN)).toThrow(BenchSetupError);
    expect(() => parseArgs(argv, KNOWN)).toThrow(message);
  });
});

const METRICS: Metric[] = [
  {
    name: 'policy.decide.orgs-3',
    unit: 'us',
    kind: 'measured',
    median: 312.345,
    p99: 1234.5,
    min: 250.01,
    max: 2000.4,
    runs: 3000,
    note: 'every decision checked',
  },
  { name: 'scale.cost-per-1000.total', unit: 'USD', kind: 'estimate', median: 1.01923, runs: 1 },
];
const RESULTS: BenchResults = {
  machine: {
    cpuModel: 'Test CPU',
    cores: 2,
    node: 'v20.20.0',
    platform: 'linux 6',
    memoryGiB: 8,
    loadAverageAtStart: [0.5, 0.4, 0.3],
    startedAt: '2026-11-26T10:00:00.000Z',
  },
  quick: false,
  durationSeconds: 123.4,
  metrics: METRICS,
};

describe('formatTable', () => {
  it('prints one aligned Markdown row per metric with rounded figures and blanks for absent ones', () => {
    expect(formatTable(METRICS).split('\n')).toEqual([
      '| name                      | unit | median |  p99 | min |  max | runs | kind     |',
      '|---------------------------|------|-------:|-----:|----:|-----:|-----:|----------|',
      '| policy.decide.orgs-3      | us   |    312 | 1235 | 250 | 2000 | 3000 | measured |',
      '| scale.cost-per-1000.total | USD  |   1.02 |      |     |      |    1 | estimate |',
    ]);
  });
});

describe('resultsJson', () => {
  it('keeps the machine notes and rounds every figure', () => {
    const parsed = JSON.parse(resultsJson(RESULTS)) as BenchResults;
    expect(parsed.machine).toEqual(RESULTS.machine);
    expect(parsed.metrics[0]).toEqual({ ...METRICS[0], median: 312, p99: 1235, min: 250, max: 2000 });
    expect(parsed.metrics[1]).toEqual({ ...METRICS[1], median: 1.02 });
  });
});

describe('updateReadmeFigures', () => {
  it('replaces only the text between the markers', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bench-readme-')), 'README.md');
    writeFileSync(path, `# Title\n\nbefore\n${FIGURES_START}\nold figures\n${FIGURES_END}\nafter\n`);

    updateReadmeFigures(path, RESULTS);

    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('# Title\n\nbefore\n')).toBe(true);
    expect(text.endsWith(`${FIGURES_END}\nafter\n`)).toBe(true);
    expect(text).not.toContain('old figures');
    expect(text).toContain('Test CPU, 2 cores, 8 GiB, Node v20.20.0');
    expect(text).toContain('- `policy.decide.orgs-3`: every decision checked');
  });

  it('refuses a README without the markers', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bench-readme-')), 'README.md');
    writeFileSync(path, '# no markers\n');
    expect(() => updateReadmeFigures(path, RESULTS)).toThrow('lacks the figures markers');
  });
});
