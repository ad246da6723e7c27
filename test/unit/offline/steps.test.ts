/**
 * The scenario's expectation checks and the cast it picks from a configuration.
 */
import { parseGovernance } from '../../../lambda/shared/settings';
import { OfflineConfigError } from '../../../local/offline/errors';
import type { UploadOutcome } from '../../../local/offline/pipeline';
import { castFrom } from '../../../local/offline/scenario';
import { describeUpload, meetsExpectation, type UploadExpectation } from '../../../local/offline/steps';
import { exampleConfigJson } from '../../helpers/cdk-app';

const outcome = (change: Partial<UploadOutcome> = {}): UploadOutcome => ({
  bucket: 'intake',
  key: 'incoming/thorn-like/search/a.jpg',
  at: '2027-05-01T10:00:00Z',
  roleArn: 'arn:aws:iam::111111111111:role/x',
  principalId: 'AWS:AROAX:s',
  decisionId: 'd-1',
  decision: {
    effect: 'ALLOW',
    reason: 'ALLOWED',
    policyIds: ['registered-use'],
    decidedAt: '2027-05-01T10:00:00.042Z',
  },
  outcome: 'RECOGNIZED',
  summary: { faces: 1, matches: 1 },
  matches: [{ externalImageId: 'astronaut.png:abc', faceId: 'f-1', similarity: 96.8 }],
  engineCalls: { SearchFacesByImage: 1 },
  deadLettered: 0,
  ...change,
});

const search: UploadExpectation = {
  effect: 'ALLOW',
  outcome: 'RECOGNIZED',
  matchAtLeast: { externalImageId: 'astronaut.png', similarity: 80 },
};
const denied: UploadExpectation = {
  effect: 'DENY',
  reason: 'MORATORIUM_IN_FORCE',
  outcome: 'QUARANTINED',
  noEngineCall: true,
};
const deniedOutcome = outcome({
  decision: {
    effect: 'DENY',
    reason: 'MORATORIUM_IN_FORCE',
    policyIds: ['moratorium-in-force'],
    decidedAt: '2027-05-01T10:00:00.042Z',
  },
  outcome: 'QUARANTINED',
  summary: undefined,
  matches: [],
  engineCalls: {},
});

describe('meetsExpectation', () => {
  it.each([
    ['a match above the threshold', outcome(), search, true],
    [
      'a match just at the threshold',
      outcome({ matches: [{ externalImageId: 'astronaut.png:abc', similarity: 80 }] }),
      search,
      true,
    ],
    [
      'a match below the threshold',
      outcome({ matches: [{ externalImageId: 'astronaut.png:abc', similarity: 79.9 }] }),
      search,
      false,
    ],
    [
      'a match of someone else',
      outcome({ matches: [{ externalImageId: 'camera.png:abc', similarity: 99 }] }),
      search,
      false,
    ],
    ['a denial that never reached the engine', deniedOutcome, denied, true],
    ['a denial that reached the engine', { ...deniedOutcome, engineCalls: { SearchFacesByImage: 1 } }, denied, false],
    [
      'a denial for another reason',
      {
        ...deniedOutcome,
        decision: {
          effect: 'DENY' as const,
          reason: 'UNKNOWN_PRINCIPAL' as const,
          policyIds: [],
          decidedAt: '2027-05-01T10:00:00.042Z',
        },
      },
      denied,
      false,
    ],
    ['an upload without an outcome', { ...deniedOutcome, outcome: undefined }, denied, false],
    ['an upload that was dead-lettered', { ...deniedOutcome, deadLettered: 1 }, denied, false],
    [
      'no match expected and none found',
      outcome({ matches: [] }),
      { effect: 'ALLOW', outcome: 'RECOGNIZED', noMatch: true } as UploadExpectation,
      true,
    ],
  ])('judges %s', (_name, actual, expected, ok) => {
    expect(meetsExpectation(actual, expected)).toBe(ok);
  });
});

describe('describeUpload', () => {
  it('says decision, outcome, faces, matches and engine calls in one line', () => {
    expect(describeUpload(outcome())).toBe(
      'ALLOW ALLOWED -> RECOGNIZED; 1 face(s); matches: astronaut.png:abc 96.8%; face engine: SearchFacesByImage x1',
    );
    expect(describeUpload(deniedOutcome)).toBe('DENY MORATORIUM_IN_FORCE -> QUARANTINED; face engine not called');
  });
});

describe('castFrom', () => {
  it('picks the indexing NGO, another NGO for detection and the police department from the example', () => {
    const cast = castFrom(parseGovernance(exampleConfigJson()));
    expect([cast.indexer.id, cast.detector.id, cast.police.id]).toEqual(['thorn-like', 'marinus-like', 'metro-police']);
  });

  it('refuses a configuration without a restricted organisation', () => {
    const json = exampleConfigJson() as { organisations: { category: string }[] };
    json.organisations = json.organisations.filter((org) => org.category !== 'police');
    expect(() => castFrom(parseGovernance(json))).toThrow(OfflineConfigError);
  });
});
