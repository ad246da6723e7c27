/**
 * `govrec decide` in-process: principals in every accepted form, the decision on both sides of
 * the window, the determining policies' text, and usage errors.
 */
import { parseGovernance } from '../../../lambda/shared/settings';
import { roleIdFor } from '../../../local/iam/registry';
import { decideOffline, principalIdFor } from '../../../local/offline/decide';
import { OfflineConfigError } from '../../../local/offline/errors';
import { exampleConfigJson } from '../../helpers/cdk-app';

const settings = parseGovernance(exampleConfigJson());
const POLICE = 'arn:aws:iam::111111111111:role/govrec-police-analysts';
const NGO = 'arn:aws:iam::111111111111:role/govrec-ngo-child-rescue-uploader';

describe('principalIdFor', () => {
  it.each([
    ['a role ARN', POLICE, `AWS:${roleIdFor(POLICE)}:govrec-decide`],
    ['a role id', 'AROAEXAMPLE1234567', 'AWS:AROAEXAMPLE1234567:govrec-decide'],
    ['a principal id', 'AWS:AROAEXAMPLE1234567:alice', 'AWS:AROAEXAMPLE1234567:alice'],
  ])('turns %s into an S3-event principal id', (_name, principal, expected) => {
    expect(principalIdFor(principal)).toBe(expected);
  });

  it.each(['alice', 'arn:aws:iam::111111111111:user/alice', ''])(
    'refuses %j with a configuration error',
    (principal) => {
      expect(() => principalIdFor(principal)).toThrow(OfflineConfigError);
    },
  );
});

describe('decideOffline', () => {
  it.each([
    ['inside the window', '2027-07-01T09:00:00Z', 'DENY', 'MORATORIUM_IN_FORCE', ['moratorium-in-force'], 'forbid'],
    ['before the window', '2027-06-09T23:59:59Z', 'ALLOW', 'ALLOWED', ['registered-use'], 'permit'],
    ['at the window end (exclusive)', '2028-06-10T00:00:00Z', 'ALLOW', 'ALLOWED', ['registered-use'], 'permit'],
  ])(
    'answers for a police role %s, with the policy text',
    async (_name, at, effect, reason, policyIds, policyEffect) => {
      const { decision, policies } = await decideOffline(settings, {
        principal: POLICE,
        orgId: 'metro-police',
        operation: 'search',
        at,
      });

      expect([decision.effect, decision.reason, decision.policyIds]).toEqual([effect, reason, policyIds]);
      expect(decision.request.purpose).toBe('criminal-investigation');
      expect(policies.map((p) => [p.id, p.effect])).toEqual([[policyIds[0], policyEffect]]);
      expect(policies[0]!.text).toContain(`@id("${policyIds[0]}")`);
    },
  );

  it('denies an NGO role writing under another organisation', async () => {
    const { decision } = await decideOffline(settings, {
      principal: NGO,
      orgId: 'marinus-like',
      operation: 'search',
      at: '2027-07-01T09:00:00Z',
    });
    expect([decision.effect, decision.reason]).toEqual(['DENY', 'ORG_MISMATCH']);
  });

  it('denies an unknown role id', async () => {
    const { decision } = await decideOffline(settings, {
      principal: 'AROAUNKNOWNUNKNOWN12',
      orgId: 'thorn-like',
      operation: 'search',
      at: '2027-07-01T09:00:00Z',
    });
    expect([decision.effect, decision.reason]).toEqual(['DENY', 'UNKNOWN_PRINCIPAL']);
  });

  it('refuses a time that is not an instant', async () => {
    await expect(
      decideOffline(settings, { principal: POLICE, orgId: 'metro-police', operation: 'search', at: 'soon' }),
    ).rejects.toThrow(OfflineConfigError);
  });
});
