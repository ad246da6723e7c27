import { SearchFacesByImageCommand } from '@aws-sdk/client-rekognition';
import { CopyObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { moratoriumBarAt } from '../../../lambda/recognition/moratorium-gate';
import { decisionIdFor } from '../../../lambda/shared/audit';
import type { Decision, PolicyRequest, ReasonCode } from '../../../lambda/shared/decision';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { findOrganisation, type GovernanceSettings } from '../../../lambda/shared/settings';
import { s3Record, sqsEvent, sqsS3Record } from '../../helpers/events';
import { allowFor, answer, createHarness, type Harness, JPEG, SETTINGS } from './harness';

const START = SETTINGS.moratorium.start; // 2027-06-10T00:00:00.000Z
const END = SETTINGS.moratorium.end; // 2028-06-10T00:00:00.000Z
const shift = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
const HOUR = 60 * 60 * 1000;
const JUST_BEFORE = shift(START, -1);

const POLICE_KEY = 'incoming/metro-police/search/suspect.jpg';
const POLICE_OBJECT = { bucket: 'govrec-intake', key: POLICE_KEY, versionId: 'v-1' };
const POLICE_ID = decisionIdFor(POLICE_OBJECT);
const NGO_KEY = 'incoming/thorn-like/search/child.jpg';
const AFTER_WINDOW_DENY: GovernanceSettings = {
  ...SETTINGS,
  moratorium: { ...SETTINGS.moratorium, afterWindow: 'deny' },
};

/** What the policy Lambda answers for a police upload made before the window: an ALLOW. */
const policeAllow = (request: PolicyRequest, caller: Partial<Decision['caller']> = {}): Decision =>
  allowFor(request, {
    policyIds: ['registered-use'],
    caller: {
      principalId: request.principalId,
      roleArn: 'arn:aws:iam::111111111111:role/govrec-police-investigations',
      orgId: 'metro-police',
      category: 'police',
      restricted: true,
      ...caller,
    },
  });

const outcomeOf = (harness: Harness, decisionId: string) => {
  const entry = harness.ledgerEntry(decisionId, 'OUTCOME');
  return { outcome: entry?.outcome, reason: (entry?.record as { reason?: string } | undefined)?.reason };
};

describe('recognition handler on a restricted caller processed later than its upload', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = createHarness();
    harness.putObject(POLICE_KEY, 'v-1', { body: JPEG });
    harness.putObject(NGO_KEY, 'v-1', { body: JPEG });
    harness.setPolicy((request) => answer(request.orgId === 'metro-police' ? policeAllow(request) : allowFor(request)));
  });
  afterEach(() => harness.reset());

  const runPolice = (processedAt: string, settings: GovernanceSettings = SETTINGS) => {
    harness.withDeps({ clock: fixedClock(processedAt), settings });
    return harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: POLICE_KEY, versionId: 'v-1', eventTime: JUST_BEFORE })])),
    );
  };

  it.each<[string, 'RECOGNIZED' | 'QUARANTINED', string, GovernanceSettings, ReasonCode | undefined]>([
    ['the upload instant itself (start - 1 ms)', 'RECOGNIZED', JUST_BEFORE, SETTINGS, undefined],
    ['the first instant of the window', 'QUARANTINED', START, SETTINGS, 'MORATORIUM_IN_FORCE'],
    ['start + 1 h (a queue backlog)', 'QUARANTINED', shift(START, HOUR), SETTINGS, 'MORATORIUM_IN_FORCE'],
    ['the last instant of the window', 'QUARANTINED', shift(END, -1), SETTINGS, 'MORATORIUM_IN_FORCE'],
    ['the end (normal rules after the window)', 'RECOGNIZED', END, SETTINGS, undefined],
    ['end + 1 h (normal rules after the window)', 'RECOGNIZED', shift(END, HOUR), SETTINGS, undefined],
    ['the end (afterWindow deny)', 'QUARANTINED', END, AFTER_WINDOW_DENY, 'RESTRICTED_AFTER_MORATORIUM'],
    ['end + 1 h (afterWindow deny)', 'QUARANTINED', shift(END, HOUR), AFTER_WINDOW_DENY, 'RESTRICTED_AFTER_MORATORIUM'],
  ])('processed at %s, an upload at start - 1 ms ends %s', async (_label, outcome, processedAt, settings, reason) => {
    const response = await runPolice(processedAt, settings);

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.rekognitionCalls()).toBe(outcome === 'RECOGNIZED' ? 1 : 0);
    expect(outcomeOf(harness, POLICE_ID)).toEqual({ outcome, reason });
    // The policy's ALLOW stays the decision: the first decision recorded for an object stands.
    expect(harness.ledgerEntry(POLICE_ID, 'DECISION')).toMatchObject({ effect: 'ALLOW', reason: 'ALLOWED' });
  });

  it('moves the barred upload to quarantine with the reason on the copy, and writes no result', async () => {
    await runPolice(shift(START, HOUR));

    expect(harness.mocks.s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Key: 'quarantine/metro-police/search/suspect.jpg',
      Tagging: `govrec%3AdecisionId=${POLICE_ID}&govrec%3Areason=MORATORIUM_IN_FORCE&govrec%3Aorg=metro-police`,
    });
    expect(harness.mocks.s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
    expect(harness.metricsLog).toEqual(['Quarantined=1', 'Uploads:QUARANTINED=1', `EndToEndLatency=${HOUR + 1}`]);
  });

  it('bars a stored ALLOW replayed inside the window (a redrive after the first attempt failed)', async () => {
    const request: PolicyRequest = {
      principalId: 'AWS:AROAEXAMPLEROLEID01:uploader',
      orgId: 'metro-police',
      operation: 'search',
      purpose: 'criminal-investigation',
      at: JUST_BEFORE,
      object: POLICE_OBJECT,
    };
    harness.ledger.set(`${POLICE_ID}|DECISION`, {
      decisionId: POLICE_ID,
      entry: 'DECISION',
      effect: 'ALLOW',
      decision: policeAllow(request),
    });

    await runPolice(shift(START, 30 * 24 * HOUR));

    expect(harness.rekognitionCalls()).toBe(0);
    expect(outcomeOf(harness, POLICE_ID)).toEqual({ outcome: 'QUARANTINED', reason: 'MORATORIUM_IN_FORCE' });
  });

  it('bars the retry that a throttling back-off carries into the window', async () => {
    let now = Date.parse(START) - 60;
    harness.sleep.mockImplementation(async (ms: number) => {
      now += ms;
    });
    harness.mocks.rekognition
      .on(SearchFacesByImageCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    harness.withDeps({ clock: { now: () => new Date(now) } });

    const response = await harness.run(
      sqsEvent(sqsS3Record([s3Record({ key: POLICE_KEY, versionId: 'v-1', eventTime: shift(START, -1000) })])),
    );

    // Attempts at start - 60 ms and start - 10 ms; the third would be at start + 90 ms.
    expect(harness.sleep.mock.calls).toEqual([[50], [100]]);
    expect(harness.mocks.rekognition).toHaveReceivedCommandTimes(SearchFacesByImageCommand, 2);
    expect(response.batchItemFailures).toEqual([]);
    expect(outcomeOf(harness, POLICE_ID)).toEqual({ outcome: 'QUARANTINED', reason: 'MORATORIUM_IN_FORCE' });
  });

  it('bars a police organisation even when the decision calls the caller unrestricted', async () => {
    harness.setPolicy((request) => answer(policeAllow(request, { restricted: false, category: undefined })));

    await runPolice(shift(START, HOUR));

    expect(harness.rekognitionCalls()).toBe(0);
    expect(outcomeOf(harness, POLICE_ID)).toEqual({ outcome: 'QUARANTINED', reason: 'MORATORIUM_IN_FORCE' });
  });

  it('recognises an NGO upload processed inside the window', async () => {
    harness.withDeps({ clock: fixedClock(shift(START, HOUR)) });

    await harness.run(sqsEvent(sqsS3Record([s3Record({ key: NGO_KEY, versionId: 'v-1', eventTime: JUST_BEFORE })])));

    expect(harness.rekognitionCalls()).toBe(1);
    expect(outcomeOf(harness, decisionIdFor({ ...POLICE_OBJECT, key: NGO_KEY }))).toEqual({
      outcome: 'RECOGNIZED',
      reason: undefined,
    });
  });
});

describe('moratoriumBarAt', () => {
  const decision = policeAllow({
    principalId: 'p',
    orgId: 'metro-police',
    operation: 'search',
    purpose: 'criminal-investigation',
    at: JUST_BEFORE,
    object: POLICE_OBJECT,
  });
  const police = findOrganisation(SETTINGS, 'metro-police');

  it('bars a restricted caller when the clock cannot tell the time', () => {
    expect(moratoriumBarAt(decision, police, SETTINGS, new Date(Number.NaN))).toBe('MORATORIUM_IN_FORCE');
  });

  it('does not bar an unrestricted caller of an unrestricted organisation inside the window', () => {
    const ngo = allowFor({
      principalId: 'p',
      orgId: 'thorn-like',
      operation: 'search',
      purpose: 'child-rescue',
      at: JUST_BEFORE,
      object: POLICE_OBJECT,
    });
    expect(moratoriumBarAt(ngo, findOrganisation(SETTINGS, 'thorn-like'), SETTINGS, new Date(START))).toBeUndefined();
  });
});
