import type { CapturedMetrics, ConsoleView, MetricPoint } from '../../../local/report';
import {
  buildReviewReport,
  consoleViewOf,
  parseEmfLine,
  putMetricDataPoints,
  readLedger,
  renderReviewReportHtml,
  searchSeries,
  sumOfMetric,
} from '../../../local/report';
import { decisionOf, ledgerItemsOf, reportInput, settings, UPLOADS } from './fixtures/report-input';

const NS = 'GovernedRecognition';
const emf = (name: string, dimensions: Record<string, string>, value = 1): MetricPoint => ({
  namespace: NS,
  name,
  dimensions,
  value,
  unit: 'Count',
  source: 'emf',
});
const put = (name: string, category: string): MetricPoint => ({
  namespace: NS,
  name,
  dimensions: { Category: category },
  value: 1,
  unit: 'Count',
  source: 'putMetricData',
});
const policy = (dims: Record<string, string> = {}): Record<string, string> => ({ service: 'policy', ...dims });
const recognition = (dims: Record<string, string> = {}): Record<string, string> => ({
  service: 'recognition',
  ...dims,
});
/** The dimensions of a decisions-by-effect row: the widget sums both services. */
const bothServices = (effect: string): Record<string, string> => ({ service: 'policy+recognition', Effect: effect });
const times = (n: number, point: MetricPoint): MetricPoint[] => Array.from({ length: n }, () => point);

/** What the handlers and workflows would have published for the fixture's six uploads and two enforcement records. */
const matchingPoints = (): MetricPoint[] => [
  ...times(6, emf('RestrictedAllowedInWindow', policy(), 0)),
  emf('Decisions', policy({ Effect: 'DENY', Reason: 'MORATORIUM_IN_FORCE', Category: 'police' })),
  emf('Decisions', policy({ Effect: 'DENY', Reason: 'UNKNOWN_PRINCIPAL', Category: 'unknown' })),
  ...times(4, emf('Decisions', policy({ Effect: 'ALLOW' }))),
  ...times(2, emf('Decisions', policy({ Effect: 'DENY' }))),
  put('RolesDisabled', 'police'),
  put('RolesRestored', 'police'),
  ...times(4, emf('Uploads', recognition({ Outcome: 'RECOGNIZED' }))),
  ...times(2, emf('Uploads', recognition({ Outcome: 'QUARANTINED' }))),
  ...times(2, emf('Quarantined', recognition())),
  ...times(2, emf('RekognitionCalls', recognition({ Operation: 'SearchFacesByImage' }))),
  emf('RekognitionCalls', recognition({ Operation: 'DetectFaces' })),
  emf('RekognitionCalls', recognition({ Operation: 'IndexFaces' })),
];

const captured = (points: readonly MetricPoint[]): CapturedMetrics => ({
  points,
  emfRecords: points.length,
  putMetricDataCalls: 2,
  serviceNames: { policy: 'policy', recognition: 'recognition' },
  reattributed: 0,
});

const viewOf = (points: readonly MetricPoint[], ledgerItems = ledgerItemsOf(UPLOADS)): ConsoleView => {
  const { decisions, outcomes } = readLedger(ledgerItems);
  return consoleViewOf({
    settings,
    decisions,
    outcomes,
    enforcement: reportInput().enforcement ?? [],
    metrics: captured(points),
  });
};

const row = (view: ConsoleView, metric: string, dims: Record<string, string>) =>
  view.rows.find((r) => r.metric === metric && JSON.stringify(r.dimensions) === JSON.stringify(dims));

describe('consoleViewOf', () => {
  it('puts every dashboard number next to the ledger count and finds them equal when the metrics match the records', () => {
    const view = viewOf(matchingPoints());
    expect(view.rows.map((r) => [r.metric, r.dimensions, r.console, r.records])).toEqual([
      ['RestrictedAllowedInWindow', policy(), 0, 0],
      ['Decisions', policy({ Effect: 'DENY', Reason: 'MORATORIUM_IN_FORCE', Category: 'police' }), 1, 1],
      ['Decisions', bothServices('ALLOW'), 4, 4],
      ['Decisions', bothServices('DENY'), 2, 2],
      ['RolesDisabled', { Category: 'police' }, 1, 1],
      ['RolesRestored', { Category: 'police' }, 1, 1],
      ['EnforcementReapplied', { Category: 'police' }, 0, 0],
      ['Uploads', recognition({ Outcome: 'RECOGNIZED' }), 4, 4],
      ['Uploads', recognition({ Outcome: 'QUARANTINED' }), 2, 2],
      ['Uploads', recognition({ Outcome: 'REJECTED' }), 0, 0],
      ['Uploads', recognition({ Outcome: 'GONE' }), 0, 0],
      ['Uploads', recognition({ Outcome: 'UNAVAILABLE' }), 0, 0],
      ['Uploads', recognition({ Outcome: 'DUPLICATE' }), 0, 0],
      ['Quarantined', recognition(), 2, 2],
      ['RekognitionCalls', recognition({ Operation: 'SearchFacesByImage' }), 2, 2],
      ['RekognitionCalls', recognition({ Operation: 'DetectFaces' }), 1, 1],
      ['RekognitionCalls', recognition({ Operation: 'IndexFaces' }), 1, 1],
    ]);
    expect(view.rows.every((r) => r.equal)).toBe(true);
    expect(view).toMatchObject({
      namespace: NS,
      differences: 0,
      restrictedAllowedInWindow: 0,
      dataPoints: matchingPoints().length,
    });
  });

  it('flags a number the console lacks (a lost data point)', () => {
    const points = matchingPoints();
    points.splice(
      points.findIndex((p) => p.name === 'Uploads'),
      1,
    );
    const view = viewOf(points);
    expect(view.differences).toBe(1);
    expect(row(view, 'Uploads', recognition({ Outcome: 'RECOGNIZED' }))).toMatchObject({
      console: 3,
      records: 4,
      equal: false,
    });
  });

  it('counts only the exact dimension set the widget charts: a point with the wrong service is not on the dashboard', () => {
    const points = matchingPoints().map((p) => (p.name === 'Quarantined' ? { ...p, dimensions: policy() } : p));
    expect(row(viewOf(points), 'Quarantined', recognition())).toMatchObject({ console: 0, records: 2, equal: false });
  });

  it('shows a restricted allow in the window on both sides, and a metric-only one as a difference', () => {
    const leaked = {
      id: 'd-leak',
      at: '2027-08-01T00:00:00.000Z',
      org: 'metro-police',
      roleArn: 'arn:aws:iam::111111111111:role/govrec-police-analysts',
      category: 'police',
      key: 'incoming/metro-police/leak.png',
      effect: 'ALLOW' as const,
      reason: 'ALLOWED' as const,
      outcome: 'RECOGNIZED' as const,
    };
    const withLeak = viewOf(
      [...matchingPoints(), emf('RestrictedAllowedInWindow', policy(), 1)],
      ledgerItemsOf([...UPLOADS, leaked]),
    );
    expect(row(withLeak, 'RestrictedAllowedInWindow', policy())).toMatchObject({ console: 1, records: 1, equal: true });
    expect(withLeak.restrictedAllowedInWindow).toBe(1);
    const metricOnly = viewOf([...matchingPoints(), emf('RestrictedAllowedInWindow', policy(), 1)]);
    expect(row(metricOnly, 'RestrictedAllowedInWindow', policy())).toMatchObject({
      console: 1,
      records: 0,
      equal: false,
    });
  });

  describe('with a denial the recognition worker decided itself', () => {
    const rejected = {
      id: 'd-text',
      at: '2027-05-01T13:00:00.000Z',
      org: 'thorn-like',
      key: 'incoming/thorn-like/detect/notes.txt',
      effect: 'DENY' as const,
      reason: 'INVALID_IMAGE' as const,
      outcome: 'REJECTED' as const,
    };
    const items = ledgerItemsOf([...UPLOADS, rejected]).map((item) =>
      item.decisionId === 'd-text' && item.entry === 'DECISION'
        ? {
            ...item,
            decision: {
              ...decisionOf(rejected),
              caller: { principalId: 'AIDAEXAMPLE', restricted: false },
              detail: 'recognition handler: not an image',
            },
          }
        : item,
    );
    const workerPoints = (): MetricPoint[] => [
      emf('Decisions', recognition({ Effect: 'DENY', Reason: 'INVALID_IMAGE', Category: 'unknown' })),
      emf('Decisions', recognition({ Effect: 'DENY' })),
      emf('Decisions', recognition({ Reason: 'INVALID_IMAGE' })),
      emf('Decisions', recognition({ Category: 'unknown' })),
    ];

    it('counts it on both sides of decisions by effect: the recognition service metric and the full ledger', () => {
      const view = viewOf([...matchingPoints(), ...workerPoints()], items);
      expect(row(view, 'Decisions', bothServices('DENY'))).toMatchObject({ console: 3, records: 3, equal: true });
      expect(row(view, 'Decisions', bothServices('ALLOW'))).toMatchObject({ console: 4, records: 4, equal: true });
    });

    it('flags it as a difference when the worker published no Decisions metric for it', () => {
      const view = viewOf(matchingPoints(), items);
      expect(row(view, 'Decisions', bothServices('DENY'))).toMatchObject({ console: 2, records: 3, equal: false });
      expect(row(view, 'Decisions', bothServices('DENY'))?.recordsFrom).toBe(
        'audit ledger: all DENY decisions (policy decision point and recognition worker)',
      );
    });
  });

  it('builds the report section only when the run captured metrics', () => {
    expect(buildReviewReport(reportInput()).consoleView).toBeUndefined();
    expect(buildReviewReport(reportInput({ metrics: captured(matchingPoints()) })).consoleView?.differences).toBe(0);
  });
});

describe('searchSeries', () => {
  const expression = `SEARCH('{${NS},service,Effect,Reason,Category} MetricName="Decisions" service="policy" Effect="DENY" (Category="police" OR Category="border")', 'Sum', 300)`;

  it('returns each series with exactly the schema dimensions that passes every filter', () => {
    const points = [
      emf('Decisions', policy({ Effect: 'DENY', Reason: 'MORATORIUM_IN_FORCE', Category: 'police' })),
      emf('Decisions', policy({ Effect: 'DENY', Reason: 'MORATORIUM_IN_FORCE', Category: 'police' })),
      emf('Decisions', policy({ Effect: 'DENY', Reason: 'NOT_REGISTERED', Category: 'border' })),
      emf('Decisions', policy({ Effect: 'DENY', Reason: 'UNKNOWN_PRINCIPAL', Category: 'unknown' })),
      emf('Decisions', policy({ Effect: 'ALLOW', Reason: 'ALLOWED', Category: 'police' })),
      emf('Decisions', policy({ Effect: 'DENY' })),
      emf('DecisionLatency', policy({ Effect: 'DENY', Reason: 'MORATORIUM_IN_FORCE', Category: 'police' }), 3),
    ];
    expect(searchSeries(expression, points).map((s) => [s.dimensions.Reason, s.dimensions.Category])).toEqual([
      ['MORATORIUM_IN_FORCE', 'police'],
      ['NOT_REGISTERED', 'border'],
    ]);
  });
});

describe('sumOfMetric', () => {
  it('sums the points of one namespace, name and exact dimension set', () => {
    const points = [
      emf('Uploads', recognition({ Outcome: 'RECOGNIZED' }), 2),
      emf('Uploads', recognition({ Outcome: 'RECOGNIZED' })),
      emf('Uploads', recognition()),
      { ...emf('Uploads', recognition({ Outcome: 'RECOGNIZED' })), namespace: 'Other' },
    ];
    expect(sumOfMetric(points, NS, 'Uploads', recognition({ Outcome: 'RECOGNIZED' }))).toBe(3);
  });
});

describe('parseEmfLine', () => {
  it('makes one point per dimension set, metric and value', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [
          {
            Namespace: NS,
            Dimensions: [['service', 'Effect'], ['service']],
            Metrics: [
              { Name: 'Decisions', Unit: 'Count' },
              { Name: 'DecisionLatency', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      service: 'policy',
      Effect: 'ALLOW',
      Decisions: 1,
      DecisionLatency: [4, 6],
    });
    expect(parseEmfLine(line).map((p) => [p.name, p.dimensions, p.value, p.unit])).toEqual([
      ['Decisions', { service: 'policy', Effect: 'ALLOW' }, 1, 'Count'],
      ['DecisionLatency', { service: 'policy', Effect: 'ALLOW' }, 4, 'Milliseconds'],
      ['DecisionLatency', { service: 'policy', Effect: 'ALLOW' }, 6, 'Milliseconds'],
      ['Decisions', { service: 'policy' }, 1, 'Count'],
      ['DecisionLatency', { service: 'policy' }, 4, 'Milliseconds'],
      ['DecisionLatency', { service: 'policy' }, 6, 'Milliseconds'],
    ]);
  });

  it('drops a dimension set whose value is missing, as CloudWatch does', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [{ Namespace: NS, Dimensions: [['service', 'Outcome']], Metrics: [{ Name: 'Uploads' }] }],
      },
      service: 'recognition',
      Uploads: 1,
    });
    expect(parseEmfLine(line)).toEqual([]);
  });

  it.each(['plain text', '{"message":"a JSON log line"}', '{"_aws": not json', ''])(
    'returns no point for %p',
    (line) => {
      expect(parseEmfLine(line)).toEqual([]);
    },
  );
});

describe('putMetricDataPoints', () => {
  it('reads MetricData with Value or with Values and Counts', () => {
    expect(
      putMetricDataPoints({
        Namespace: NS,
        MetricData: [
          { MetricName: 'RolesDisabled', Value: 1, Unit: 'Count', Dimensions: [{ Name: 'Category', Value: 'police' }] },
          { MetricName: 'EnforcementTamper', Values: [1, 2], Counts: [3, 1] },
        ],
      }),
    ).toEqual([
      {
        namespace: NS,
        name: 'RolesDisabled',
        dimensions: { Category: 'police' },
        value: 1,
        unit: 'Count',
        source: 'putMetricData',
      },
      { namespace: NS, name: 'EnforcementTamper', dimensions: {}, value: 3, source: 'putMetricData' },
      { namespace: NS, name: 'EnforcementTamper', dimensions: {}, value: 2, source: 'putMetricData' },
    ]);
  });
});

describe('renderReviewReportHtml (console view)', () => {
  it('renders each row with both numbers and marks a difference', () => {
    const points = matchingPoints().filter((p) => p.name !== 'Quarantined');
    const html = renderReviewReportHtml(buildReviewReport(reportInput({ metrics: captured(points) })));
    expect(html).toContain('<h2>Console view (dashboard numbers next to the records)</h2>');
    expect(html).toMatch(/<p id="console-summary" class="warn" data-differences="1" data-restricted-allowed="0">/);
    expect(html).toContain(
      '<tr class="violation" data-metric="Quarantined" data-equal="false" data-console="0" data-records="2">',
    );
    expect((html.match(/data-equal="true"/g) ?? []).length).toBe(16);
  });
});
