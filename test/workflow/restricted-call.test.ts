/**
 * RestrictedCallSucceeded: EnforceRole counts a restricted role's Rekognition call or intake
 * upload that CloudTrail shows succeeded inside the window (namespace GovernedRecognition,
 * dimension Category), and only that.
 */
import { exampleSettings, synthEnforcement } from '../helpers/asl';
import { roleSessionCall } from './events';
import { WorkflowHarness } from './harness';

const synthesized = synthEnforcement();
const settings = exampleSettings();
const INSIDE = '2027-09-01T10:00:00.000Z';
const POLICE = 'govrec-police-investigations';
const NGO = 'govrec-ngo-child-rescue-uploader';
const SUCCEEDED = {
  Namespace: 'GovernedRecognition',
  MetricData: [
    {
      MetricName: 'RestrictedCallSucceeded',
      Value: 1,
      Unit: 'Count',
      Dimensions: [{ Name: 'Category', Value: 'police' }],
    },
  ],
};

const harnessAt = (now: string) => {
  const harness = new WorkflowHarness(synthesized, settings, now);
  for (const name of [POLICE, NGO]) harness.aws.iam.addRole(name);
  return harness;
};
const call = (
  role: string,
  options: { eventSource?: string; eventName?: string; errorCode?: string; eventTime?: string } = {},
) => {
  const event = roleSessionCall(role, { eventTime: options.eventTime ?? INSIDE, eventId: 'evt-call', ...options });
  return options.errorCode === undefined
    ? event
    : { ...event, detail: { ...event.detail, errorCode: options.errorCode } };
};
const succeededPuts = (harness: WorkflowHarness) =>
  harness.aws.metrics.filter((put) => put.MetricData.some((datum) => datum.MetricName === 'RestrictedCallSucceeded'));

describe('EnforceRole: restricted call succeeded', () => {
  it.each([
    ['a Rekognition SearchFacesByImage', {}],
    ['an intake PutObject', { eventSource: 's3.amazonaws.com', eventName: 'PutObject' }],
  ])('counts %s by a police role that succeeded inside the window, then disables the role', async (_label, options) => {
    const harness = harnessAt(INSIDE);

    const result = await harness.enforce(call(POLICE, options));

    expect(result.status).toBe('SUCCEEDED');
    expect(succeededPuts(harness)).toEqual([SUCCEEDED]);
    expect(harness.ledger().at(-1)).toEqual(expect.objectContaining({ action: 'DISABLED' }));
  });

  it('counts a succeeded call by a role already disabled (the deny did not hold), with a NOOP record', async () => {
    const harness = harnessAt(INSIDE);
    await harness.enforce(call(POLICE, { errorCode: 'AccessDenied' }));

    await harness.enforce({ ...call(POLICE), detail: { ...call(POLICE).detail, eventID: 'evt-second' } });

    expect(succeededPuts(harness)).toEqual([SUCCEEDED]);
    expect(harness.ledger().at(-1)).toEqual(expect.objectContaining({ action: 'NOOP', triggerEventId: 'evt-second' }));
  });

  it.each([
    ['a police call denied (AccessDenied)', POLICE, { errorCode: 'AccessDenied' }, INSIDE],
    ['an NGO call that succeeded', NGO, {}, INSIDE],
    [
      'a police call that succeeded after the end',
      POLICE,
      { eventTime: '2028-06-10T00:00:01Z' },
      '2028-06-10T00:00:02.000Z',
    ],
  ])('does not count %s', async (_label, role, options, now) => {
    const harness = harnessAt(now);

    const result = await harness.enforce(call(role, options));

    expect(result.status).toBe('SUCCEEDED');
    expect(succeededPuts(harness)).toEqual([]);
  });

  it('still disables the role when the data point cannot be published', async () => {
    const harness = harnessAt(INSIDE);
    const serve = harness.aws.service;
    harness.aws.service = (service, action, parameters) => {
      if (service === 'cloudwatch')
        throw Object.assign(new Error('Rate exceeded'), { name: 'CloudWatch.LimitExceededException' });
      return serve(service, action, parameters);
    };

    const result = await harness.enforce(call(POLICE));

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toContain('Count restricted call succeeded');
    expect(harness.ledger().at(-1)).toEqual(expect.objectContaining({ action: 'DISABLED' }));
  });
});
