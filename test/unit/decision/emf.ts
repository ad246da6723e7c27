/**
 * Capturing the EMF records Powertools Metrics prints. Metrics are disabled in the test setup;
 * `enableEmf()` turns them on (and routes them through the global console) for instances
 * created afterwards, and `emfRecords()` returns what was printed.
 */
export interface EmfRecord {
  readonly _aws: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly string[][];
      readonly Metrics: readonly { Name: string; Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

export const enableEmf = (): (() => void) => {
  const saved = { disabled: process.env.POWERTOOLS_METRICS_DISABLED, dev: process.env.POWERTOOLS_DEV };
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_DEV = 'true';
  const put = (key: string, value: string | undefined) => {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  };
  return () => {
    put('POWERTOOLS_METRICS_DISABLED', saved.disabled);
    put('POWERTOOLS_DEV', saved.dev);
  };
};

/** Spy on console.log; call the returned function to read the EMF records printed so far. */
export const captureEmf = (): (() => EmfRecord[]) => {
  const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  return () =>
    spy.mock.calls
      .map((args) => String(args[0]))
      .filter((line) => line.includes('"CloudWatchMetrics"'))
      .map((line) => JSON.parse(line) as EmfRecord);
};

/** Dimension sets and values of the records that carry `metric`. */
export const viewsOf = (records: readonly EmfRecord[], metric: string) =>
  records
    .filter((r) => r[metric] !== undefined)
    .map((r) => ({ dimensions: r._aws.CloudWatchMetrics[0]?.Dimensions, value: r[metric] }));
