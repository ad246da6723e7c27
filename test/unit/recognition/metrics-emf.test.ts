import { DetectFacesCommand, SearchFacesByImageCommand } from '@aws-sdk/client-rekognition';
import type { EmfRecord } from '../decision/emf';
import { emfOfUpload } from './emf-run';
import { allowFor, answer, JPEG } from './harness';

/** Each EMF record as `{ dimensions, metrics: [{ name, unit, value }] }` (namespace checked once). */
const flatten = (record: EmfRecord) => {
  const directive = record._aws.CloudWatchMetrics[0]!;
  expect(directive.Namespace).toBe('GovernedRecognition');
  return {
    dimensions: Object.fromEntries((directive.Dimensions[0] ?? []).map((d) => [d, record[d]])),
    metrics: directive.Metrics.map((m) => ({ name: m.Name, unit: m.Unit, value: record[m.Name] })),
  };
};

const count = (name: string, dimensions: Record<string, string>, value: number | number[] = 1) => ({
  dimensions: { service: 'recognition', ...dimensions },
  metrics: [{ name, unit: 'Count', value }],
});
// The harness clock is 5 s after the event time of `s3Record`.
const stored = (...metrics: { name: string; unit: string; value: number }[]) => ({
  dimensions: { service: 'recognition' },
  metrics,
});

const emitted = async (key: string, arrange: Parameters<typeof emfOfUpload>[2]) =>
  (await emfOfUpload(key, JPEG, arrange)).map(flatten);

describe('recognition metrics (EMF)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('emits the allow path: one call by Operation, Uploads by Outcome RECOGNIZED, end-to-end latency in ms', async () => {
    expect(await emitted('incoming/thorn-like/search/child.jpg', () => undefined)).toEqual([
      count('RekognitionCalls', { Operation: 'SearchFacesByImage' }),
      count('Uploads', { Outcome: 'RECOGNIZED' }),
      stored({ name: 'EndToEndLatency', unit: 'Milliseconds', value: 5000 }),
    ]);
  });

  it('emits the deny path: no Rekognition metric, Uploads by Outcome QUARANTINED, Quarantined and latency', async () => {
    const records = await emitted('incoming/metro-police/search/suspect.jpg', (harness) =>
      harness.setPolicy((request) => answer(allowFor(request, { effect: 'DENY', reason: 'MORATORIUM_IN_FORCE' }))),
    );
    expect(records).toEqual([
      count('Uploads', { Outcome: 'QUARANTINED' }),
      stored(
        { name: 'Quarantined', unit: 'Count', value: 1 },
        { name: 'EndToEndLatency', unit: 'Milliseconds', value: 5000 },
      ),
    ]);
  });

  it('emits the throttling error path: calls, errors and throttles by Operation per attempt, and no outcome', async () => {
    const records = await emitted('incoming/thorn-like/search/child.jpg', (harness) =>
      harness.mocks.rekognition
        .on(SearchFacesByImageCommand)
        .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })),
    );
    const attempt = [
      count('RekognitionCalls', { Operation: 'SearchFacesByImage' }),
      count('RekognitionErrors', { Operation: 'SearchFacesByImage' }),
      count('RekognitionThrottles', { Operation: 'SearchFacesByImage' }),
    ];
    expect(records).toEqual([...attempt, ...attempt, ...attempt]);
  });

  it('emits a non-throttling Rekognition error as one call and one error, without a throttle', async () => {
    const records = await emitted('incoming/thorn-like/detect/child.jpg', (harness) =>
      harness.mocks.rekognition
        .on(DetectFacesCommand)
        .rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' })),
    );
    expect(records).toEqual([
      count('RekognitionCalls', { Operation: 'DetectFaces' }),
      count('RekognitionErrors', { Operation: 'DetectFaces' }),
    ]);
  });
});

describe('recognition metrics (EMF) when the policy decision point fails', () => {
  afterEach(() => jest.restoreAllMocks());

  it('emits an answer that is not a Decision as a quarantined upload, never a Rekognition call', async () => {
    const records = await emitted('incoming/thorn-like/search/child.jpg', (harness) =>
      harness.setPolicy(() => ({
        StatusCode: 200,
        Payload: new TextEncoder().encode('{"errorType":"Error"}') as never,
      })),
    );
    expect(records).toEqual([
      // The worker records this denial itself, so it counts it as a decision too (decision-metrics.test.ts).
      count('Decisions', { Effect: 'DENY', Reason: 'POLICY_ERROR', Category: 'unknown' }),
      count('Decisions', { Effect: 'DENY' }),
      count('Decisions', { Reason: 'POLICY_ERROR' }),
      count('Decisions', { Category: 'unknown' }),
      count('Uploads', { Outcome: 'QUARANTINED' }),
      stored(
        { name: 'Quarantined', unit: 'Count', value: 1 },
        { name: 'EndToEndLatency', unit: 'Milliseconds', value: 5000 },
      ),
    ]);
  });
});
