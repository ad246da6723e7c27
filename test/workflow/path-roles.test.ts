/**
 * Roles with an IAM path: most IAM events name the role without its path, so EnforceRole reads
 * the real ARN (GetRole) before it keys the ledger, compares or writes a deny naming the role.
 */
import { DENY_POLICY_NAME } from '../../lambda/enforcement/enforcer/documents';
import { parseGovernance } from '../../lambda/shared/settings';
import { exampleSettings, synthEnforcement } from '../helpers/asl';
import { ACCOUNT, iamChange, roleSessionCall } from './events';
import { WorkflowHarness, withMoratorium } from './harness';

const synthesized = synthEnforcement();
const settings = exampleSettings();
const INSIDE = '2027-09-01T10:00:00.000Z';
const SHERIFF = 'county-sheriff';
const SHERIFF_ARN = `arn:aws:iam::${ACCOUNT}:role/teams/field/${SHERIFF}`;

/** A Rekognition call by a session of a role whose issuer ARN carries the path (as CloudTrail writes it). */
const sessionCallOf = (name: string, arn: string, eventId: string) => {
  const event = roleSessionCall(name, { eventTime: INSIDE, eventId });
  (
    event.detail.userIdentity as { sessionContext: { sessionIssuer: { arn: string } } }
  ).sessionContext.sessionIssuer.arn = arn;
  return event;
};

const tamperedHarness = async (custom = settings) => {
  const harness = new WorkflowHarness(synthesized, custom, INSIDE);
  harness.addRoleWithPath(SHERIFF, '/teams/field/', { 'govrec:category': 'police' });
  await harness.enforce(sessionCallOf(SHERIFF, SHERIFF_ARN, 'evt-call'));
  harness.aws.iam.role(SHERIFF).inlinePolicies.delete(DENY_POLICY_NAME);
  return harness;
};

describe('EnforceRole on a role with a path', () => {
  it('re-applies the deny after an IAM event that names the role without its path, keyed on the real ARN', async () => {
    const harness = await tamperedHarness();

    const result = await harness.enforce(
      iamChange(SHERIFF, { eventTime: INSIDE, eventName: 'DeleteRolePolicy', eventId: 'evt-tamper' }),
    );

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered.slice(0, 5)).toEqual([
      'Identify role',
      'Role of this account in the window?',
      'Read role ARN',
      'Use resolved role ARN',
      'Resolved role in the window?',
    ]);
    expect(harness.aws.iam.role(SHERIFF).inlinePolicies.has(DENY_POLICY_NAME)).toBe(true);
    expect(harness.ledger().map((item) => [item.pk, item.sk, item.action ?? item.status])).toEqual([
      [SHERIFF_ARN, 'WINDOW#2028-06-10T00:00:00.000Z', 'DISABLED'],
      [SHERIFF_ARN, 'EVENT#2027-09-01T10:00:00.000Z#evt-call', 'DISABLED'],
      [SHERIFF_ARN, 'EVENT#2027-09-01T10:00:00.000Z#evt-tamper', 'REAPPLIED'],
    ]);
    expect(harness.aws.published.at(-1)!.Subject).toBe('TAMPER: moratorium deny re-applied');
  });

  it('names the real ARN in the self-edit deny under recognition-and-intake', async () => {
    const harness = await tamperedHarness(withMoratorium(settings, { enforcementScope: 'recognition-and-intake' }));

    await harness.enforce(iamChange(SHERIFF, { eventTime: INSIDE, eventName: 'PutRolePolicy', eventId: 'evt-tamper' }));

    const deny = JSON.parse(harness.aws.iam.role(SHERIFF).inlinePolicies.get(DENY_POLICY_NAME)!) as {
      Statement: { Sid: string; Resource: unknown }[];
    };
    expect(deny.Statement.find((statement) => statement.Sid === 'GovrecMoratoriumDenySelfEdit')!.Resource).toBe(
      SHERIFF_ARN,
    );
    expect(harness.ledger().at(-1)).toEqual(expect.objectContaining({ pk: SHERIFF_ARN, action: 'REAPPLIED' }));
  });

  it('records ROLE_NOT_FOUND when the role named by the IAM event no longer exists', async () => {
    const harness = new WorkflowHarness(synthesized, settings, INSIDE);

    const result = await harness.enforce(
      iamChange('deleted-role', { eventTime: INSIDE, eventName: 'DeleteRole', eventId: 'evt-gone' }),
    );

    expect(result.status).toBe('SUCCEEDED');
    expect(harness.ledger()).toEqual([
      expect.objectContaining({ pk: `arn:aws:iam::${ACCOUNT}:role/deleted-role`, action: 'ROLE_NOT_FOUND' }),
    ]);
  });

  it("takes a registered role's ARN, path included, from the settings without reading IAM", async () => {
    const registeredArn = `arn:aws:iam::${ACCOUNT}:role/units/govrec-police-investigations`;
    const custom = parseGovernance({
      moratorium: settings.moratorium,
      organisations: settings.organisations.map((org) => ({
        ...org,
        roleArns: org.roleArns.map((arn) => (arn.endsWith('/govrec-police-investigations') ? registeredArn : arn)),
      })),
    });
    const harness = new WorkflowHarness(synthesized, custom, INSIDE);
    harness.addRoleWithPath('govrec-police-investigations', '/units/');

    const result = await harness.enforce(
      iamChange('govrec-police-investigations', { eventTime: INSIDE, eventName: 'TagRole', eventId: 'evt-tag' }),
    );

    expect(result.statesEntered).not.toContain('Read role ARN');
    expect(harness.ledger().map((item) => item.pk)).toEqual([registeredArn, registeredArn]);
    expect(harness.ledger().at(-1)).toEqual(expect.objectContaining({ action: 'DISABLED', category: 'police' }));
  });
});
