/**
 * The trail guard on the synthesized stack: its rule matched (EventBridge semantics, see
 * test/README.md) against real-shaped CloudTrail events, and its repair workflow run locally.
 */
import type { TemplateJson } from '../../local/stepfunctions/extract';
import { LOCAL_ENV, resolveTemplateValue, stateMachineByPrefix } from '../../local/stepfunctions/extract';
import { type Json, runLocally } from '../../local/stepfunctions/runner';
import { validateAsl } from '../helpers/asl';
import { logicalIdOf, synthStack } from '../helpers/cdk-app';
import { matchesEventPattern } from '../helpers/event-pattern';

const { stack, template } = synthStack();
const guard = stack.pipeline.enforcer.trailGuard;
const json = template.toJSON() as TemplateJson;
const resources = json.Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const resolve = (value: unknown) => resolveTemplateValue(value, resources as never, LOCAL_ENV);
const pattern = resolve(resources[logicalIdOf(guard.rule)]!.Properties.EventPattern) as Record<string, unknown>;
const trailLogicalId = logicalIdOf(stack.pipeline.enforcer.trail);
const TRAIL_NAME = resolve({ Ref: trailLogicalId }) as string;
const TRAIL_ARN = resolve({ 'Fn::GetAtt': [trailLogicalId, 'Arn'] }) as string;
const GUARD_ROLE = resolve({ 'Fn::GetAtt': [logicalIdOf(guard.repair.role), 'Arn'] }) as string;
const ACCOUNT = LOCAL_ENV.account;

const trailCall = (
  eventName: string,
  requestParameters: Record<string, unknown>,
  issuer = `arn:aws:iam::${ACCOUNT}:role/platform-admin`,
) => ({
  version: '0',
  id: 'e-1',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.cloudtrail',
  account: ACCOUNT,
  time: '2027-09-01T10:00:00Z',
  region: LOCAL_ENV.region,
  resources: [],
  detail: {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${issuer.split('/').pop()}/someone`,
      accountId: ACCOUNT,
      sessionContext: { sessionIssuer: { type: 'Role', arn: issuer, accountId: ACCOUNT } },
    },
    eventTime: '2027-09-01T10:00:00Z',
    eventSource: 'cloudtrail.amazonaws.com',
    eventName,
    eventID: 'evt-trail-1',
    recipientAccountId: ACCOUNT,
    requestParameters,
  },
});

describe('TrailGuard rule', () => {
  it.each([
    ['StopLogging by name', trailCall('StopLogging', { name: TRAIL_NAME }), true],
    ['StopLogging by ARN', trailCall('StopLogging', { name: TRAIL_ARN }), true],
    ['DeleteTrail', trailCall('DeleteTrail', { name: TRAIL_ARN }), true],
    ['UpdateTrail', trailCall('UpdateTrail', { name: TRAIL_NAME, isMultiRegionTrail: false }), true],
    ['PutEventSelectors', trailCall('PutEventSelectors', { trailName: TRAIL_ARN, eventSelectors: [] }), true],
    [
      'an IAM user stopping it',
      {
        ...trailCall('StopLogging', { name: TRAIL_NAME }),
        detail: {
          ...trailCall('StopLogging', { name: TRAIL_NAME }).detail,
          userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/admin` },
        },
      },
      true,
    ],
    ['StopLogging of another trail', trailCall('StopLogging', { name: 'other-trail' }), false],
    ['StartLogging', trailCall('StartLogging', { name: TRAIL_NAME }), false],
    ["the guard's own revert", trailCall('PutEventSelectors', { trailName: TRAIL_ARN }, GUARD_ROLE), false],
  ])('%s: matched %s', (_label, event, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });
});

describe('TrailGuard repair workflow', () => {
  const { logicalId, definition } = stateMachineByPrefix(json, logicalIdOf(guard.repair));
  const run = async (eventName: string, failing?: string) => {
    const calls: [string, string, Json][] = [];
    const result = await runLocally(
      JSON.parse(JSON.stringify(definition)),
      trailCall(eventName, { name: TRAIL_ARN }) as unknown as Json,
      {
        lambda: () => {
          throw new Error('no Lambda in the repair workflow');
        },
        service: (service, action, parameters) => {
          calls.push([service, action, parameters]);
          if (action === failing)
            throw Object.assign(new Error('denied'), { name: 'CloudTrail.AccessDeniedException' });
          return {};
        },
      },
      { stateMachineArn: `arn:aws:states:${LOCAL_ENV.region}:${ACCOUNT}:stateMachine:${logicalId}` },
    );
    return { result, calls };
  };
  const subjects = (calls: [string, string, Json][]) =>
    calls
      .filter(([service]) => service === 'sns')
      .map(([, , parameters]) => (parameters as { Subject: string }).Subject);

  it('is valid ASL', () => {
    expect(validateAsl(JSON.parse(JSON.stringify(definition)))).toEqual({ isValid: true, errors: '' });
  });

  it('restarts a stopped trail and notifies critical', async () => {
    const { result, calls } = await run('StopLogging');
    expect(result.status).toBe('SUCCEEDED');
    expect(calls.map(([service, action]) => `${service}:${action}`)).toEqual([
      'cloudtrail:startLogging',
      'sns:publish',
    ]);
    expect(subjects(calls)).toEqual(['CRITICAL: Enforcement trail tampered, reverted']);
  });

  it.each(['UpdateTrail', 'PutEventSelectors'])(
    'writes the settings and selectors back after %s',
    async (eventName) => {
      const { calls } = await run(eventName);
      expect(calls.map(([service, action]) => `${service}:${action}`)).toEqual([
        'cloudtrail:updateTrail',
        'cloudtrail:putEventSelectors',
        'cloudtrail:startLogging',
        'sns:publish',
      ]);
      const selectors = calls.find(([, action]) => action === 'putEventSelectors')![2] as { EventSelectors: unknown[] };
      expect(selectors.EventSelectors).toEqual([
        expect.objectContaining({ IncludeManagementEvents: true, ReadWriteType: 'All' }),
        expect.objectContaining({ IncludeManagementEvents: false, ReadWriteType: 'WriteOnly' }),
      ]);
      expect(calls[0]![2]).toMatchObject({ Name: TRAIL_ARN, IsMultiRegionTrail: true, EnableLogFileValidation: true });
    },
  );

  it('says the trail is gone after DeleteTrail (nothing to revert: a deploy re-creates it)', async () => {
    const { calls } = await run('DeleteTrail');
    expect(subjects(calls)).toEqual(['CRITICAL: Enforcement trail deleted']);
  });

  it('says the revert failed when a write is refused', async () => {
    const { result, calls } = await run('StopLogging', 'startLogging');
    expect(result.status).toBe('SUCCEEDED');
    expect(subjects(calls)).toEqual(['CRITICAL: Enforcement trail tampered, revert FAILED']);
  });

  it('writes back exactly the selectors the trail declares', () => {
    const declared = resolve(resources[trailLogicalId]!.Properties.EventSelectors) as Record<string, unknown>[];
    const pascal = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(pascal)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), pascal(v)]),
            )
          : value;
    expect(resolve(stack.resolve(stack.pipeline.enforcer.triggers.trailEventSelectors))).toEqual(pascal(declared));
  });

  it('alarms on the first matched tamper call, whatever the repair did', () => {
    const alarm = resources[logicalIdOf(guard.alarm)]!.Properties;
    expect(alarm).toMatchObject({ MetricName: 'MatchedEvents', Namespace: 'AWS/Events', Threshold: 1 });
  });
});
