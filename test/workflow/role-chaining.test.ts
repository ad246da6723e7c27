/**
 * Role chaining: a police session that assumes another role (an unregistered one, say) inside the
 * window is matched by the synthesized rule, counted as a restricted call that succeeded
 * (alarmed), disabled, and recorded with the chained role, the session it got and its source
 * identity, so the chained session's calls can be traced back to it.
 */
import { exampleSettings, synthEnforcement } from '../helpers/asl';
import { logicalIdOf, synthStack } from '../helpers/cdk-app';
import { matchesEventPattern } from '../helpers/event-pattern';
import { ACCOUNT, roleArn, roleSessionCall } from './events';
import { WorkflowHarness } from './harness';

const synthesized = synthEnforcement();
const INSIDE = '2027-09-01T10:00:00.000Z';
const POLICE = 'govrec-police-investigations';
const HELPER = 'analytics-helper';

/** An AssumeRole by a session of `caller`, as CloudTrail records it (sessionContext, responseElements). */
const assumeRole = (caller: string, options: { errorCode?: string; sourceIdentity?: string } = {}) => {
  const event = roleSessionCall(caller, {
    eventTime: INSIDE,
    eventId: 'evt-chain',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
  });
  return {
    ...event,
    source: 'aws.sts',
    detail: {
      ...event.detail,
      ...(options.errorCode === undefined ? {} : { errorCode: options.errorCode }),
      requestParameters: {
        roleArn: roleArn(HELPER),
        roleSessionName: 'case-4711',
        ...(options.sourceIdentity === undefined ? {} : { sourceIdentity: options.sourceIdentity }),
      },
      responseElements:
        options.errorCode === undefined
          ? {
              assumedRoleUser: {
                assumedRoleId: 'AROAHELPEREXAMPLE:case-4711',
                arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${HELPER}/case-4711`,
              },
              ...(options.sourceIdentity === undefined ? {} : { sourceIdentity: options.sourceIdentity }),
            }
          : null,
    },
  };
};

describe('the role-chaining rule', () => {
  const { stack, template } = synthStack();
  const chaining = template.toJSON().Resources[logicalIdOf(stack.pipeline.enforcer.rules.roleChaining)];
  const pattern = chaining.Properties.EventPattern;

  it('is synthesized with the shared pattern and sees all management events', () => {
    expect(chaining?.Properties?.EventPattern).toEqual({
      source: ['aws.sts'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['sts.amazonaws.com'],
        eventName: ['AssumeRole'],
        userIdentity: { type: ['AssumedRole'] },
      },
    });
    expect(chaining?.Properties?.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  });

  it.each([
    ['a police session assuming a role', assumeRole(POLICE), true],
    ['a refused AssumeRole (still worth recording)', assumeRole(POLICE, { errorCode: 'AccessDenied' }), true],
    [
      'a service assuming a role',
      {
        ...assumeRole(POLICE),
        detail: {
          ...assumeRole(POLICE).detail,
          userIdentity: { type: 'AWSService', invokedBy: 'states.amazonaws.com' },
        },
      },
      false,
    ],
    ['a Rekognition call', roleSessionCall(POLICE, { eventTime: INSIDE }), false],
  ])('%s: matched %s', (_label, event, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });
});

describe('EnforceRole on role chaining', () => {
  const harnessAt = () => {
    const harness = new WorkflowHarness(synthesized, exampleSettings(), INSIDE);
    harness.aws.iam.addRole(POLICE);
    harness.aws.iam.addRole(HELPER);
    return harness;
  };

  it('counts a police session that chained into another role, disables it and records the chain', async () => {
    const harness = harnessAt();
    const result = await harness.enforce(assumeRole(POLICE, { sourceIdentity: 'officer-17' }));

    expect(result.status).toBe('SUCCEEDED');
    expect(harness.aws.metrics.flatMap((put) => put.MetricData.map((datum) => datum.MetricName))).toContain(
      'RestrictedCallSucceeded',
    );
    const record = harness.ledger().find((item) => item.triggerEventId === 'evt-chain');
    expect(record).toMatchObject({ pk: roleArn(POLICE), action: 'DISABLED', triggerEventName: 'AssumeRole' });
    expect(record?.detail).toContain(
      `[role chaining: assumed ${roleArn(HELPER)} as arn:aws:sts::${ACCOUNT}:assumed-role/${HELPER}/case-4711 with source identity officer-17]`,
    );
  });

  it('records a refused chaining attempt without counting it as succeeded', async () => {
    const harness = harnessAt();
    await harness.enforce(assumeRole(POLICE, { errorCode: 'AccessDenied' }));
    expect(harness.aws.metrics.flatMap((put) => put.MetricData.map((datum) => datum.MetricName))).not.toContain(
      'RestrictedCallSucceeded',
    );
    expect(harness.ledger().find((item) => item.triggerEventId === 'evt-chain')?.detail).toContain(
      `role chaining: assumed ${roleArn(HELPER)}`,
    );
  });

  it("records the source identity of a chained session's own call", async () => {
    const harness = harnessAt();
    const call = roleSessionCall(HELPER, { eventTime: INSIDE, eventId: 'evt-helper' });
    const identity = call.detail.userIdentity as { sessionContext: Record<string, unknown> };
    const withSource = {
      ...call,
      detail: {
        ...call.detail,
        userIdentity: { ...identity, sessionContext: { ...identity.sessionContext, sourceIdentity: 'officer-17' } },
      },
    };
    await harness.enforce(withSource);
    const record = harness.ledger().find((item) => item.triggerEventId === 'evt-helper');
    expect(record).toMatchObject({ pk: roleArn(HELPER), action: 'NOT_RESTRICTED' });
    expect(record?.detail).toContain('[caller source identity officer-17]');
  });
});
