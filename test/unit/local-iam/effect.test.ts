import { evaluateAccess } from '../../../local/iam/effect';
import { LocalIamRegistry } from '../../../local/iam/registry';

const POLICE = 'arn:aws:iam::111111111111:role/govrec-police-investigations';
const END = '2028-06-10T00:00:00Z';

describe('evaluateAccess', () => {
  const registry = new LocalIamRegistry('111111111111');
  registry.addRole(POLICE);

  it('allows the baseline before any deny is attached', async () => {
    const result = await evaluateAccess(registry, {
      roleArn: POLICE,
      action: 'rekognition:SearchFacesByImage',
      resource: 'arn:aws:rekognition:eu-west-1:111111111111:collection/police-mugshots',
      at: new Date('2027-07-01T00:00:00Z'),
    });
    expect(result).toBe('Allowed');
  });

  it.each([
    ['2027-07-01T00:00:00.000Z', 'ExplicitlyDenied'],
    ['2028-06-09T23:59:59.000Z', 'ExplicitlyDenied'],
    ['2028-06-10T00:00:01.000Z', 'Allowed'],
  ])('with a self-expiring deny, a request at %s is %s', async (at, expected) => {
    registry.putRolePolicy(
      'govrec-police-investigations',
      'deny',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': END } } },
        ],
      }),
    );
    const result = await evaluateAccess(registry, {
      roleArn: POLICE,
      action: 'rekognition:SearchFacesByImage',
      resource: 'arn:aws:rekognition:eu-west-1:111111111111:collection/police-mugshots',
      at: new Date(at),
    });
    expect(result).toBe(expected);
  });
});
