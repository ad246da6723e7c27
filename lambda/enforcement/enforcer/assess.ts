/**
 * Steps 2 and 3 of EnforceRole, after the workflow has read the role's tags, its window record
 * and (for restricted roles only) its inline policies: is the role restricted, and what must be
 * written to bring it to the expected state.
 */
import { type GovernanceSettings, isRestrictedCategory } from '../../shared/settings';
import {
  denyPolicyFor,
  disabledTags,
  isRevokeDocument,
  parsePolicyDocument,
  revokePolicyFor,
  STATUS_TAG,
  sameJson,
  UNTIL_TAG,
} from './documents';
import { isRestrictedTag } from './names';
import { recordFor } from './record';
import type {
  Assessment,
  Comparison,
  EnforcerDeps,
  IamTag,
  InlinePolicyRead,
  RoleSubject,
  WindowRecordRead,
} from './types';
import { describeUntil, disabledUntil, isEnforcedAt } from './window';

/** Input of `classify`. */
export interface ClassifyInput {
  readonly subject: RoleSubject;
  readonly tags: readonly IamTag[];
  readonly windowRecord: WindowRecordRead;
}

/** Input of `compare`. */
export interface CompareInput extends ClassifyInput {
  readonly deny: InlinePolicyRead;
  readonly revoke: InlinePolicyRead;
}

const wasDisabledThisWindow = (windowRecord: WindowRecordRead): boolean => windowRecord.Item?.status?.S === 'DISABLED';

const taggedRestricted = (tags: readonly IamTag[], deps: EnforcerDeps): boolean =>
  tags.some((tag) => isRestrictedTag(tag.Key, tag.Value, deps.restrictedTag));

/**
 * The category that makes a role restricted, or `undefined`. A role disabled in this window
 * stays restricted even if someone removed its tag since (that is tampering, not a release).
 */
export const restrictedCategory = (input: ClassifyInput, deps: EnforcerDeps): string | undefined => {
  if (isRestrictedCategory(deps.settings, input.subject.registeredCategory)) return input.subject.registeredCategory;
  if (taggedRestricted(input.tags, deps)) return deps.restrictedTag.value;
  return wasDisabledThisWindow(input.windowRecord) ? deps.restrictedTag.value : undefined;
};

/** Whether a role is restricted only because it was disabled this window (its restricted tag is gone). */
const restrictedTagRemoved = (input: ClassifyInput, deps: EnforcerDeps): boolean =>
  !isRestrictedCategory(deps.settings, input.subject.registeredCategory) &&
  !taggedRestricted(input.tags, deps) &&
  wasDisabledThisWindow(input.windowRecord);

/**
 * Decide whether the role is restricted; unrestricted roles end with a NOT_RESTRICTED record.
 * An unregistered role disabled this window whose restricted tag was removed is being hidden: the
 * enforcer may not write to it any more (its rights hinge on that tag), so it raises the alarm.
 */
export const classify = (input: ClassifyInput, deps: EnforcerDeps): Assessment => {
  const category = restrictedCategory(input, deps);
  const now = deps.clock.now();
  const variantOf = input.subject.caseVariantOf;
  if (variantOf !== undefined && category !== undefined && !taggedRestricted(input.tags, deps)) {
    // IAM matches the ARNs in the enforcer's grant case-sensitively: it may not write to this role.
    const tag = `${deps.restrictedTag.key}=${deps.restrictedTag.value}`;
    return {
      subject: input.subject,
      next: 'ALERT',
      record: recordFor(
        input.subject,
        category,
        'TAMPER_UNREMEDIED',
        deps.settings,
        now,
        `case variant of the registered role ${variantOf}; the enforcer's grant names the registered spelling, so tag the role ${tag} or delete it`,
      ),
      notification: {
        subject: 'TAMPER: restricted role re-created under another case',
        message: `TAMPER: ${input.subject.roleArn} is the registered restricted role ${variantOf} under another case (IAM role names are unique regardless of case) and is not tagged ${tag}, after ${input.subject.trigger.eventName} (${input.subject.trigger.eventId}). Enforcement may only write to the registered spelling or to tagged roles: tag it ${tag} (the next event or sweep then disables it) or delete it, and find who re-created it in CloudTrail.`,
      },
    };
  }
  if (restrictedTagRemoved(input, deps)) {
    const tag = `${deps.restrictedTag.key}=${deps.restrictedTag.value}`;
    return {
      subject: input.subject,
      next: 'ALERT',
      record: recordFor(
        input.subject,
        deps.restrictedTag.value,
        'TAMPER_UNREMEDIED',
        deps.settings,
        now,
        `restricted tag ${tag} removed during the window; re-tag the role to let enforcement act`,
      ),
      notification: {
        subject: 'TAMPER: restricted tag removed from a disabled role',
        message: `TAMPER on ${input.subject.roleArn}: the tag ${tag} was removed during the moratorium (${describeUntil(deps.settings)}) after ${input.subject.trigger.eventName} (${input.subject.trigger.eventId}). Enforcement may only change tagged or registered roles: restore the tag, or register the role, and the next event or sweep re-applies the deny.`,
      },
    };
  }
  if (category === undefined) {
    return {
      subject: input.subject,
      next: 'RECORD',
      record: recordFor(
        input.subject,
        input.subject.registeredCategory,
        'NOT_RESTRICTED',
        deps.settings,
        now,
        'neither registered for a restricted organisation nor tagged',
      ),
    };
  }
  return {
    subject: input.subject,
    next: 'CHECK',
    record: recordFor(
      input.subject,
      category,
      'NOOP',
      deps.settings,
      now,
      'restricted; its policies are compared next',
    ),
  };
};

/** Why the current state differs from the expected one (empty when it matches); `until` is the expected until tag. */
export const driftOf = (input: CompareInput, expectedDeny: unknown, until: string): string[] => {
  const reasons: string[] = [];
  if (input.deny.absent === true || input.deny.document === undefined) reasons.push('deny policy missing');
  else if (!sameJson(parsePolicyDocument(input.deny.document), expectedDeny)) reasons.push('deny policy altered');
  if (input.revoke.absent === true || input.revoke.document === undefined)
    reasons.push('revoke-sessions policy missing');
  else if (!isRevokeDocument(parsePolicyDocument(input.revoke.document)))
    reasons.push('revoke-sessions policy altered');
  const tag = (key: string) => input.tags.find((candidate) => candidate.Key === key)?.Value;
  if (tag(UNTIL_TAG) !== until) reasons.push(`tag ${UNTIL_TAG} is ${tag(UNTIL_TAG) ?? 'missing'}`);
  if (tag(STATUS_TAG) !== 'disabled') reasons.push(`tag ${STATUS_TAG} is ${tag(STATUS_TAG) ?? 'missing'}`);
  return reasons;
};

/**
 * How long before the end enforcement stops writing. The writes after `compare` take
 * milliseconds, but each may be retried (up to ~7 s per write); a role disabled right at the end
 * would stay tagged disabled after the restore ran. The deny itself lapses at the end anyway.
 */
export const END_WRITE_GUARD_MS = 30_000;

/** Whether enforcement may still write at `now`: in force, and (with an end) not within the guard before it. */
export const writableAt = (settings: GovernanceSettings, now: Date): boolean => {
  if (!isEnforcedAt(settings, now)) return false;
  if (settings.moratorium.afterWindow === 'deny') return true;
  return now.getTime() < Date.parse(settings.moratorium.end) - END_WRITE_GUARD_MS;
};

/** The result of a compare that runs too close to (or after) the end: write nothing, record why. */
const tooLate = (
  input: CompareInput,
  deps: EnforcerDeps,
  state: { category: string; expectedDeny: unknown; until: string; now: Date },
): Comparison => {
  const detail = `identified inside the window, but compared at ${state.now.toISOString()}, within ${END_WRITE_GUARD_MS / 1000} s of the end ${deps.settings.moratorium.end} or after it: nothing written (the restore runs at the end)`;
  return {
    subject: input.subject,
    next: 'RECORD',
    operation: 'NOOP',
    denyPolicyDocument: JSON.stringify(state.expectedDeny),
    revokePolicyDocument: JSON.stringify(revokePolicyFor(state.now.toISOString())),
    tags: disabledTags(state.until),
    tamperReasons: [],
    notification: {
      subject: 'Enforcement skipped at the end of the moratorium',
      message: `${input.subject.roleArn}: ${detail}.`,
    },
    record: recordFor(input.subject, state.category, 'OUTSIDE_WINDOW', deps.settings, state.now, detail),
  };
};

/**
 * Compare a restricted role's state with the expected one and say what to write: DISABLE the
 * first time in a window, REAPPLY (tamper) when a disabled role drifted, NOOP when it matches.
 *
 * @example
 * compare(input, deps).operation // 'NOOP' for a role already disabled with the exact documents and tags
 */
export const compare = (input: CompareInput, deps: EnforcerDeps): Comparison => {
  const { settings } = deps;
  const until = disabledUntil(settings);
  const howLong = describeUntil(settings);
  const now = deps.clock.now();
  const category = restrictedCategory(input, deps) ?? deps.restrictedTag.value;
  const expectedDeny = denyPolicyFor(settings, input.subject.roleArn, deps.intakeBucketArn);
  const drift = driftOf(input, expectedDeny, until);
  const disabledBefore = wasDisabledThisWindow(input.windowRecord);
  if (!writableAt(settings, now)) return tooLate(input, deps, { category, expectedDeny, until, now });
  const operation = drift.length === 0 && disabledBefore ? 'NOOP' : disabledBefore ? 'REAPPLY' : 'DISABLE';
  const action = operation === 'NOOP' ? 'NOOP' : operation === 'REAPPLY' ? 'REAPPLIED' : 'DISABLED';
  const role = input.subject.roleArn;
  const trigger = `${input.subject.trigger.eventName} (${input.subject.trigger.eventId})`;
  const notification =
    operation === 'REAPPLY'
      ? {
          subject: 'TAMPER: moratorium deny re-applied',
          message: `TAMPER on ${role} during the moratorium (${howLong}): ${drift.join('; ')}. Deny, session revocation and tags re-applied after ${trigger}.`,
        }
      : operation === 'DISABLE'
        ? {
            subject: 'Role disabled for the moratorium',
            message: `${role} (${category}) disabled ${howLong} after ${trigger}; sessions issued before ${now.toISOString()} revoked.`,
          }
        : { subject: 'Role already disabled', message: `${role} already disabled ${howLong}; ${trigger} recorded.` };
  return {
    subject: input.subject,
    next: 'RECORD',
    operation,
    denyPolicyDocument: JSON.stringify(expectedDeny),
    revokePolicyDocument: JSON.stringify(revokePolicyFor(now.toISOString())),
    tags: disabledTags(until),
    tamperReasons: operation === 'REAPPLY' ? drift : [],
    notification,
    record: recordFor(
      input.subject,
      category,
      action,
      settings,
      now,
      operation === 'NOOP' ? 'already disabled with the expected documents and tags' : drift.join('; '),
    ),
  };
};
