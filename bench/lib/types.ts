/** The shapes every benchmark produces and the runner consumes. */
import type { Summary } from './stats';

/** One reported figure: a summary of repeated runs, or a single derived value. */
export interface Metric extends Partial<Summary> {
  /** `<benchmark>.<what>`, stable across runs so results can be compared. */
  readonly name: string;
  readonly unit: string;
  /** Median for measured series; the value itself for derived figures. */
  readonly median: number;
  readonly runs: number;
  /** `measured` (timed here), `derived` (computed from measured figures) or `estimate` (paper figure from public prices and quotas). */
  readonly kind: 'measured' | 'derived' | 'estimate';
  readonly note?: string;
}

/** How much work a run may do: `quick` trims iterations for a smoke run. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Figures measured by benchmarks that ran earlier in this run (the paper estimates read them). */
  readonly earlier: readonly Metric[];
}

/** A benchmark: a name for `--only`, and a run that returns its figures or throws. */
export interface Benchmark {
  readonly name: string;
  readonly title: string;
  run(options: BenchOptions): Promise<Metric[]>;
}
