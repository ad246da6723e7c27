/**
 * Role names and tag keys compared as IAM compares them (case-insensitively): a registered police
 * role re-created under another case, or tagged with an upper-case key or value, does not escape.
 */
import fc from 'fast-check';
import { classify } from '../../../lambda/enforcement/enforcer/assess';
import { identify, resolve } from '../../../lambda/enforcement/enforcer/identify';
import { isRestrictedTag, sameRoleName } from '../../../lambda/enforcement/enforcer/names';
import { categoryOf, planSweep } from '../../../lambda/enforcement/roles/plan';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { FakeIam } from '../../../local/stepfunctions/fake-iam';
import { iamChange, roleSessionCall } from '../../workflow/events';
import { ACCOUNT, deps, INSIDE, POLICE_ARN, settings } from './fixtures';

const VARIANT = 'GOVREC-POLICE-INVESTIGATIONS';
const VARIANT_ARN = `arn:aws:iam::${ACCOUNT}:role/${VARIANT}`;
const TAG = { key: 'govrec:category', value: 'police' };

/** A random re-casing of `text`. */
const recased = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((flags) => [...text].map((c, i) => (flags[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

describe('names compared as IAM compares them', () => {
  it('treats every re-casing of a role name as the same role', () => {
    fc.assert(
      fc.property(recased('govrec-police-investigations'), (name) =>
        sameRoleName(name, 'govrec-police-investigations'),
      ),
    );
  });

  it('treats every re-casing of the restricted tag as the restricted tag, and nothing else', () => {
    fc.assert(fc.property(recased(TAG.key), recased(TAG.value), (key, value) => isRestrictedTag(key, value, TAG)));
    expect(isRestrictedTag('govrec:category', 'ngo', TAG)).toBe(false);
    expect(isRestrictedTag('govrec:categories', 'police', TAG)).toBe(false);
  });
});

describe('a registered police role re-created under another case', () => {
  const call = roleSessionCall(VARIANT, { eventTime: INSIDE, eventId: 'e-variant' });

  it('is identified as the registered police role, keyed on its real ARN', () => {
    const result = identify(call, deps());
    expect(result.next).toBe('CHECK');
    expect(result.subject).toMatchObject({
      roleArn: VARIANT_ARN,
      registeredCategory: 'police',
      caseVariantOf: POLICE_ARN,
    });
  });

  it('has its real ARN read first when an IAM event names it (CreateRole)', () => {
    const created = identify(iamChange(VARIANT, { eventTime: INSIDE, eventName: 'CreateRole' }), deps());
    expect(created.next).toBe('RESOLVE');
    const resolved = resolve({ subject: created.subject, role: { arn: VARIANT_ARN } }, deps());
    expect(resolved.next).toBe('CHECK');
    expect(resolved.subject.caseVariantOf).toBe(POLICE_ARN);
  });

  it('alarms as unremedied tamper when untagged (the grant names the registered spelling)', () => {
    const subject = identify(call, deps()).subject;
    const result = classify({ subject, tags: [], windowRecord: {} }, deps());
    expect(result.next).toBe('ALERT');
    expect(result.record.action).toBe('TAMPER_UNREMEDIED');
    expect(result.notification?.subject).toBe('TAMPER: restricted role re-created under another case');
  });

  it('is enforced normally once tagged restricted (any case)', () => {
    const subject = identify(call, deps()).subject;
    const result = classify({ subject, tags: [{ Key: 'GOVREC:Category', Value: 'Police' }], windowRecord: {} }, deps());
    expect(result.next).toBe('CHECK');
    expect(result.record.category).toBe('police');
  });

  it('is listed by the sweep', async () => {
    const iam = new FakeIam(ACCOUNT);
    iam.addRole(VARIANT);
    iam.addRole('county-sheriff', { 'GOVREC:CATEGORY': 'POLICE' });
    iam.addRole('ngo-uploader', { 'govrec:category': 'ngo' });
    const plan = await planSweep({ settings, restrictedTag: TAG, reader: iam.reader(10), clock: fixedClock(INSIDE) });
    expect(plan.enforcements.map((enforcement) => enforcement.roleArn).sort()).toEqual([
      VARIANT_ARN,
      `arn:aws:iam::${ACCOUNT}:role/county-sheriff`,
    ]);
  });
});

describe('categoryOf', () => {
  it('takes the registration whatever the case of the listed name', () => {
    expect(categoryOf({ roleArn: VARIANT_ARN, roleName: VARIANT, tags: {} }, { settings, restrictedTag: TAG })).toBe(
      'police',
    );
  });
});
