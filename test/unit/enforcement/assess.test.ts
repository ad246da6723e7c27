import { type CompareInput, classify, compare } from '../../../lambda/enforcement/enforcer/assess';
import { runEnforcerStep } from '../../../lambda/enforcement/enforcer/dispatch';
import {
  denyPolicyFor,
  isRevokeDocument,
  parsePolicyDocument,
  revokePolicyFor,
} from '../../../lambda/enforcement/enforcer/documents';
import { UnknownEnforcerActionError } from '../../../lambda/enforcement/enforcer/errors';
import { deps, END, INSIDE, NGO_ARN, POLICE_ARN, settings, subject } from './fixtures';

const disabledTags = [
  { Key: 'govrec:moratorium-disabled-until', Value: END },
  { Key: 'govrec:moratorium-status', Value: 'disabled' },
];
const encoded = (document: unknown) => ({ document: encodeURIComponent(JSON.stringify(document)) });
const disabledState = (): CompareInput => ({
  subject: subject(),
  tags: disabledTags,
  windowRecord: { Item: { status: { S: 'DISABLED' } } },
  deny: encoded(denyPolicyFor(settings, POLICE_ARN, 'arn:aws:s3:::govrec-intake')),
  revoke: encoded(revokePolicyFor('2027-08-01T00:00:00.000Z')),
});

describe('classify', () => {
  it.each([
    ['a registered police role', subject(), [], {}, 'CHECK', 'police'],
    [
      'a role tagged police',
      subject('arn:aws:iam::111111111111:role/x', 'unregistered'),
      [{ Key: 'govrec:category', Value: 'police' }],
      {},
      'CHECK',
      'police',
    ],
    [
      'a role disabled this window whose restricted tag was removed',
      subject('arn:aws:iam::111111111111:role/x', 'unregistered'),
      [],
      { Item: { status: { S: 'DISABLED' } } },
      'ALERT',
      'police',
    ],
    [
      'a registered role disabled this window without the tag',
      subject(),
      [],
      { Item: { status: { S: 'DISABLED' } } },
      'CHECK',
      'police',
    ],
    ['an NGO role', subject(NGO_ARN, 'ngo'), [], {}, 'RECORD', 'ngo'],
    [
      'a role tagged with another value',
      subject('arn:aws:iam::111111111111:role/x', 'unregistered'),
      [{ Key: 'govrec:category', Value: 'ngo' }],
      {},
      'RECORD',
      'unregistered',
    ],
  ])('classifies %s', (_label, who, tags, windowRecord, next, category) => {
    const result = classify({ subject: who, tags, windowRecord }, deps());

    expect(result.next).toBe(next);
    expect(result.record.category).toBe(category);
    if (next === 'RECORD') expect(result.record.action).toBe('NOT_RESTRICTED');
    if (next === 'ALERT') {
      expect(result.record.action).toBe('TAMPER_UNREMEDIED');
      expect(result.notification?.subject).toBe('TAMPER: restricted tag removed from a disabled role');
    }
  });
});

describe('compare', () => {
  it('disables a role seen for the first time this window, revoking sessions issued before now', () => {
    const result = compare(
      { subject: subject(), tags: [], windowRecord: {}, deny: { absent: true }, revoke: { absent: true } },
      deps(),
    );

    expect(result.operation).toBe('DISABLE');
    expect(JSON.parse(result.denyPolicyDocument)).toEqual(
      denyPolicyFor(settings, POLICE_ARN, 'arn:aws:s3:::govrec-intake'),
    );
    expect(JSON.parse(result.revokePolicyDocument)).toEqual(revokePolicyFor(INSIDE));
    expect(result.tags).toEqual(disabledTags);
    expect(result.record.action).toBe('DISABLED');
    expect(result.tamperReasons).toEqual([]);
  });

  it('does nothing for a role already disabled with the exact documents and tags', () => {
    const result = compare(disabledState(), deps());

    expect(result.operation).toBe('NOOP');
    expect(result.record.action).toBe('NOOP');
  });

  it('treats reordered keys and unencoded JSON as the same document', () => {
    const state = disabledState();
    const reordered = {
      Statement: [
        {
          Condition: { DateLessThan: { 'aws:CurrentTime': END } },
          Resource: '*',
          Action: '*',
          Effect: 'Deny',
          Sid: 'GovrecMoratoriumDenyAll',
        },
      ],
      Version: '2012-10-17',
    };

    expect(compare({ ...state, deny: { document: JSON.stringify(reordered) } }, deps()).operation).toBe('NOOP');
  });

  it.each([
    ['deny missing', { deny: { absent: true } }, ['deny policy missing']],
    [
      'deny with a later end',
      {
        deny: encoded(
          denyPolicyFor(
            { ...settings, moratorium: { ...settings.moratorium, end: '2027-07-01T00:00:00.000Z' } },
            POLICE_ARN,
            'x',
          ),
        ),
      },
      ['deny policy altered'],
    ],
    ['deny not JSON', { deny: { document: '%7Bnot json' } }, ['deny policy altered']],
    [
      'revoke replaced by an allow',
      { revoke: encoded({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) },
      ['revoke-sessions policy altered'],
    ],
    [
      'until tag changed',
      { tags: [disabledTags[1]!, { Key: 'govrec:moratorium-disabled-until', Value: '2027-07-01' }] },
      ['tag govrec:moratorium-disabled-until is 2027-07-01'],
    ],
    [
      'both tags removed',
      { tags: [] },
      ['tag govrec:moratorium-disabled-until is missing', 'tag govrec:moratorium-status is missing'],
    ],
  ])('re-applies (tamper) when the %s', (_label, change, reasons) => {
    const result = compare({ ...disabledState(), ...change } as CompareInput, deps());

    expect(result.operation).toBe('REAPPLY');
    expect(result.tamperReasons).toEqual(reasons);
    expect(result.record.action).toBe('REAPPLIED');
    expect(result.notification.subject).toBe('TAMPER: moratorium deny re-applied');
  });
});

describe('documents', () => {
  it('reads URL-encoded and plain JSON, and returns undefined for garbage', () => {
    expect(parsePolicyDocument('%7B%22a%22%3A1%7D')).toEqual({ a: 1 });
    expect(parsePolicyDocument('{"a":1}')).toEqual({ a: 1 });
    expect(parsePolicyDocument('%%%')).toBeUndefined();
  });

  it('recognises a revoke document of any instant and nothing broader or narrower', () => {
    expect(isRevokeDocument(revokePolicyFor('2020-01-01T00:00:00.000Z'))).toBe(true);
    const narrowed = revokePolicyFor('2020-01-01T00:00:00.000Z');
    expect(isRevokeDocument({ ...narrowed, Statement: [{ ...narrowed.Statement[0], Action: 's3:*' }] })).toBe(false);
    expect(isRevokeDocument({ Version: '2012-10-17', Statement: [] })).toBe(false);
  });
});

describe('runEnforcerStep', () => {
  it('rejects an unknown action', () => {
    expect(() => runEnforcerStep({ action: 'destroy' } as never, deps())).toThrow(UnknownEnforcerActionError);
  });
});

describe('compare at the end of the window', () => {
  const fresh = (): CompareInput => ({
    subject: subject(),
    tags: [],
    windowRecord: {},
    deny: { absent: true },
    revoke: { absent: true },
  });

  it.each([
    ['31 s before the end', '2028-06-09T23:59:29.000Z', 'DISABLE', 'DISABLED'],
    ['exactly 30 s before the end', '2028-06-09T23:59:30.000Z', 'NOOP', 'OUTSIDE_WINDOW'],
    ['1 ms before the end', '2028-06-09T23:59:59.999Z', 'NOOP', 'OUTSIDE_WINDOW'],
    ['at the end', END, 'NOOP', 'OUTSIDE_WINDOW'],
    ['after the end', '2028-06-10T00:00:05.000Z', 'NOOP', 'OUTSIDE_WINDOW'],
  ])('with the enforcer clock %s it plans %s and records %s', (_label, now, operation, action) => {
    const result = compare(fresh(), deps(now));

    expect(result.operation).toBe(operation);
    expect(result.record.action).toBe(action);
  });

  it('says why nothing was written', () => {
    expect(compare(fresh(), deps(END)).record.detail).toBe(
      `identified inside the window, but compared at ${END}, within 30 s of the end ${END} or after it: nothing written (the restore runs at the end)`,
    );
  });

  it('keeps writing up to and after the end under afterWindow deny (no end to race)', () => {
    const indefinite = { ...settings, moratorium: { ...settings.moratorium, afterWindow: 'deny' as const } };

    expect(compare(fresh(), deps('2028-06-09T23:59:59.999Z', indefinite)).operation).toBe('DISABLE');
  });
});
