/**
 * The defects of issue 9, one test each: every upload ends in exactly one recorded outcome that
 * agrees with its decision, a transient failure never destroys an upload, and the intake version
 * is deleted only once its quarantine copy exists and its outcome is recorded.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DetectFacesCommand, SearchFacesByImageCommand } from '@aws-sdk/client-rekognition';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { createInProcessDecider } from '../../../lambda/decision/in-process';
import { decisionIdFor } from '../../../lambda/shared/audit';
import type { Decision, PolicyRequest } from '../../../lambda/shared/decision';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { s3Record, sqsEvent, sqsS3Record } from '../../helpers/events';
import { allowFor, answer, createHarness, type Harness, JPEG, type PolicyBehaviour, SETTINGS } from './harness';

const INTAKE = 'govrec-intake';
const POLICE_KEY = 'incoming/metro-police/search/suspect.jpg';
const NGO_KEY = 'incoming/thorn-like/detect/child.jpg';
const idOf = (key: string, versionId = 'v-1') => decisionIdFor({ bucket: INTAKE, key, versionId });

const onReceive = (message: SQSRecord, count: number): SQSRecord => ({
  ...message,
  attributes: { ...message.attributes, ApproximateReceiveCount: String(count) },
});
const delivery = (key: string, count = 1, extra: Partial<Parameters<typeof s3Record>[0]> = {}) =>
  sqsEvent(onReceive(sqsS3Record([s3Record({ key, versionId: 'v-1', ...extra })]), count));

const throttled = (name = 'ProvisionedThroughputExceededException') =>
  Object.assign(new Error('slow down'), { name, $metadata: { httpStatusCode: 400 } });
const denyFor =
  (reason: Decision['reason']): PolicyBehaviour =>
  (request) =>
    answer(allowFor(request, { effect: 'DENY', reason, policyIds: ['moratorium-in-force'] }));
const never: PolicyBehaviour = () => new Promise(() => undefined);

const recordOf = (harness: Harness, id: string, entry: 'DECISION' | 'INTENT' | 'OUTCOME') =>
  harness.ledgerEntry(id, entry)?.[entry === 'DECISION' ? 'decision' : 'record'] as Record<string, unknown> | undefined;

describe('recognition worker: one recorded story per upload', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = createHarness();
  });
  afterEach(() => harness.reset());

  it('keeps the intake version when the OUTCOME write fails, and the redelivery finishes the quarantine', async () => {
    harness.putObject(POLICE_KEY, 'v-1', { body: JPEG });
    harness.setPolicy(denyFor('MORATORIUM_IN_FORCE'));
    harness.setAuditFault((item) => (item.entry === 'OUTCOME' ? throttled() : undefined));

    const first = await harness.run(delivery(POLICE_KEY, 1));

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(DeleteObjectCommand, 0);
    expect(recordOf(harness, idOf(POLICE_KEY), 'INTENT')).toMatchObject({ outcome: 'QUARANTINED' });

    harness.setAuditFault(() => undefined);
    const second = await harness.run(delivery(POLICE_KEY, 2));

    expect(second.batchItemFailures).toEqual([]);
    expect(harness.timeline.filter((step) => !step.startsWith('copy'))).toEqual([
      'ledger:DECISION',
      'ledger:INTENT',
      'ledger:OUTCOME',
      `delete:${POLICE_KEY}`,
    ]);
    expect(recordOf(harness, idOf(POLICE_KEY), 'OUTCOME')).toMatchObject({
      outcome: 'QUARANTINED',
      reason: 'MORATORIUM_IN_FORCE',
    });
    expect(harness.rekognitionCalls()).toBe(0);
  });

  it('deletes the intake version on the redelivery after a failure between the OUTCOME and the delete', async () => {
    harness.putObject(POLICE_KEY, 'v-1', { body: JPEG });
    harness.setPolicy(denyFor('MORATORIUM_IN_FORCE'));
    harness.mocks.s3
      .on(DeleteObjectCommand)
      .rejectsOnce(Object.assign(new Error('internal'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }))
      .resolves({});

    expect((await harness.run(delivery(POLICE_KEY, 1))).batchItemFailures).toHaveLength(1);
    expect(recordOf(harness, idOf(POLICE_KEY), 'OUTCOME')).toMatchObject({ outcome: 'QUARANTINED' });

    expect((await harness.run(delivery(POLICE_KEY, 2))).batchItemFailures).toEqual([]);
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(DeleteObjectCommand, 2);
    expect(harness.mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    expect(harness.metricsLog).toContain('Uploads:DUPLICATE=1');
  });

  it('settles an object deleted before processing as GONE, with no retry, copy or policy call', async () => {
    const response = await harness.run(delivery(NGO_KEY, 1));

    expect(response.batchItemFailures).toEqual([]);
    expect(recordOf(harness, idOf(NGO_KEY), 'DECISION')).toMatchObject({ effect: 'DENY', reason: 'OBJECT_GONE' });
    expect(recordOf(harness, idOf(NGO_KEY), 'OUTCOME')).toMatchObject({ outcome: 'GONE', reason: 'OBJECT_GONE' });
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(CopyObjectCommand, 0);
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(DeleteObjectCommand, 0);
    expect(harness.mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 0);
  });

  describe('on a key of exactly 1,024 bytes (about 330 CJK characters of name)', () => {
    // Padded with ASCII to S3's limit, so any longer prefix of a derived key would pass it.
    const atLimit = (prefix: string) => {
      const base = `${prefix}${'界'.repeat(330)}`;
      return `${base}${'a'.repeat(1024 - Buffer.byteLength(base) - 4)}.jpg`;
    };
    const longKey = atLimit('incoming/thorn-like/detect/');
    const longPoliceKey = atLimit('incoming/metro-police/search/');

    it('recognises an allowed upload once and writes its result under a key within the limit', async () => {
      expect(Buffer.byteLength(longKey)).toBe(1024);
      harness.putObject(longKey, 'v-1', { body: JPEG });

      const response = await harness.run(delivery(encodeURI(longKey), 1));

      expect(response.batchItemFailures).toEqual([]);
      expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(DetectFacesCommand, 1);
      const put = harness.mocks.s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
      expect(Buffer.byteLength(put?.Key ?? '')).toBeLessThanOrEqual(1024);
      expect(recordOf(harness, idOf(longKey), 'OUTCOME')).toMatchObject({ outcome: 'RECOGNIZED' });
    });

    it('quarantines a denied upload under a key within the limit', async () => {
      expect(Buffer.byteLength(longPoliceKey)).toBe(1024);
      harness.putObject(longPoliceKey, 'v-1', { body: JPEG });
      harness.setPolicy(denyFor('MORATORIUM_IN_FORCE'));

      const response = await harness.run(delivery(encodeURI(longPoliceKey), 1));

      expect(response.batchItemFailures).toEqual([]);
      const copy = harness.mocks.s3.commandCalls(CopyObjectCommand)[0]?.args[0].input;
      expect(Buffer.byteLength(copy?.Key ?? '')).toBeLessThanOrEqual(1024);
      expect(recordOf(harness, idOf(longPoliceKey), 'OUTCOME')).toMatchObject({ outcome: 'QUARANTINED' });
    });
  });

  describe('on a policy function that cannot answer', () => {
    it.each<[string, PolicyBehaviour]>([
      ['a throttled Invoke', () => Promise.reject(throttled('TooManyRequestsException'))],
      ['a cold start past the timeout', never],
      [
        'a function error',
        () => ({ StatusCode: 200, FunctionError: 'Unhandled', Payload: new TextEncoder().encode('{}') as never }),
      ],
      [
        'a 5xx',
        () =>
          Promise.reject(
            Object.assign(new Error('x'), { name: 'ServiceException', $metadata: { httpStatusCode: 500 } }),
          ),
      ],
    ])('keeps the upload in intake on %s until the final receive', async (_label, behaviour) => {
      harness.putObject(NGO_KEY, 'v-1', { body: JPEG });
      harness.setPolicy(behaviour);
      harness.withDeps({ policyTimeoutMs: 20 });

      for (const count of [1, 2, 3, 4]) {
        expect((await harness.run(delivery(NGO_KEY, count))).batchItemFailures).toHaveLength(1);
      }
      expect(harness.mocks.s3).toHaveReceivedCommandTimes(CopyObjectCommand, 0);
      expect(harness.mocks.s3).toHaveReceivedCommandTimes(DeleteObjectCommand, 0);
      expect(harness.ledgerEntry(idOf(NGO_KEY), 'DECISION')).toBeUndefined();

      expect((await harness.run(delivery(NGO_KEY, 5))).batchItemFailures).toEqual([]);
      expect(recordOf(harness, idOf(NGO_KEY), 'DECISION')).toMatchObject({
        effect: 'DENY',
        reason: 'POLICY_UNAVAILABLE',
      });
      expect(recordOf(harness, idOf(NGO_KEY), 'OUTCOME')).toMatchObject({
        outcome: 'UNAVAILABLE',
        reason: 'POLICY_UNAVAILABLE',
      });
      expect(harness.timeline.indexOf('ledger:OUTCOME')).toBeLessThan(harness.timeline.indexOf(`delete:${NGO_KEY}`));
      expect(harness.rekognitionCalls()).toBe(0);
    });

    it('acts on an ALLOW the policy recorded after the deadline, so DECISION and OUTCOME agree', async () => {
      harness.putObject(NGO_KEY, 'v-1', { body: JPEG });
      const id = idOf(NGO_KEY);
      harness.setPolicy((request) => {
        // The policy function records its ALLOW, then answers too late.
        harness.ledger.set(`${id}|DECISION`, { decisionId: id, entry: 'DECISION', decision: allowFor(request) });
        return never(request);
      });
      harness.withDeps({ policyTimeoutMs: 20 });
      expect((await harness.run(delivery(NGO_KEY, 1))).batchItemFailures).toHaveLength(1);

      harness.setPolicy((request) => answer(allowFor(request)));
      expect((await harness.run(delivery(NGO_KEY, 2))).batchItemFailures).toEqual([]);

      expect(recordOf(harness, id, 'DECISION')).toMatchObject({ effect: 'ALLOW' });
      expect(recordOf(harness, id, 'OUTCOME')).toMatchObject({ outcome: 'RECOGNIZED' });
    });
  });

  it('tells one story for an upload under an unregistered prefix, against the real decision function', async () => {
    const key = 'incoming/unregistered-org/detect/photo.jpg';
    harness.putObject(key, 'v-1', { body: JPEG });
    const pdp = createInProcessDecider(SETTINGS, [], { clock: fixedClock('2027-01-01T00:00:05.000Z') });
    harness.setPolicy(async (request) => answer(await pdp.decide(request)));

    expect((await harness.run(delivery(key, 1))).batchItemFailures).toEqual([]);

    expect(harness.policyRequests()[0]?.purpose).toBe('(missing)');
    const decision = recordOf(harness, idOf(key), 'DECISION');
    const outcome = recordOf(harness, idOf(key), 'OUTCOME');
    expect(decision?.effect).toBe('DENY');
    expect(outcome?.reason).toBe(decision?.reason);
    expect(outcome?.supersedes).toBeUndefined();
  });

  describe('on a caller restricted only by its role tag', () => {
    const START = SETTINGS.moratorium.start;
    const afterStart = new Date(Date.parse(START) + 1000).toISOString();
    const ngoRequest = (request: PolicyRequest) =>
      allowFor(request, { decidedAt: new Date(Date.parse(START) - 60_000).toISOString() });

    it('does not reuse an ALLOW decided before the start: a fresh denial supersedes it, no Rekognition call', async () => {
      harness.putObject(NGO_KEY, 'v-1', { body: JPEG });
      const id = idOf(NGO_KEY);
      harness.withDeps({ clock: fixedClock(afterStart) });
      harness.setPolicy((request) => {
        harness.ledger.set(`${id}|DECISION`, { decisionId: id, entry: 'DECISION', decision: ngoRequest(request) });
        const caller = { ...allowFor(request).caller, restricted: true };
        return answer(
          allowFor(request, { effect: 'DENY', reason: 'MORATORIUM_IN_FORCE', caller, decidedAt: afterStart }),
        );
      });

      expect((await harness.run(delivery(NGO_KEY, 1))).batchItemFailures).toEqual([]);

      expect(harness.rekognitionCalls()).toBe(0);
      expect(recordOf(harness, id, 'OUTCOME')).toMatchObject({
        outcome: 'QUARANTINED',
        reason: 'MORATORIUM_IN_FORCE',
        supersedes: { effect: 'ALLOW', reason: 'ALLOWED' },
      });
      expect(harness.ledgerEntry(id, 'OUTCOME')).toMatchObject({ effectCategory: 'ALLOW#ngo' });
    });

    it("bars the call by the caller's current restriction, not the one stored with the ALLOW", async () => {
      harness.putObject(NGO_KEY, 'v-1', { body: JPEG });
      const id = idOf(NGO_KEY);
      harness.withDeps({ clock: fixedClock(afterStart) });
      harness.setPolicy((request) => {
        harness.ledger.set(`${id}|DECISION`, { decisionId: id, entry: 'DECISION', decision: ngoRequest(request) });
        // Even a fresh answer that says ALLOW cannot carry a caller it marks restricted into the window.
        return answer(allowFor(request, { caller: { ...allowFor(request).caller, restricted: true } }));
      });

      expect((await harness.run(delivery(NGO_KEY, 1))).batchItemFailures).toEqual([]);

      expect(harness.rekognitionCalls()).toBe(0);
      expect(recordOf(harness, id, 'OUTCOME')).toMatchObject({ outcome: 'QUARANTINED', reason: 'MORATORIUM_IN_FORCE' });
    });
  });

  it('takes no message when the invocation has less time left than one message needs', async () => {
    harness.putObject(NGO_KEY, 'v-1', { body: JPEG });

    const response = await harness.run(delivery(NGO_KEY, 1), { getRemainingTimeInMillis: () => 10_000 });

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
  });

  it('records a fail-closed ending that supersedes the ALLOW when Rekognition throttles through the final receive', async () => {
    const key = 'incoming/thorn-like/search/child.jpg';
    harness.putObject(key, 'v-1', { body: JPEG });
    harness.mocks.rekognition.on(SearchFacesByImageCommand).rejects(throttled('ThrottlingException'));

    expect((await harness.run(delivery(key, 4))).batchItemFailures).toHaveLength(1);
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(CopyObjectCommand, 0);
    expect((await harness.run(delivery(key, 5))).batchItemFailures).toEqual([]);

    expect(recordOf(harness, idOf(key), 'DECISION')).toMatchObject({ effect: 'ALLOW' });
    expect(recordOf(harness, idOf(key), 'OUTCOME')).toMatchObject({
      outcome: 'UNAVAILABLE',
      reason: 'SERVICE_UNAVAILABLE',
      supersedes: { effect: 'ALLOW' },
    });
  });
});
