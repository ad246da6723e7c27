import { decisionIdFor } from '../../../lambda/shared/audit';
import { INTAKE_BUCKET } from '../../helpers/events';
import type { EmfRecord } from '../decision/emf';
import { emfOfUpload } from './emf-run';
import { allowFor, answer, JPEG } from './harness';

/** Each EMF record as `{ dimensions: { name: value }, metrics: { name: value } }`, namespace checked. */
const flatten = (record: EmfRecord) => {
  const directive = record._aws.CloudWatchMetrics[0]!;
  expect(directive.Namespace).toBe('GovernedRecognition');
  return {
    dimensions: Object.fromEntries((directive.Dimensions[0] ?? []).map((d) => [d, record[d]])),
    metrics: Object.fromEntries(directive.Metrics.map((m) => [`${m.Name} (${m.Unit})`, record[m.Name]])),
  };
};

const record = (dimensions: Record<string, string>, metrics: Record<string, number>) => ({
  dimensions: { service: 'recognition', ...dimensions },
  metrics,
});
/** The four `Decisions` records of one denial, as the policy Lambda emits them (lambda/decision/record.ts). */
const decisionRecords = (reason: string) => [
  record({ Effect: 'DENY', Reason: reason, Category: 'unknown' }, { 'Decisions (Count)': 1 }),
  record({ Effect: 'DENY' }, { 'Decisions (Count)': 1 }),
  record({ Reason: reason }, { 'Decisions (Count)': 1 }),
  record({ Category: 'unknown' }, { 'Decisions (Count)': 1 }),
];
// The harness clock is 5 s after the event time of `s3Record`.
const settled = (outcome: string) => [
  record({ Outcome: outcome }, { 'Uploads (Count)': 1 }),
  record({}, { 'Quarantined (Count)': 1, 'EndToEndLatency (Milliseconds)': 5000 }),
];

const emitted = async (key: string, body: Buffer, arrange?: Parameters<typeof emfOfUpload>[2]) =>
  (await emfOfUpload(key, body, arrange)).map(flatten);

describe('recognition worker Decisions metric (EMF)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('emits a denial it decides itself (not an image) as Decisions by Effect, Reason and Category together and each alone, Category unknown', async () => {
    expect(await emitted('incoming/thorn-like/search/notes.txt', Buffer.from('plain text, not an image'))).toEqual([
      ...decisionRecords('INVALID_IMAGE'),
      ...settled('REJECTED'),
    ]);
  });

  it('emits an answer that is not a Decision, which it records as POLICY_ERROR, the same way', async () => {
    const records = await emitted('incoming/thorn-like/search/child.jpg', JPEG, (harness) =>
      harness.setPolicy(() => ({
        StatusCode: 200,
        Payload: new TextEncoder().encode('{"errorType":"Error"}') as never,
      })),
    );
    expect(records).toEqual([...decisionRecords('POLICY_ERROR'), ...settled('QUARANTINED')]);
  });

  it('emits no Decisions when the ledger already held the decision (a retry after the record was written)', async () => {
    const key = 'incoming/thorn-like/search/notes.txt';
    const object = { bucket: INTAKE_BUCKET, key, versionId: 'v-1' };
    const decisionId = decisionIdFor(object);
    const first = allowFor(
      { principalId: 'p', orgId: 'thorn-like', operation: 'search', purpose: '', at: 'x', object },
      { effect: 'DENY', reason: 'INVALID_IMAGE' },
    );
    const records = await emitted(key, Buffer.from('plain text, not an image'), (harness) =>
      harness.ledger.set(`${decisionId}|DECISION`, { decisionId, entry: 'DECISION', decision: first }),
    );
    expect(records).toEqual(settled('REJECTED'));
  });

  it('emits no Decisions for a denial of the policy decision point, which counts it itself', async () => {
    const records = await emitted('incoming/metro-police/search/suspect.jpg', JPEG, (harness) =>
      harness.setPolicy((request) => answer(allowFor(request, { effect: 'DENY', reason: 'MORATORIUM_IN_FORCE' }))),
    );
    expect(records).toEqual(settled('QUARANTINED'));
  });
});
