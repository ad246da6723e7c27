import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { MetricCapture } from '../../../local/offline/metric-capture';

const emfLine = (service: string, name = 'Quarantined'): string =>
  `${JSON.stringify({ _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'GovernedRecognition', Dimensions: [['service']], Metrics: [{ Name: name, Unit: 'Count' }] }] }, service, [name]: 1 })}\n`;

/** A stream whose `write` records what reaches it. */
const fakeStream = (): { stream: NodeJS.WriteStream; written: string[]; write: NodeJS.WriteStream['write'] } => {
  const written: string[] = [];
  const write = ((chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as NodeJS.WriteStream['write'];
  return { stream: { write } as NodeJS.WriteStream, written, write };
};

describe('MetricCapture', () => {
  it('keeps EMF lines off the stream as data points and lets every other line through', () => {
    const { stream, written } = fakeStream();
    const capture = MetricCapture.install(stream);
    stream.write(emfLine('recognition'));
    stream.write('progress line\n');
    stream.write(Buffer.from(emfLine('policy', 'Decisions')));
    capture.uninstall();
    expect(written).toEqual(['progress line\n']);
    expect(capture.emfRecords).toBe(2);
    expect(capture.points.map((p) => [p.name, p.dimensions, p.value, p.source])).toEqual([
      ['Quarantined', { service: 'recognition' }, 1, 'emf'],
      ['Decisions', { service: 'policy' }, 1, 'emf'],
    ]);
  });

  it('joins an EMF line written in pieces, and passes text without a newline at once', () => {
    const { stream, written } = fakeStream();
    const capture = MetricCapture.install(stream);
    const line = emfLine('recognition');
    stream.write(line.slice(0, 40));
    stream.write(line.slice(40));
    stream.write('Step 1 ...');
    capture.uninstall();
    expect(written).toEqual(['Step 1 ...']);
    expect(capture.points).toHaveLength(1);
  });

  it("puts the stream's own write back on uninstall, and releases a held partial line", () => {
    const { stream, written, write } = fakeStream();
    const capture = MetricCapture.install(stream);
    stream.write('{"not":"finished"');
    capture.uninstall();
    capture.uninstall();
    expect(stream.write).toBe(write);
    expect(written).toEqual(['{"not":"finished"']);
  });

  it('gives a record the service of the function it was emitted in, and counts the correction', () => {
    const { stream } = fakeStream();
    const capture = MetricCapture.install(stream);
    capture.within('recognition', () => stream.write(emfLine('policy')));
    capture.within('policy', () => stream.write(emfLine('policy')));
    stream.write(emfLine('policy'));
    capture.uninstall();
    expect(capture.points.map((p) => p.dimensions.service)).toEqual(['recognition', 'policy', 'policy']);
    expect(capture.reattributed).toBe(1);
  });

  it('keeps the function across awaits of a wrapped handler', async () => {
    const { stream } = fakeStream();
    const capture = MetricCapture.install(stream);
    const handler = capture.wrap('recognition', async (name: string) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      stream.write(emfLine('policy', name));
      return name;
    });
    await expect(handler('Uploads')).resolves.toBe('Uploads');
    capture.uninstall();
    expect(capture.points.map((p) => [p.name, p.dimensions.service])).toEqual([['Uploads', 'recognition']]);
  });

  describe('with Powertools Metrics writing to process.stdout', () => {
    const saved = process.env.POWERTOOLS_METRICS_DISABLED;
    beforeEach(() => {
      process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
      else process.env.POWERTOOLS_METRICS_DISABLED = saved;
    });

    it('captures single metrics and stored metrics as CloudWatch would receive them', () => {
      const capture = MetricCapture.install();
      try {
        const metrics = new Metrics({ namespace: 'GovernedRecognition', serviceName: 'policy' });
        capture.within('recognition', () => {
          const single = metrics.singleMetric();
          single.addDimension('Outcome', 'QUARANTINED');
          single.addMetric('Uploads', MetricUnit.Count, 1);
          metrics.addMetric('Quarantined', MetricUnit.Count, 1);
          metrics.publishStoredMetrics();
        });
      } finally {
        capture.uninstall();
      }
      expect(capture.points.map((p) => [p.namespace, p.name, p.dimensions, p.value])).toEqual([
        ['GovernedRecognition', 'Uploads', { service: 'recognition', Outcome: 'QUARANTINED' }, 1],
        ['GovernedRecognition', 'Quarantined', { service: 'recognition' }, 1],
      ]);
      expect(capture.reattributed).toBe(2);
    });
  });
});
