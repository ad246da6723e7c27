import { SearchFacesByImageCommand } from '@aws-sdk/client-rekognition';
import { CopyObjectCommand, DeleteObjectCommand, PutObjectCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { decisionIdFor } from '../../../lambda/shared/audit';
import type { Decision, PolicyRequest } from '../../../lambda/shared/decision';
import { s3Record, sqsEvent, sqsS3Record } from '../../helpers/events';
import {
  allowFor,
  answer,
  createHarness,
  type Harness,
  JPEG,
  type PolicyBehaviour,
  QUARANTINE_BUCKET,
} from './harness';

const KEY = 'incoming/metro-police/search/suspect.jpg';
const OBJECT = { bucket: 'govrec-intake', key: KEY, versionId: 'v-7' };
const DECISION_ID = decisionIdFor(OBJECT);

const deny =
  (reason: Decision['reason']): PolicyBehaviour =>
  (request) =>
    answer(allowFor(request, { effect: 'DENY', reason, policyIds: ['moratorium-on-restricted-categories'] }));
const never: PolicyBehaviour = () => new Promise(() => undefined);
const raw =
  (text: string, functionError?: string): PolicyBehaviour =>
  () => ({
    StatusCode: 200,
    Payload: new TextEncoder().encode(text) as never,
    ...(functionError !== undefined ? { FunctionError: functionError } : {}),
  });
const otherObject: PolicyBehaviour = (request: PolicyRequest) => {
  const other = { ...request.object!, key: 'incoming/metro-police/search/other.jpg' };
  return answer(allowFor({ ...request, object: other }));
};
const otherVersion: PolicyBehaviour = (request) => {
  const decision = allowFor(request);
  return answer({ ...decision, request: { ...decision.request, object: { ...request.object!, versionId: 'v-8' } } });
};

describe('recognition handler on a denied upload', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = createHarness();
    harness.putObject(KEY, 'v-7', { body: JPEG });
  });
  afterEach(() => harness.reset());

  it.each<[string, PolicyBehaviour, Decision['reason']]>([
    ['a policy deny (moratorium in force)', deny('MORATORIUM_IN_FORCE'), 'MORATORIUM_IN_FORCE'],
    ['an unknown principal', deny('UNKNOWN_PRINCIPAL'), 'UNKNOWN_PRINCIPAL'],
    ['an organisation mismatch', deny('ORG_MISMATCH'), 'ORG_MISMATCH'],
    ['a payload that is not JSON', raw('<html>'), 'POLICY_ERROR'],
    ['a payload that is not a Decision', raw('{"effect":"ALLOW"}'), 'POLICY_ERROR'],
    ['an ALLOW for another object', otherObject, 'POLICY_ERROR'],
    ['an ALLOW for another version of the object', otherVersion, 'POLICY_ERROR'],
    [
      'an ALLOW for another organisation',
      (request) => answer(allowFor({ ...request, orgId: 'thorn-like' })),
      'POLICY_ERROR',
    ],
    [
      'an ALLOW for another operation',
      (request) => answer(allowFor({ ...request, operation: 'detect' })),
      'POLICY_ERROR',
    ],
    [
      'an ALLOW with a denial reason',
      (request) => answer(allowFor(request, { reason: 'MORATORIUM_IN_FORCE' })),
      'POLICY_ERROR',
    ],
    [
      'an ALLOW for another principal',
      (request) => answer(allowFor({ ...request, principalId: 'AWS:AROAOTHERROLEID0001:someone' })),
      'POLICY_ERROR',
    ],
    [
      'an ALLOW about an earlier instant',
      (request) => answer(allowFor({ ...request, at: '2026-06-01T00:00:00.000Z' })),
      'POLICY_ERROR',
    ],
    [
      'an ALLOW for another purpose',
      (request) => answer(allowFor({ ...request, purpose: 'child-rescue' })),
      'POLICY_ERROR',
    ],
  ])('quarantines and records %s without calling Rekognition', async (_label, behaviour, reason) => {
    harness.setPolicy(behaviour);
    harness.withDeps({ policyTimeoutMs: 25 });

    const response = await harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: 'incoming/metro-police/search/suspect.jpg', versionId: 'v-7' })])),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.rekognitionCalls()).toBe(0);
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(CopyObjectCommand, 1);
    expect(harness.mocks.s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Bucket: QUARANTINE_BUCKET,
      Key: 'quarantine/metro-police/search/suspect.jpg',
      CopySource: 'govrec-intake/incoming/metro-police/search/suspect.jpg?versionId=v-7',
      TaggingDirective: 'REPLACE',
      Tagging: `govrec%3AdecisionId=${DECISION_ID}&govrec%3Areason=${reason}&govrec%3Aorg=metro-police`,
    });
    expect(harness.mocks.s3).toHaveReceivedCommandWith(PutObjectTaggingCommand, {
      Bucket: QUARANTINE_BUCKET,
      Key: 'quarantine/metro-police/search/suspect.jpg',
      VersionId: 'qv-1',
      Tagging: {
        TagSet: [
          { Key: 'govrec:decisionId', Value: DECISION_ID },
          { Key: 'govrec:reason', Value: reason },
          { Key: 'govrec:org', Value: 'metro-police' },
        ],
      },
    });
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(DeleteObjectCommand, 1);
    expect(harness.mocks.s3).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Bucket: 'govrec-intake',
      Key: KEY,
      VersionId: 'v-7',
    });
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
    expect(harness.ledgerEntry(DECISION_ID, 'DECISION')).toMatchObject({
      effect: 'DENY',
      reason,
      orgId: 'metro-police',
    });
    expect(harness.ledgerEntry(DECISION_ID, 'OUTCOME')).toMatchObject({
      outcome: 'QUARANTINED',
      outcomeOrgId: 'metro-police',
    });
    expect((harness.ledgerEntry(DECISION_ID, 'OUTCOME')?.record as { reason?: string } | undefined)?.reason).toBe(
      reason,
    );
    expect(harness.metricsLog).toEqual(['Quarantined=1', 'Uploads:QUARANTINED=1', 'EndToEndLatency=5000']);
  });

  it('keeps a decision already in the ledger and does not recognise on a later ALLOW', async () => {
    const first = allowFor(
      {
        principalId: 'p',
        orgId: 'metro-police',
        operation: 'search',
        purpose: 'criminal-investigation',
        at: 'x',
        object: OBJECT,
      },
      {
        effect: 'DENY',
        reason: 'MORATORIUM_IN_FORCE',
      },
    );
    harness.ledger.set(`${DECISION_ID}|DECISION`, { decisionId: DECISION_ID, entry: 'DECISION', decision: first });
    harness.setPolicy((request) => answer(allowFor(request)));

    await harness.run(sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-7' })])));

    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 0);
    expect(harness.ledgerEntry(DECISION_ID, 'OUTCOME')).toMatchObject({ outcome: 'QUARANTINED' });
    expect((harness.ledgerEntry(DECISION_ID, 'OUTCOME')?.record as { reason?: string } | undefined)?.reason).toBe(
      'MORATORIUM_IN_FORCE',
    );
  });

  it.each<[string, Partial<PolicyRequest>]>([
    ['another principal', { principalId: 'AWS:AROAOTHERROLEID0001:someone' }],
    ['an earlier instant', { at: '2026-06-01T00:00:00.000Z' }],
    ['another purpose', { purpose: 'child-rescue' }],
  ])(
    'refuses a stored ALLOW asked for by %s as POLICY_ERROR, even when the policy now allows',
    async (_label, forged) => {
      const real: PolicyRequest = {
        principalId: 'AWS:AROAEXAMPLEROLEID01:uploader',
        orgId: 'metro-police',
        operation: 'search',
        purpose: 'criminal-investigation',
        at: '2027-01-01T00:00:00.000Z',
        object: OBJECT,
      };
      harness.ledger.set(`${DECISION_ID}|DECISION`, {
        decisionId: DECISION_ID,
        entry: 'DECISION',
        decision: allowFor({ ...real, ...forged }),
      });
      harness.setPolicy((request) => answer(allowFor(request)));

      const response = await harness.run(sqsEvent(sqsS3Record([s3Record({ key: KEY, versionId: 'v-7' })])));

      expect(response.batchItemFailures).toEqual([]);
      expect(harness.policyRequests()).toEqual([real]);
      expect(harness.rekognitionCalls()).toBe(0);
      expect(harness.ledgerEntry(DECISION_ID, 'OUTCOME')).toMatchObject({ outcome: 'QUARANTINED' });
      expect((harness.ledgerEntry(DECISION_ID, 'OUTCOME')?.record as { reason?: string } | undefined)?.reason).toBe(
        'POLICY_ERROR',
      );
    },
  );

  it('records its own POLICY_UNAVAILABLE denial on the final receive with the moratorium state at the event time', async () => {
    harness.setPolicy(never);
    harness.withDeps({ policyTimeoutMs: 10 });
    const message = sqsS3Record([s3Record({ key: KEY, versionId: 'v-7', eventTime: '2027-06-10T00:00:00.000Z' })]);

    await harness.run(sqsEvent({ ...message, attributes: { ...message.attributes, ApproximateReceiveCount: '5' } }));

    const decision = harness.ledgerEntry(DECISION_ID, 'DECISION')?.decision as Decision;
    expect(decision).toMatchObject({
      effect: 'DENY',
      reason: 'POLICY_UNAVAILABLE',
      policyIds: [],
      decidedAt: '2027-01-01T00:00:05.000Z',
      moratorium: { start: '2027-06-10T00:00:00.000Z', end: '2028-06-10T00:00:00.000Z', inForce: true },
      request: { orgId: 'metro-police', operation: 'search', purpose: '(missing)', object: OBJECT },
    });
    expect(harness.ledgerEntry(DECISION_ID, 'OUTCOME')).toMatchObject({ outcome: 'UNAVAILABLE' });
  });
});
