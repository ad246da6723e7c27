import { parseGovernance } from '../../../lambda/shared/settings';
import { guardrailDecisions } from '../../../local/offline/guardrails';

const settings = (afterWindow: 'normal-rules' | 'deny' = 'normal-rules') =>
  parseGovernance({
    moratorium: { start: '2027-06-10T00:00:00Z', end: '2028-06-10T00:00:00Z', afterWindow },
    organisations: [
      {
        id: 'metro-police',
        displayName: 'Police',
        category: 'police',
        accounts: ['222222222222'],
        purposes: ['criminal-investigation'],
        operations: ['detect'],
      },
    ],
  });
const BEFORE = '2027-06-01T00:00:00Z';
const INSIDE = '2027-12-01T00:00:00Z';
const AFTER = '2028-07-01T00:00:00Z';
const results = async (afterWindow?: 'normal-rules' | 'deny') =>
  (await guardrailDecisions(settings(afterWindow), '111111111111', [BEFORE, INSIDE, AFTER])).map(
    (decision) => `${decision.at} ${decision.action} ${decision.region} ${decision.result}`,
  );

describe('guardrailDecisions (offline)', () => {
  it('shows a police account refused Rekognition in every region and the intake bucket inside the window, allowed before and after', async () => {
    expect(await results()).toEqual(
      [BEFORE, INSIDE, AFTER].flatMap((at) => {
        const result = at === INSIDE ? 'ExplicitlyDenied' : 'Allowed';
        return [
          `${at} rekognition:DetectFaces us-east-1 ${result}`,
          `${at} rekognition:SearchFacesByImage eu-west-1 ${result}`,
          `${at} rekognition:IndexFaces ap-southeast-2 ${result}`,
          `${at} s3:PutObject us-east-1 ${result}`,
        ];
      }),
    );
  });

  it('keeps refusing after the end under afterWindow "deny"', async () => {
    expect(
      (await results('deny'))
        .filter((line) => line.startsWith(AFTER))
        .every((line) => line.endsWith('ExplicitlyDenied')),
    ).toBe(true);
  });
});
