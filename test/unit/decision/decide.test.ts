import 'aws-sdk-client-mock-jest';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { unavailableEngine } from '../../../lambda/decision/cedar-engine';
import { decide } from '../../../lambda/decision/decide';
import { PolicyEvaluationError } from '../../../lambda/decision/errors';
import { decisionIdFor } from '../../../lambda/shared/audit';
import {
  DECIDED_AT,
  depsAt,
  depsFor,
  engine,
  exampleSettings,
  mockIam,
  ngoRequest,
  policeRequest,
  principalOf,
  ROLE_IDS,
  roleArn,
  settingsWith,
  shift,
} from './fixtures';

const START = '2027-06-10T00:00:00.000Z';
const END = '2028-06-10T00:00:00.000Z';

beforeEach(() => {
  mockIam();
});

describe('decide: the moratorium for a registered police role', () => {
  it('resolves the example window to one calendar year', () => {
    expect(exampleSettings.moratorium).toMatchObject({ start: START, end: END, afterWindow: 'normal-rules' });
  });

  it.each([
    ['start - 1 ms', shift(START, -1), 'ALLOW', 'ALLOWED', ['registered-use'], false],
    ['exactly start', START, 'DENY', 'MORATORIUM_IN_FORCE', ['moratorium-in-force'], true],
    ['end - 1 ms', shift(END, -1), 'DENY', 'MORATORIUM_IN_FORCE', ['moratorium-in-force'], true],
    ['exactly end (normal rules after the window)', END, 'ALLOW', 'ALLOWED', ['registered-use'], false],
  ])('uploaded and decided at %s (%s): %s %s', async (_when, at, effect, reason, policyIds, inForce) => {
    const decision = await decide(policeRequest(at), depsAt(at));
    expect(decision).toMatchObject({ effect, reason, policyIds, moratorium: { start: START, end: END, inForce } });
  });

  it.each([
    ['start - 1 ms', shift(START, -1), 'ALLOW', 'ALLOWED', ['registered-use']],
    ['exactly start', START, 'DENY', 'MORATORIUM_IN_FORCE', ['moratorium-in-force']],
    ['end - 1 ms', shift(END, -1), 'DENY', 'MORATORIUM_IN_FORCE', ['moratorium-in-force']],
    ['exactly end', END, 'DENY', 'RESTRICTED_AFTER_MORATORIUM', ['restricted-after-moratorium']],
    [
      'a year after end',
      shift(END, 366 * 86_400_000),
      'DENY',
      'RESTRICTED_AFTER_MORATORIUM',
      ['restricted-after-moratorium'],
    ],
  ])(
    'with afterWindow "deny", uploaded and decided at %s (%s): %s %s',
    async (_when, at, effect, reason, policyIds) => {
      const decision = await decide(policeRequest(at), depsAt(at, settingsWith({ afterWindow: 'deny' })));
      expect(decision).toMatchObject({ effect, reason, policyIds });
    },
  );

  describe('with a leap-day start', () => {
    const LEAP_START = '2028-02-29T12:00:00.000Z';
    const LEAP_END = '2029-03-01T12:00:00.000Z';
    const leapSettings = settingsWith({ start: '2028-02-29T12:00:00Z' });

    it('ends on 1 March of the next year, so the window is never shorter than a year', () => {
      expect(leapSettings.moratorium).toMatchObject({ start: LEAP_START, end: LEAP_END });
    });

    it.each([
      [shift(LEAP_START, -1), 'ALLOW', 'ALLOWED'],
      [LEAP_START, 'DENY', 'MORATORIUM_IN_FORCE'],
      ['2029-02-28T12:00:00.000Z', 'DENY', 'MORATORIUM_IN_FORCE'],
      [shift(LEAP_END, -1), 'DENY', 'MORATORIUM_IN_FORCE'],
      [LEAP_END, 'ALLOW', 'ALLOWED'],
    ])('uploaded and decided at %s: %s %s', async (at, effect, reason) => {
      expect(await decide(policeRequest(at), depsAt(at, leapSettings))).toMatchObject({ effect, reason });
    });
  });

  describe('decided later than uploaded (a queue delay)', () => {
    const HOUR = 3_600_000;

    it('denies an upload made 1 ms before the start and decided 1 h into the window', async () => {
      const at = shift(START, -1);
      const decision = await decide(policeRequest(at), depsAt(shift(START, HOUR)));
      expect(decision).toMatchObject({
        effect: 'DENY',
        reason: 'MORATORIUM_IN_FORCE',
        policyIds: ['moratorium-in-force'],
        request: { at },
        moratorium: { start: START, end: END, inForce: true },
        decidedAt: shift(START, HOUR),
      });
    });

    // The upload was made while the moratorium was in force: that request stays refused, even when
    // a backlog gets it decided after the end. Otherwise a restricted caller could upload during the
    // window and have it processed once the window is over.
    it.each([
      ['normal-rules', ['moratorium-in-force']],
      ['deny', ['moratorium-in-force', 'restricted-after-moratorium']],
    ] as const)(
      'with afterWindow "%s", denies an upload made 1 ms before the end and decided 1 h after it',
      async (afterWindow, policyIds) => {
        const at = shift(END, -1);
        const decision = await decide(policeRequest(at), depsAt(shift(END, HOUR), settingsWith({ afterWindow })));
        expect(decision).toMatchObject({
          effect: 'DENY',
          reason: 'MORATORIUM_IN_FORCE',
          request: { at },
          moratorium: { inForce: true },
          decidedAt: shift(END, HOUR),
        });
        expect([...decision.policyIds].sort()).toEqual(policyIds);
      },
    );

    it('allows an upload made and decided before the window, with the window not in force', async () => {
      const decision = await decide(policeRequest(shift(START, -HOUR)), depsAt(shift(START, -1)));
      expect(decision).toMatchObject({ effect: 'ALLOW', reason: 'ALLOWED', moratorium: { inForce: false } });
    });

    it.each([
      ['1 ms before the start, decided 1 h into the window', shift(START, -1), shift(START, HOUR)],
      ['1 ms before the end, decided 1 h after it', shift(END, -1), shift(END, HOUR)],
    ])('leaves NGO roles unaffected: uploaded %s', async (_when, at, decidedAt) => {
      for (const afterWindow of ['normal-rules', 'deny'] as const) {
        const decision = await decide(ngoRequest(at), depsAt(decidedAt, settingsWith({ afterWindow })));
        expect(decision).toMatchObject({
          effect: 'ALLOW',
          reason: 'ALLOWED',
          policyIds: ['registered-use'],
          moratorium: { inForce: true },
        });
      }
    });
  });

  it('gives the moratorium reason first when the upload is also under another organisation', async () => {
    const decision = await decide(policeRequest(START, { orgId: 'thorn-like' }), depsFor());
    expect(decision.reason).toBe('MORATORIUM_IN_FORCE');
    expect([...decision.policyIds].sort()).toEqual(['moratorium-in-force', 'organisation-mismatch']);
  });
});

describe('decide: NGO roles', () => {
  it.each([shift(START, -1), START, shift(END, -1), END, '2040-01-01T00:00:00.000Z'])(
    'allows the registered operation and purpose at %s',
    async (at) => {
      expect(await decide(ngoRequest(at), depsFor())).toMatchObject({
        effect: 'ALLOW',
        reason: 'ALLOWED',
        policyIds: ['registered-use'],
      });
    },
  );

  it.each([
    [
      'an operation it is not registered for',
      {
        principalId: principalOf('govrec-ngo-anti-trafficking-uploader'),
        orgId: 'marinus-like',
        operation: 'index' as const,
        purpose: 'anti-trafficking',
      },
      'OPERATION_NOT_REGISTERED',
      ['operation-not-registered'],
    ],
    [
      'a purpose it is not registered for',
      { purpose: 'criminal-investigation' },
      'PURPOSE_NOT_REGISTERED',
      ['purpose-not-registered'],
    ],
    ['an upload under another organisation', { orgId: 'metro-police' }, 'ORG_MISMATCH', ['organisation-mismatch']],
  ])('denies %s', async (_name, overrides, reason, policyIds) => {
    expect(await decide(ngoRequest(START, overrides), depsFor())).toMatchObject({ effect: 'DENY', reason, policyIds });
  });

  it('treats a registered NGO role that carries the police tag as restricted', async () => {
    mockIam({ 'govrec-ngo-child-rescue-uploader': [{ Key: 'govrec:category', Value: 'police' }] });
    const deps = depsFor();
    expect(await decide(ngoRequest(shift(START, -1)), deps)).toMatchObject({ effect: 'ALLOW', reason: 'ALLOWED' });
    expect(await decide(ngoRequest(START), deps)).toMatchObject({
      effect: 'DENY',
      reason: 'MORATORIUM_IN_FORCE',
      policyIds: ['moratorium-in-force'],
      caller: { category: 'ngo', restricted: true, orgId: 'thorn-like' },
    });
    expect(await decide(ngoRequest(END), deps)).toMatchObject({ effect: 'ALLOW', reason: 'ALLOWED' });
  });
});

describe('decide: callers and failures', () => {
  it.each([
    ['an IAM user', 'AWS:AIDAEXAMPLEUSER0001'],
    ['an unregistered role', 'AWS:AROAUNREGISTERED001:session'],
    ['a role id without the AWS: prefix that is not registered', 'AROAUNREGISTERED001:session'],
    ['an anonymous principal', 'anonymous'],
  ])('denies %s as UNKNOWN_PRINCIPAL', async (_name, principalId) => {
    const decision = await decide(ngoRequest(START, { principalId }), depsFor());
    expect(decision).toMatchObject({
      effect: 'DENY',
      reason: 'UNKNOWN_PRINCIPAL',
      policyIds: ['unknown-principal'],
      caller: { principalId, restricted: false },
    });
  });

  it('resolves a registered role given without the AWS: prefix', async () => {
    const decision = await decide(
      ngoRequest(START, { principalId: `${ROLE_IDS['govrec-ngo-child-rescue-uploader']}:s` }),
      depsFor(),
    );
    expect(decision.effect).toBe('ALLOW');
  });

  it('records who the caller resolved to', async () => {
    const decision = await decide(policeRequest(START), depsFor());
    expect(decision.caller).toEqual({
      principalId: principalOf('govrec-police-investigations'),
      roleId: ROLE_IDS['govrec-police-investigations'],
      roleArn: roleArn('govrec-police-investigations'),
      orgId: 'metro-police',
      category: 'police',
      restricted: true,
    });
  });

  it('fills in the decision id, time and window', async () => {
    const request = ngoRequest(START);
    const decision = await decide(request, depsFor());
    expect(decision).toEqual({
      decisionId: decisionIdFor(request.object!),
      effect: 'ALLOW',
      reason: 'ALLOWED',
      policyIds: ['registered-use'],
      request,
      caller: expect.objectContaining({ orgId: 'thorn-like' }),
      moratorium: { start: START, end: END, inForce: true },
      decidedAt: DECIDED_AT,
    });
  });

  it('gives an ad-hoc decision id to a question without an object', async () => {
    const { object: _object, ...request } = ngoRequest(START);
    expect((await decide(request, depsFor())).decisionId).toMatch(/^q-[0-9a-f-]{36}$/);
  });

  it('denies with POLICY_ERROR when IAM fails entirely', async () => {
    const iam = mockClient(IAMClient);
    iam.on(GetRoleCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const decision = await decide(policeRequest(shift(START, -1)), depsFor());
    expect(decision).toMatchObject({
      effect: 'DENY',
      reason: 'POLICY_ERROR',
      policyIds: [],
      caller: { restricted: false },
    });
    expect(decision.detail).toMatch(
      /^IdentityResolutionError: IAM GetRole failed for registered role arn:aws:iam::111111111111:role\/\S+ \(Throttling: Rate exceeded\); 4 of 4 lookups failed, nothing cached$/,
    );
  });

  it('denies a registered NGO with POLICY_ERROR while GetRole of its role is throttled, and allows it once IAM answers', async () => {
    const iam = mockIam();
    let throttled = true;
    iam.on(GetRoleCommand, { RoleName: 'govrec-ngo-child-rescue-uploader' }).callsFake(async () => {
      if (throttled) throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      return {
        Role: {
          RoleName: 'govrec-ngo-child-rescue-uploader',
          RoleId: ROLE_IDS['govrec-ngo-child-rescue-uploader'],
          Arn: roleArn('govrec-ngo-child-rescue-uploader'),
          Path: '/',
          CreateDate: new Date(0),
        },
      };
    });
    const deps = depsFor();
    const denied = await decide(ngoRequest(START), deps);
    expect(denied).toMatchObject({ effect: 'DENY', reason: 'POLICY_ERROR', policyIds: [] });
    expect(denied.detail).toMatch(/govrec-ngo-child-rescue-uploader \(Throttling: Rate exceeded\)/);
    // Nothing was cached: the next request (same decision clock, well within the TTL) loads again.
    throttled = false;
    expect(await decide(ngoRequest(START), deps)).toMatchObject({
      effect: 'ALLOW',
      reason: 'ALLOWED',
      caller: { orgId: 'thorn-like' },
    });
  });

  it('denies with POLICY_ERROR when Cedar fails', async () => {
    const spy = jest.spyOn(engine, 'evaluate').mockImplementation(() => {
      throw new PolicyEvaluationError('boom');
    });
    try {
      expect(await decide(ngoRequest(START), depsFor())).toMatchObject({
        effect: 'DENY',
        reason: 'POLICY_ERROR',
        detail: 'PolicyEvaluationError: boom',
      });
    } finally {
      spy.mockRestore();
    }
  });

  it('denies with POLICY_ERROR when the policies could not be loaded', async () => {
    const deps = { ...depsFor(), engine: unavailableEngine(new Error('ENOENT: policies')) };
    expect(await decide(ngoRequest(START), deps)).toMatchObject({
      effect: 'DENY',
      reason: 'POLICY_ERROR',
      detail: 'PolicySetError: Cedar policies are unavailable: ENOENT: policies',
    });
  });

  it.each([
    ['no principal', { principalId: undefined }, /principalId/],
    ['an unknown operation', { operation: 'compare' }, /operation/],
    ['a time that is not an instant', { at: 'yesterday' }, /at/],
    ['an empty purpose', { purpose: '' }, /purpose/],
  ])('denies a request with %s as INVALID_REQUEST', async (_name, overrides, detail) => {
    const request = { ...ngoRequest(START), ...overrides };
    const decision = await decide(request, depsFor());
    expect(decision).toMatchObject({
      effect: 'DENY',
      reason: 'INVALID_REQUEST',
      policyIds: [],
      decisionId: decisionIdFor(request.object!),
    });
    expect(decision.detail).toMatch(detail);
  });

  it.each([null, 'search please', 42, []])(
    'denies %p as INVALID_REQUEST with placeholders for what is missing',
    async (raw) => {
      const decision = await decide(raw, depsFor());
      expect(decision).toMatchObject({
        effect: 'DENY',
        reason: 'INVALID_REQUEST',
        request: {
          principalId: '(missing)',
          orgId: '(missing)',
          operation: '(missing)',
          purpose: '(missing)',
          at: '(missing)',
        },
        caller: { principalId: '(missing)', restricted: false },
        moratorium: { start: START, end: END, inForce: false },
      });
      expect(decision.decisionId).toMatch(/^q-/);
    },
  );
});
