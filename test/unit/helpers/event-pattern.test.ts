/**
 * The test matcher against the EventBridge behaviours that decide enforcement coverage (checked
 * against aws/event-ruler's documented semantics; see test/README.md).
 */
import { matchesEventPattern } from '../../helpers/event-pattern';

const assumed = { detail: { userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { arn: 'A' } } } } };
const iamUser = { detail: { userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/u' } } };
const notByA = {
  detail: {
    $or: [
      { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': ['A'] }] } } } },
      { userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } },
    ],
  },
};

describe('matchesEventPattern', () => {
  it.each([
    [
      'anything-but does not match a missing field',
      { detail: { x: [{ 'anything-but': ['a'] }] } },
      { detail: {} },
      false,
    ],
    [
      'anything-but matches another value',
      { detail: { x: [{ 'anything-but': ['a'] }] } },
      { detail: { x: 'b' } },
      true,
    ],
    [
      'anything-but refuses a listed value',
      { detail: { x: [{ 'anything-but': 'a' }] } },
      { detail: { x: 'a' } },
      false,
    ],
    ['prefix is case-sensitive', { k: [{ prefix: 'incoming/' }] }, { k: 'Incoming/x' }, false],
    ['prefix matches the start', { k: [{ prefix: 'incoming/' }] }, { k: 'incoming/x' }, true],
    ['literals are case-sensitive', { k: ['AssumeRole'] }, { k: 'assumerole' }, false],
    ['equals-ignore-case ignores case', { k: [{ 'equals-ignore-case': 'ROLE/X' }] }, { k: 'role/x' }, true],
    ['an array field matches when one element does', { k: ['b'] }, { k: ['a', 'b'] }, true],
    ['exists false matches a missing field', { k: [{ exists: false }] }, {}, true],
    ['exists false matches below a missing parent', { p: { k: [{ exists: false }] } }, {}, true],
    ['exists true refuses a missing field', { k: [{ exists: true }] }, {}, false],
    ['exists false matches an object (not a leaf)', { k: [{ exists: false }] }, { k: { c1: 100 } }, true],
    [
      'a nested pattern matches one element of an array of objects',
      { r: { t: ['b'] } },
      { r: [{ t: 'a' }, { t: 'b' }] },
      true,
    ],
    [
      'a nested pattern needs one element to match it whole',
      { r: { t: ['a'], u: ['y'] } },
      {
        r: [
          { t: 'a', u: 'x' },
          { t: 'b', u: 'y' },
        ],
      },
      false,
    ],
    ['a nested pattern refuses a missing parent', { p: { k: ['a'] } }, {}, false],
    ['a nested pattern refuses a string parent', { p: { k: ['a'] } }, { p: 'a' }, false],
    ['$or: the second branch catches callers without a session', notByA, iamUser, true],
    ['$or: no branch matches the excluded role', notByA, assumed, false],
    [
      '$or: a sibling key must match as well',
      { detail: { eventName: ['PutObject'], ...notByA.detail } },
      { detail: { ...iamUser.detail, eventName: 'GetObject' } },
      false,
    ],
  ])('%s', (_name, pattern, event, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  it('throws on an operator it does not implement, so a rule cannot pass by accident', () => {
    expect(() => matchesEventPattern({ k: [{ suffix: '.jpg' }] }, { k: 'a.jpg' })).toThrow('unsupported matcher');
  });
});
