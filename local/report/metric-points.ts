/**
 * CloudWatch data points as CloudWatch would receive them, from the two ways this project
 * publishes: embedded metric format lines (Powertools Metrics in the handlers) and
 * `PutMetricData` parameters (the enforcement workflows' SDK tasks). One point per metric, per
 * dimension set and per value, because that is how CloudWatch stores them: each dimension set of
 * an EMF directive is its own metric.
 */
import type { MetricPoint } from './types';

type EmfDirective = { Namespace?: unknown; Dimensions?: unknown; Metrics?: unknown };

const values = (raw: unknown): number[] =>
  (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/**
 * The data points of one EMF log line; `[]` for a line that is not EMF (plain log output).
 *
 * @example
 * parseEmfLine('{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["service"]],"Metrics":[{"Name":"Quarantined","Unit":"Count"}]}]},"service":"recognition","Quarantined":1}')
 * // [{ namespace: 'N', name: 'Quarantined', dimensions: { service: 'recognition' }, value: 1, unit: 'Count', source: 'emf' }]
 */
export const parseEmfLine = (line: string): MetricPoint[] => {
  const text = line.trim();
  if (!text.startsWith('{') || !text.includes('"_aws"')) return [];
  let root: Record<string, unknown>;
  try {
    root = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const aws = root._aws as { CloudWatchMetrics?: unknown } | undefined;
  if (aws === undefined || !Array.isArray(aws.CloudWatchMetrics)) return [];
  const points: MetricPoint[] = [];
  for (const directive of aws.CloudWatchMetrics as EmfDirective[]) {
    const namespace = String(directive.Namespace ?? '');
    const sets =
      Array.isArray(directive.Dimensions) && directive.Dimensions.length > 0
        ? (directive.Dimensions as unknown[][])
        : [[]];
    const metrics = Array.isArray(directive.Metrics) ? (directive.Metrics as { Name?: unknown; Unit?: unknown }[]) : [];
    for (const set of sets) {
      // A dimension whose value is missing from the line makes CloudWatch drop the set; so do we.
      if (!set.every((name) => typeof name === 'string' && typeof root[name] === 'string')) continue;
      const dimensions = Object.fromEntries((set as string[]).map((name) => [name, root[name] as string] as const));
      for (const metric of metrics) {
        const name = String(metric.Name ?? '');
        for (const value of values(root[name])) {
          points.push({
            namespace,
            name,
            dimensions,
            value,
            ...(typeof metric.Unit === 'string' ? { unit: metric.Unit } : {}),
            source: 'emf',
          });
        }
      }
    }
  }
  return points;
};

/** The data points of one `PutMetricData` call's parameters (as a state machine task passes them). */
export const putMetricDataPoints = (call: {
  readonly Namespace?: unknown;
  readonly MetricData?: unknown;
}): MetricPoint[] => {
  const namespace = String(call.Namespace ?? '');
  const data = Array.isArray(call.MetricData)
    ? (call.MetricData as {
        MetricName?: unknown;
        Value?: unknown;
        Values?: unknown;
        Counts?: unknown;
        Unit?: unknown;
        Dimensions?: unknown;
      }[])
    : [];
  return data.flatMap((datum) => {
    const dimensions = Object.fromEntries(
      (Array.isArray(datum.Dimensions) ? (datum.Dimensions as { Name?: unknown; Value?: unknown }[]) : []).map(
        (d) => [String(d.Name), String(d.Value)] as const,
      ),
    );
    const unit = typeof datum.Unit === 'string' ? { unit: datum.Unit } : {};
    const base = {
      namespace,
      name: String(datum.MetricName ?? ''),
      dimensions,
      ...unit,
      source: 'putMetricData' as const,
    };
    if (typeof datum.Value === 'number') return [{ ...base, value: datum.Value }];
    // Values with Counts: each value stands for Counts[i] observations.
    const many = values(datum.Values);
    const counts = values(datum.Counts);
    return many.map((value, i) => ({ ...base, value: value * (counts[i] ?? 1) }));
  });
};
