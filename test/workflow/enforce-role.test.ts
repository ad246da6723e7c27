/**
 * The EnforceRole state machine, taken from the synthesized template and executed locally with
 * its SDK tasks bound to an in-memory IAM registry, ledger and topic.
 */
import { DENY_POLICY_NAME, ESCALATION_ACTIONS, REVOKE_POLICY_NAME } from '../../lambda/enforcement/enforcer/documents';
import { exampleSettings, synthEnforcement, validateAsl } from '../helpers/asl';
import { iamChange, roleArn, roleSessionCall, sweepRequest } from './events';
import { WorkflowHarness, withMoratorium } from './harness';

const synthesized = synthEnforcement();
const settings = exampleSettings();
const END = '2028-06-10T00:00:00.000Z';
const INSIDE = '2027-09-01T10:00:00.000Z';
const POLICE = 'govrec-police-investigations';
const NGO = 'govrec-ngo-child-rescue-uploader';

const DENY_ALL = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'GovrecMoratoriumDenyAll',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': END } },
    },
  ],
};
/** The data points the workflow publishes (namespace GovernedRecognition, dimension Category). */
const count = (MetricName: string, Category?: string) => ({
  MetricName,
  Value: 1,
  Unit: 'Count',
  ...(Category === undefined ? {} : { Dimensions: [{ Name: 'Category', Value: Category }] }),
});
const DISABLED_METRIC = { Namespace: 'GovernedRecognition', MetricData: [count('RolesDisabled', 'police')] };
/** A police Rekognition call that CloudTrail shows succeeded inside the window (it came before the deny). */
const SUCCEEDED_METRIC = { Namespace: 'GovernedRecognition', MetricData: [count('RestrictedCallSucceeded', 'police')] };
const revokeBefore = (at: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'GovrecRevokeOlderSessions',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:TokenIssueTime': at } },
    },
  ],
});

const harnessAt = (now: string, custom = settings) => {
  const harness = new WorkflowHarness(synthesized, custom, now);
  harness.aws.iam.addRole(POLICE);
  harness.aws.iam.addRole('govrec-police-analysts');
  harness.aws.iam.addRole(NGO);
  return harness;
};
const policies = (harness: WorkflowHarness, name: string) =>
  Object.fromEntries(
    [...harness.aws.iam.role(name).inlinePolicies].map(([policy, text]) => [policy, JSON.parse(text) as unknown]),
  );
const tags = (harness: WorkflowHarness, name: string) => Object.fromEntries(harness.aws.iam.role(name).tags);

describe('EnforceRole definition', () => {
  it('passes asl-validator with path and ARN checks', () => {
    expect(validateAsl(synthesized.machines.enforceRole.definition)).toEqual({ isValid: true, errors: '' });
  });

  it('uses JSONPath only (no JSONata, no variables)', () => {
    const text = JSON.stringify(synthesized.machines.enforceRole.definition);
    expect(text).not.toMatch(/"QueryLanguage"|"Assign"|\{%/);
  });
});

describe('EnforceRole workflow', () => {
  it('disables a police role on its Rekognition call inside the window with the exact documents and tags', async () => {
    const harness = harnessAt(INSIDE);

    const result = await harness.enforce(
      roleSessionCall(POLICE, { eventTime: '2027-09-01T09:59:00Z', eventId: 'evt-1' }),
    );

    expect(result.status).toBe('SUCCEEDED');
    expect(policies(harness, POLICE)).toEqual({
      [DENY_POLICY_NAME]: DENY_ALL,
      [REVOKE_POLICY_NAME]: revokeBefore(INSIDE),
    });
    expect(tags(harness, POLICE)).toEqual({
      'govrec:moratorium-disabled-until': END,
      'govrec:moratorium-status': 'disabled',
    });
    expect(harness.aws.iam.writes().map((call) => call.action)).toEqual(['putRolePolicy', 'putRolePolicy', 'tagRole']);
    const ledger = harness.ledger();
    expect(ledger).toEqual([
      expect.objectContaining({
        pk: roleArn(POLICE),
        sk: `WINDOW#${END}`,
        status: 'DISABLED',
        category: 'police',
        until: END,
      }),
      expect.objectContaining({
        pk: roleArn(POLICE),
        sk: 'EVENT#2027-09-01T09:59:00.000Z#evt-1',
        action: 'DISABLED',
        category: 'police',
        triggerEventName: 'SearchFacesByImage',
        triggerEventId: 'evt-1',
        start: '2027-06-10T00:00:00.000Z',
        until: END,
        execution: result.executionArn,
        recordedAt: INSIDE,
      }),
    ]);
    expect(harness.aws.published).toHaveLength(1);
    expect(harness.aws.published[0]!.Subject).toBe('Role disabled for the moratorium');
    expect(result.statesEntered).toEqual([
      'Identify role',
      'Role of this account in the window?',
      'Read role tags',
      'Read window record',
      'Check restriction',
      'Restricted call succeeded?',
      'Count restricted call succeeded',
      'Restricted role?',
      'Read deny policy',
      'Deny policy absent',
      'Read revoke policy',
      'Revoke policy absent',
      'Compare with expected state',
      'Already disabled as expected?',
      'Put deny policy',
      'Revoke older sessions',
      'Tag role with window',
      'Tampered?',
      'Mark window disabled',
      'Count role disabled',
      'Notify role disabled',
      'Record enforcement',
    ]);
    expect(harness.aws.metrics).toEqual([SUCCEEDED_METRIC, DISABLED_METRIC]);
  });

  it('still notifies and records the disable when the metric cannot be published', async () => {
    const harness = harnessAt(INSIDE);
    const serve = harness.aws.service;
    harness.aws.service = (service, action, parameters) => {
      if (service === 'cloudwatch')
        throw Object.assign(new Error('Rate exceeded'), { name: 'CloudWatch.LimitExceededException' });
      return serve(service, action, parameters);
    };

    const result = await harness.enforce(roleSessionCall(POLICE, { eventTime: INSIDE, eventId: 'evt-1' }));

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered.slice(-3)).toEqual([
      'Count role disabled',
      'Notify role disabled',
      'Record enforcement',
    ]);
    expect(harness.ledger().at(-1)).toEqual(expect.objectContaining({ action: 'DISABLED' }));
  });

  it('disables an unregistered role that carries the restricted tag', async () => {
    const harness = harnessAt(INSIDE);
    harness.aws.iam.addRole('county-sheriff-analytics', { 'govrec:category': 'police' });

    await harness.enforce(roleSessionCall('county-sheriff-analytics', { eventTime: INSIDE }));

    expect(policies(harness, 'county-sheriff-analytics')).toEqual({
      [DENY_POLICY_NAME]: DENY_ALL,
      [REVOKE_POLICY_NAME]: revokeBefore(INSIDE),
    });
    expect(harness.ledger().at(-1)).toEqual(expect.objectContaining({ action: 'DISABLED', category: 'police' }));
  });

  it('disables the target role of an IAM change made by someone else', async () => {
    const harness = harnessAt(INSIDE);

    await harness.enforce(iamChange(POLICE, { eventTime: INSIDE, eventName: 'UntagRole', eventId: 'evt-iam' }));

    expect(policies(harness, POLICE)[DENY_POLICY_NAME]).toEqual(DENY_ALL);
    expect(harness.ledger().at(-1)).toEqual(
      expect.objectContaining({ pk: roleArn(POLICE), action: 'DISABLED', triggerEventName: 'UntagRole' }),
    );
  });

  it('leaves an NGO role unchanged and records NOT_RESTRICTED', async () => {
    const harness = harnessAt(INSIDE);

    const result = await harness.enforce(roleSessionCall(NGO, { eventTime: INSIDE }));

    expect(result.status).toBe('SUCCEEDED');
    expect(harness.aws.iam.writes()).toEqual([]);
    expect(harness.aws.iam.calls.map((call) => call.action)).toEqual(['listRoleTags']);
    expect(harness.ledger()).toEqual([
      expect.objectContaining({ pk: roleArn(NGO), action: 'NOT_RESTRICTED', category: 'ngo' }),
    ]);
    expect(harness.aws.published).toEqual([]);
  });

  it.each([
    ['after the end', '2028-06-10T00:00:00.000Z', '2028-06-10T00:00:00.000Z'],
    ['before the start', '2027-06-09T23:59:59.999Z', '2027-06-09T23:59:59.999Z'],
    ['delivered after the end for an event inside', '2027-09-01T10:00:00.000Z', '2028-06-10T00:00:01.000Z'],
  ])('makes no IAM call for a police event %s and records OUTSIDE_WINDOW', async (_label, eventTime, now) => {
    const harness = harnessAt(now);

    await harness.enforce(roleSessionCall(POLICE, { eventTime }));

    expect(harness.aws.iam.calls).toEqual([]);
    expect(harness.ledger()).toEqual([expect.objectContaining({ action: 'OUTSIDE_WINDOW', category: 'police' })]);
  });

  it('records ROLE_NOT_FOUND for a role deleted since the event, without failing', async () => {
    const harness = harnessAt(INSIDE);

    const result = await harness.enforce(roleSessionCall('deleted-police-role', { eventTime: INSIDE }));

    expect(result.status).toBe('SUCCEEDED');
    expect(harness.aws.iam.writes()).toEqual([]);
    expect(harness.ledger()).toEqual([
      expect.objectContaining({ pk: roleArn('deleted-police-role'), action: 'ROLE_NOT_FOUND' }),
    ]);
  });

  it('records NOT_IN_ACCOUNT for a role of another account and changes nothing', async () => {
    const harness = harnessAt(INSIDE);

    await harness.enforce(roleSessionCall(POLICE, { eventTime: INSIDE, account: '222222222222' }));

    expect(harness.aws.iam.calls).toEqual([]);
    expect(harness.ledger()).toEqual([
      expect.objectContaining({ pk: roleArn(POLICE, '222222222222'), action: 'NOT_IN_ACCOUNT' }),
    ]);
  });

  it('is idempotent: a second event for a disabled role writes nothing to IAM and records NOOP', async () => {
    const harness = harnessAt(INSIDE);
    await harness.enforce(roleSessionCall(POLICE, { eventTime: INSIDE, eventId: 'evt-1' }));
    const before = policies(harness, POLICE);
    harness.clock.set('2027-09-01T11:00:00.000Z');

    const second = await harness.enforce(
      roleSessionCall(POLICE, { eventTime: '2027-09-01T10:30:00Z', eventId: 'evt-2' }),
    );

    expect(second.status).toBe('SUCCEEDED');
    expect(harness.aws.iam.writes()).toHaveLength(3);
    expect(policies(harness, POLICE)).toEqual(before);
    expect(harness.ledger().map((item) => item.action)).toEqual([undefined, 'DISABLED', 'NOOP']);
    expect(harness.aws.published).toHaveLength(1);
  });

  it('records a redelivered event once (conditional put)', async () => {
    const harness = harnessAt(INSIDE);
    const event = roleSessionCall(POLICE, { eventTime: INSIDE, eventId: 'evt-1' });
    await harness.enforce(event);

    const again = await harness.enforce(event);

    expect(again.status).toBe('SUCCEEDED');
    expect(again.statesEntered.at(-1)).toBe('Event already recorded');
    expect(harness.ledger().filter((item) => item.sk.startsWith('EVENT#'))).toHaveLength(1);
  });

  it.each([
    [
      'deny policy is deleted',
      (h: WorkflowHarness) => h.aws.iam.role(POLICE).inlinePolicies.delete(DENY_POLICY_NAME),
      'deny policy missing',
    ],
    [
      'deny policy is altered',
      (h: WorkflowHarness) =>
        h.aws.iam
          .role(POLICE)
          .inlinePolicies.set(
            DENY_POLICY_NAME,
            JSON.stringify({ ...DENY_ALL, Statement: [{ ...DENY_ALL.Statement[0], Action: 's3:ListBucket' }] }),
          ),
      'deny policy altered',
    ],
    [
      'status tag is removed',
      (h: WorkflowHarness) => h.aws.iam.role(POLICE).tags.delete('govrec:moratorium-status'),
      'tag govrec:moratorium-status is missing',
    ],
    [
      'revoke policy is deleted',
      (h: WorkflowHarness) => h.aws.iam.role(POLICE).inlinePolicies.delete(REVOKE_POLICY_NAME),
      'revoke-sessions policy missing',
    ],
  ])('re-applies and alarms when the %s during the window', async (_label, tamper, reason) => {
    const harness = harnessAt(INSIDE);
    await harness.enforce(roleSessionCall(POLICE, { eventTime: INSIDE, eventId: 'evt-1' }));
    tamper(harness);
    harness.clock.set('2027-10-01T00:00:00.000Z');

    const result = await harness.enforce(
      iamChange(POLICE, { eventTime: '2027-09-30T23:59:00Z', eventId: 'evt-tamper' }),
    );

    expect(result.status).toBe('SUCCEEDED');
    expect(policies(harness, POLICE)).toEqual({
      [DENY_POLICY_NAME]: DENY_ALL,
      [REVOKE_POLICY_NAME]: revokeBefore('2027-10-01T00:00:00.000Z'),
    });
    expect(tags(harness, POLICE)).toEqual({
      'govrec:moratorium-disabled-until': END,
      'govrec:moratorium-status': 'disabled',
    });
    expect(harness.aws.metrics).toEqual([
      SUCCEEDED_METRIC,
      DISABLED_METRIC,
      {
        Namespace: 'GovernedRecognition',
        MetricData: [count('EnforcementTamper'), count('EnforcementReapplied', 'police')],
      },
    ]);
    expect(harness.aws.published.at(-1)!.Subject).toBe('TAMPER: moratorium deny re-applied');
    expect(harness.aws.published.at(-1)!.Message).toContain(reason);
    expect(harness.ledger().at(-1)).toEqual(
      expect.objectContaining({ action: 'REAPPLIED', detail: expect.stringContaining(reason) }),
    );
  });

  it('alarms without writing when the restricted tag is removed from a disabled unregistered role', async () => {
    const harness = harnessAt(INSIDE);
    harness.aws.iam.addRole('county-sheriff', { 'govrec:category': 'police' });
    await harness.enforce(roleSessionCall('county-sheriff', { eventTime: INSIDE, eventId: 'evt-1' }));
    harness.aws.iam.role('county-sheriff').tags.delete('govrec:category');
    const writes = harness.aws.iam.writes().length;

    const result = await harness.enforce(
      iamChange('county-sheriff', { eventTime: INSIDE, eventName: 'UntagRole', eventId: 'evt-untag' }),
    );

    expect(result.status).toBe('SUCCEEDED');
    expect(harness.aws.iam.writes()).toHaveLength(writes);
    // Counted as tamper, not as re-applied: the enforcer may no longer write to the role.
    expect(harness.aws.metrics.at(-1)).toEqual({
      Namespace: 'GovernedRecognition',
      MetricData: [count('EnforcementTamper')],
    });
    expect(harness.aws.metrics).toEqual([
      SUCCEEDED_METRIC,
      DISABLED_METRIC,
      { Namespace: 'GovernedRecognition', MetricData: [count('EnforcementTamper')] },
    ]);
    expect(harness.aws.published.at(-1)!.Subject).toBe('TAMPER: restricted tag removed from a disabled role');
    expect(harness.ledger().at(-1)).toEqual(
      expect.objectContaining({ action: 'TAMPER_UNREMEDIED', triggerEventName: 'UntagRole' }),
    );
  });

  it('writes the scoped deny (recognition, intake uploads, IAM on itself) under recognition-and-intake', async () => {
    const harness = harnessAt(INSIDE, withMoratorium(settings, { enforcementScope: 'recognition-and-intake' }));

    await harness.enforce(sweepRequest(POLICE, INSIDE));

    const condition = { DateLessThan: { 'aws:CurrentTime': END } };
    expect(policies(harness, POLICE)[DENY_POLICY_NAME]).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'GovrecMoratoriumDenyRecognition',
          Effect: 'Deny',
          Action: 'rekognition:*',
          Resource: '*',
          Condition: condition,
        },
        {
          Sid: 'GovrecMoratoriumDenyIntake',
          Effect: 'Deny',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::govrec-intake/*',
          Condition: condition,
        },
        {
          Sid: 'GovrecMoratoriumDenySelfEdit',
          Effect: 'Deny',
          Action: 'iam:*',
          Resource: roleArn(POLICE),
          Condition: condition,
        },
        {
          Sid: 'GovrecMoratoriumDenyEscalation',
          Effect: 'Deny',
          Action: [...ESCALATION_ACTIONS],
          Resource: '*',
          Condition: condition,
        },
      ],
    });
  });

  it('writes nothing when the end passes between identify and compare (the enforcer clock is re-read)', async () => {
    const harness = harnessAt('2028-06-09T23:59:00.000Z');
    // The Lambda reads the clock at each step: identify a minute before the end, compare at it.
    const bindings = harness.bindings as { lambda: (arn: string, payload: never) => unknown };
    const serve = bindings.lambda;
    bindings.lambda = (arn, payload) => {
      if ((payload as { action?: string }).action === 'compare') harness.clock.set(END);
      return serve(arn, payload);
    };

    const result = await harness.enforce(
      roleSessionCall(POLICE, { eventTime: '2028-06-09T23:58:58Z', eventId: 'evt-late' }),
    );

    expect(result.status).toBe('SUCCEEDED');
    expect(harness.aws.iam.writes()).toEqual([]);
    expect(harness.aws.published).toEqual([]);
    expect(harness.ledger()).toEqual([
      expect.objectContaining({ action: 'OUTSIDE_WINDOW', triggerEventId: 'evt-late', recordedAt: END }),
    ]);
    expect(result.statesEntered).toContain('Compare with expected state');
  });

  it('disables a role identified and compared a minute before the end', async () => {
    const harness = harnessAt('2028-06-09T23:59:00.000Z');

    await harness.enforce(roleSessionCall(POLICE, { eventTime: '2028-06-09T23:58:58Z', eventId: 'evt-late' }));

    expect(harness.ledger().at(-1)).toEqual(expect.objectContaining({ action: 'DISABLED' }));
  });

  it('fails closed on malformed input: reports to the topic and ends failed, with no IAM call', async () => {
    const harness = harnessAt(INSIDE);

    const result = await harness.enforce({ 'detail-type': 'Something else', detail: {} });

    expect(result.status).toBe('FAILED');
    expect(result.error?.name).toBe('EnforcementFailed');
    expect(harness.aws.iam.calls).toEqual([]);
    expect(harness.aws.published.map((message) => message.Subject)).toEqual(['Moratorium enforcement FAILED']);
    expect(harness.aws.published[0]!.Message).toContain('MalformedEnforcementInputError');
  });
});
