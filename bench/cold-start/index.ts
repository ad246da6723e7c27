/**
 * Benchmark 3: cold start of each Lambda: the bundle's size in cdk.out, its module
 * initialisation time in a fresh Node process (median of runs), and the dependencies that
 * make up most of it.
 */
import { figure, measuredMetric } from '../lib/measure';
import type { Benchmark, Metric } from '../lib/types';
import { dependencyBreakdown } from './breakdown';
import { lambdaBundles } from './bundles';
import { initOnce } from './init-time';

const kib = (bytes: number): number => bytes / 1024;

export const coldStart: Benchmark = {
  name: 'coldstart',
  title: 'Cold start: bundle size and module initialisation per Lambda',
  async run({ quick }) {
    const runs = quick ? 3 : 10;
    const metrics: Metric[] = [];
    for (const bundle of lambdaBundles()) {
      const shares = await dependencyBreakdown(bundle);
      const top = shares
        .slice(0, 4)
        .map((s) => `${s.dependency} ${Math.round(s.share * 100)}%`)
        .join(', ');
      initOnce(bundle); // warm the file cache
      const samples = Array.from({ length: runs }, () => initOnce(bundle));
      metrics.push(
        figure(`coldstart.${bundle.name}.index-js`, 'KiB', kib(bundle.jsBytes), 'derived', `largest parts: ${top}`),
        figure(
          `coldstart.${bundle.name}.asset`,
          'KiB',
          kib(bundle.assetBytes),
          'derived',
          'whole asset: js + source map (+ Cedar wasm and policies)',
        ),
        measuredMetric(
          `coldstart.${bundle.name}.init`,
          'ms',
          samples.map((s) => s.ms),
          'require(index.js) in a fresh node process, @aws-sdk/* from node_modules',
        ),
        measuredMetric(
          `coldstart.${bundle.name}.rss-after-init`,
          'MiB',
          samples.map((s) => s.rssMiB),
        ),
      );
    }
    return metrics;
  },
};
