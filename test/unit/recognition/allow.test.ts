import { DetectFacesCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import { type AllowedRequest, type RecognitionSubject, verifyAllow } from '../../../lambda/recognition/allow';
import { RekognitionCallBarredError, UnverifiedRequestError } from '../../../lambda/recognition/errors';
import { noMetrics } from '../../../lambda/recognition/metrics';
import { RekognitionGateway } from '../../../lambda/recognition/rekognition';
import { decisionIdFor } from '../../../lambda/shared/audit';
import type { PolicyRequest } from '../../../lambda/shared/decision';
import { findOrganisation } from '../../../lambda/shared/settings';
import { allowFor, SETTINGS } from './harness';

const OBJECT = { bucket: 'govrec-intake', key: 'incoming/marinus-like/detect/a.jpg', versionId: 'v-1' };
const REQUEST: PolicyRequest = {
  principalId: 'AWS:AROAX:s',
  orgId: 'marinus-like',
  operation: 'detect',
  purpose: 'anti-trafficking',
  at: '2027-01-01T00:00:00.000Z',
  object: OBJECT,
};
const subject = (overrides: Partial<RecognitionSubject> = {}): RecognitionSubject => ({
  object: OBJECT,
  orgId: 'marinus-like',
  operation: 'detect',
  principalId: REQUEST.principalId,
  at: REQUEST.at,
  purpose: REQUEST.purpose,
  organisation: findOrganisation(SETTINGS, 'marinus-like'),
  image: { kind: 's3-object' },
  ...overrides,
});

describe('verifyAllow', () => {
  it('issues a request for an ALLOW about exactly this object, organisation, operation, uploader, instant and purpose', () => {
    const verdict = verifyAllow(allowFor(REQUEST), subject());

    expect(verdict.allowed).toBe(true);
    if (verdict.allowed)
      expect(verdict.request).toMatchObject({
        object: OBJECT,
        operation: 'detect',
        organisation: { id: 'marinus-like' },
      });
  });

  it('passes on a policy DENY with its own reason', () => {
    expect(
      verifyAllow(allowFor(REQUEST, { effect: 'DENY', reason: 'PURPOSE_NOT_REGISTERED' }), subject()),
    ).toMatchObject({
      allowed: false,
      reason: 'PURPOSE_NOT_REGISTERED',
      mismatch: false,
    });
  });

  it.each<[string, Parameters<typeof verifyAllow>[0], RecognitionSubject]>([
    ['another decision id', allowFor(REQUEST, { decisionId: 'd-other' }), subject()],
    [
      'another bucket',
      allowFor({ ...REQUEST, object: { ...OBJECT, bucket: 'elsewhere' } }, { decisionId: decisionIdFor(OBJECT) }),
      subject(),
    ],
    [
      'another key',
      allowFor(
        { ...REQUEST, object: { ...OBJECT, key: 'incoming/marinus-like/detect/b.jpg' } },
        { decisionId: decisionIdFor(OBJECT) },
      ),
      subject(),
    ],
    [
      'no version where one was uploaded',
      allowFor(
        { ...REQUEST, object: { bucket: OBJECT.bucket, key: OBJECT.key } },
        { decisionId: decisionIdFor(OBJECT) },
      ),
      subject(),
    ],
    ['no object at all', { ...allowFor(REQUEST), request: { ...REQUEST, object: undefined } }, subject()],
    ['another organisation', allowFor({ ...REQUEST, orgId: 'thorn-like' }), subject()],
    ['another operation', allowFor({ ...REQUEST, operation: 'search' }), subject()],
    ['an ALLOW with a denial reason', allowFor(REQUEST, { reason: 'NO_PERMIT' }), subject()],
    [
      'an unregistered organisation',
      allowFor({ ...REQUEST, orgId: 'ghost-org' }),
      subject({ orgId: 'ghost-org', organisation: undefined }),
    ],
    [
      'an operation the organisation is not registered for',
      allowFor({ ...REQUEST, operation: 'index' }),
      subject({ operation: 'index' }),
    ],
    ['another principal', allowFor({ ...REQUEST, principalId: 'AWS:AROAOTHER:s' }), subject()],
    ['an earlier instant', allowFor({ ...REQUEST, at: '2026-12-31T23:59:59.999Z' }), subject()],
    ['the same instant written differently', allowFor({ ...REQUEST, at: '2027-01-01T00:00:00Z' }), subject()],
    ['another purpose', allowFor({ ...REQUEST, purpose: 'victim-identification' }), subject()],
  ])('refuses a decision with %s as POLICY_ERROR', (_label, decision, target) => {
    expect(verifyAllow(decision, target)).toMatchObject({ allowed: false, reason: 'POLICY_ERROR', mismatch: true });
  });
});

describe('RekognitionGateway', () => {
  it('refuses a request that verifyAllow did not issue, without calling Rekognition', async () => {
    const client = new RekognitionClient({});
    const mock = mockClient(client);
    const forged = {
      decision: allowFor(REQUEST),
      object: OBJECT,
      organisation: findOrganisation(SETTINGS, 'marinus-like')!,
      operation: 'detect',
      image: { kind: 's3-object' },
    } as unknown as AllowedRequest;

    await expect(new RekognitionGateway(client, noMetrics).recognise(forged)).rejects.toThrow(UnverifiedRequestError);
    expect(mock).toHaveReceivedCommandTimes(DetectFacesCommand, 0);
    mock.restore();
  });

  it('rethrows a Rekognition error that is neither throttling nor "no face" without retrying', async () => {
    const client = new RekognitionClient({});
    const mock = mockClient(client);
    mock.on(DetectFacesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const verdict = verifyAllow(allowFor(REQUEST), subject());
    if (!verdict.allowed) throw new Error('expected an allow');

    await expect(new RekognitionGateway(client, noMetrics).recognise(verdict.request)).rejects.toThrow('denied');
    expect(mock).toHaveReceivedCommandTimes(DetectFacesCommand, 1);
    mock.restore();
  });

  it('asks the guard before every attempt and stops without a call once it bars', async () => {
    const client = new RekognitionClient({});
    const mock = mockClient(client);
    mock.on(DetectFacesCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    const verdict = verifyAllow(allowFor(REQUEST), subject());
    if (!verdict.allowed) throw new Error('expected an allow');
    const bars: Array<string | undefined> = [undefined, 'MORATORIUM_IN_FORCE'];
    const retry = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {}, random: () => 0 };

    await expect(
      new RekognitionGateway(client, noMetrics, retry).recognise(verdict.request, () => bars.shift() as never),
    ).rejects.toThrow(RekognitionCallBarredError);
    expect(mock).toHaveReceivedCommandTimes(DetectFacesCommand, 1);
    mock.restore();
  });
});
