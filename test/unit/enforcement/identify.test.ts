import { MalformedEnforcementInputError } from '../../../lambda/enforcement/enforcer/errors';
import { identify, resolve } from '../../../lambda/enforcement/enforcer/identify';
import { iamChange, roleSessionCall } from '../../workflow/events';
import { ACCOUNT, deps, END, INSIDE, NGO_ARN, POLICE_ARN } from './fixtures';

describe('identify', () => {
  it('traces a role session to its issuing role and asks to check it inside the window', () => {
    const result = identify(
      roleSessionCall('govrec-police-investigations', { eventTime: '2027-09-01T09:00:00Z', eventId: 'e-1' }),
      deps(),
    );

    expect(result.next).toBe('CHECK');
    expect(result.subject).toEqual({
      roleArn: POLICE_ARN,
      roleName: 'govrec-police-investigations',
      registeredCategory: 'police',
      trigger: {
        source: 'cloudtrail',
        eventName: 'SearchFacesByImage',
        eventId: 'e-1',
        at: '2027-09-01T09:00:00.000Z',
        callSucceeded: true,
      },
    });
    expect(result.record).toEqual(
      expect.objectContaining({ pk: POLICE_ARN, sk: 'EVENT#2027-09-01T09:00:00.000Z#e-1', until: END }),
    );
  });

  it('takes the target role of an IAM change, not the administrator who made it', () => {
    const result = identify(
      iamChange('govrec-police-analysts', { eventTime: INSIDE, eventName: 'DeleteRolePolicy' }),
      deps(),
    );

    expect(result.subject.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/govrec-police-analysts`);
    expect(result.subject.registeredCategory).toBe('police');
  });

  it('keeps the path of a created role', () => {
    const event = iamChange('new-role', { eventTime: INSIDE, eventName: 'CreateRole' });
    (event.detail.requestParameters as Record<string, unknown>).path = '/units/';

    expect(identify(event, deps()).subject.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/units/new-role`);
  });

  it('reads a sweep request', () => {
    const result = identify(
      { source: 'govrec.sweep', roleArn: NGO_ARN, at: INSIDE, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: 'x' },
      deps(),
    );

    expect(result.subject.trigger).toEqual({
      source: 'sweep',
      eventName: 'Sweep',
      eventId: `sweep-${INSIDE}`,
      at: INSIDE,
      callSucceeded: false,
    });
    expect(result.subject.registeredCategory).toBe('ngo');
  });

  it('records NOT_RESTRICTED for a principal that is not a role', () => {
    const event = iamChange('x', { eventTime: INSIDE });
    event.detail.eventSource = 'rekognition.amazonaws.com';

    const result = identify(event, deps());

    expect(result.next).toBe('RECORD');
    expect(result.record).toEqual(
      expect.objectContaining({ pk: `arn:aws:iam::${ACCOUNT}:user/admin`, action: 'NOT_RESTRICTED' }),
    );
  });

  it('records NOT_IN_ACCOUNT for a role of another account', () => {
    const result = identify(
      roleSessionCall('govrec-police-investigations', { eventTime: INSIDE, account: '999999999999' }),
      deps(),
    );

    expect(result.record.action).toBe('NOT_IN_ACCOUNT');
  });

  it.each([
    ['the event is before the start', '2027-06-09T23:59:59.999Z', '2027-06-10T00:00:00.000Z', 'OUTSIDE_WINDOW'],
    ['the event is at the start', '2027-06-10T00:00:00.000Z', '2027-06-10T00:00:00.000Z', 'NOOP'],
    ['the event is just before the end', '2028-06-09T23:59:59.999Z', '2028-06-09T23:59:59.999Z', 'NOOP'],
    ['the event is at the end', END, END, 'OUTSIDE_WINDOW'],
    ['the event is inside but handled after the end', INSIDE, END, 'OUTSIDE_WINDOW'],
  ])('decides %s', (_label, eventTime, now, action) => {
    expect(identify(roleSessionCall('govrec-police-investigations', { eventTime }), deps(now)).record.action).toBe(
      action,
    );
  });

  it.each([
    ['a string', 'hello'],
    ['another detail-type', { 'detail-type': 'Object Created', detail: {} }],
    [
      'a CloudTrail event without eventID',
      { 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'X', eventTime: INSIDE } },
    ],
    [
      'a CloudTrail event with a bad time',
      {
        'detail-type': 'AWS API Call via CloudTrail',
        detail: { eventName: 'X', eventID: '1', eventTime: 'yesterday' },
      },
    ],
    ['a sweep request without roleArn', { source: 'govrec.sweep', at: INSIDE }],
  ])('throws MalformedEnforcementInputError for %s', (_label, input) => {
    expect(() => identify(input, deps())).toThrow(MalformedEnforcementInputError);
  });
});

describe('identify and resolve on IAM events without a path', () => {
  const tagged = iamChange('county-sheriff', { eventTime: INSIDE, eventName: 'PutRolePolicy', eventId: 'e-put' });

  it('asks to read the real ARN of an unregistered role the event names without its path', () => {
    const result = identify(tagged, deps());

    expect(result.next).toBe('RESOLVE');
    expect(result.subject).toEqual(
      expect.objectContaining({ roleName: 'county-sheriff', registeredCategory: 'unregistered' }),
    );
  });

  it('re-identifies the subject with the ARN GetRole returned, path included', () => {
    const first = identify(tagged, deps());
    const realArn = `arn:aws:iam::${ACCOUNT}:role/teams/county-sheriff`;

    const result = resolve({ subject: first.subject, role: { arn: realArn } }, deps());

    expect(result.next).toBe('CHECK');
    expect(result.subject.roleArn).toBe(realArn);
    expect(result.record).toEqual(
      expect.objectContaining({ pk: realArn, roleArn: realArn, sk: 'EVENT#2027-09-01T10:00:00.000Z#e-put' }),
    );
  });

  it('records OUTSIDE_WINDOW when the end passed while the ARN was read', () => {
    const first = identify(tagged, deps());

    expect(
      resolve({ subject: first.subject, role: { arn: `arn:aws:iam::${ACCOUNT}:role/teams/county-sheriff` } }, deps(END))
        .record.action,
    ).toBe('OUTSIDE_WINDOW');
  });

  it.each([
    ['no ARN', undefined],
    ['an ARN of another role', `arn:aws:iam::${ACCOUNT}:role/teams/someone-else`],
    ['not a role ARN', 'arn:aws:iam::111111111111:user/county-sheriff'],
  ])('throws MalformedEnforcementInputError when GetRole gave %s', (_label, arn) => {
    const first = identify(tagged, deps());

    expect(() => resolve({ subject: first.subject, role: { arn } }, deps())).toThrow(MalformedEnforcementInputError);
  });

  it('uses the registered ARN of a registered role without asking IAM', () => {
    const registeredArn = `arn:aws:iam::${ACCOUNT}:role/units/govrec-police-analysts`;
    const base = deps();
    const custom = {
      ...base.settings,
      organisations: base.settings.organisations.map((org) => ({
        ...org,
        roleArns: org.roleArns.map((arn) => (arn.endsWith('/govrec-police-analysts') ? registeredArn : arn)),
      })),
    };

    const result = identify(
      iamChange('govrec-police-analysts', { eventTime: INSIDE, eventName: 'TagRole' }),
      deps(INSIDE, custom),
    );

    expect(result.next).toBe('CHECK');
    expect(result.subject.roleArn).toBe(registeredArn);
  });
});

describe('identify: did the forbidden call succeed', () => {
  const withDetail = (event: ReturnType<typeof roleSessionCall>, extra: Record<string, unknown>) => ({
    ...event,
    detail: { ...event.detail, ...extra },
  });
  const police = (options: { eventSource?: string; eventName?: string }) =>
    roleSessionCall('govrec-police-investigations', { eventTime: INSIDE, ...options });

  it.each([
    ['a Rekognition call without errorCode', police({}), {}, true, undefined],
    [
      'a Rekognition call with AccessDenied',
      police({}),
      { errorCode: 'AccessDenied', errorMessage: 'explicit deny' },
      false,
      'AccessDenied',
    ],
    [
      'an intake PutObject without errorCode',
      police({ eventSource: 's3.amazonaws.com', eventName: 'PutObject' }),
      {},
      true,
      undefined,
    ],
    [
      'an intake CompleteMultipartUpload without errorCode',
      police({ eventSource: 's3.amazonaws.com', eventName: 'CompleteMultipartUpload' }),
      {},
      true,
      undefined,
    ],
    [
      'an intake PutObject with AccessDenied',
      police({ eventSource: 's3.amazonaws.com', eventName: 'PutObject' }),
      { errorCode: 'AccessDenied' },
      false,
      'AccessDenied',
    ],
    ['an S3 GetObject', police({ eventSource: 's3.amazonaws.com', eventName: 'GetObject' }), {}, false, undefined],
  ])('for %s sets callSucceeded and keeps errorCode', (_label, event, extra, succeeded, errorCode) => {
    const trigger = identify(withDetail(event, extra), deps()).subject.trigger;

    expect(trigger.callSucceeded).toBe(succeeded);
    expect(trigger.errorCode).toBe(errorCode);
  });

  it('never flags an IAM change', () => {
    expect(
      identify(iamChange('govrec-police-analysts', { eventTime: INSIDE }), deps()).subject.trigger.callSucceeded,
    ).toBe(false);
  });
});
