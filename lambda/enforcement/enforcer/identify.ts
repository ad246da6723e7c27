/**
 * Step 1 of EnforceRole: which role is this event about, is it ours, and is the moratorium in
 * force. Role sessions are traced to their issuing role; IAM changes are about the target role.
 */
import { parseRoleArn, partitionOfArn, type RoleArnParts } from '../../shared/arn';
import { MalformedEnforcementInputError } from './errors';
import { sameRoleName } from './names';
import { recordFor } from './record';
import type { Assessment, EnforcerDeps, RoleSubject, TriggerInfo } from './types';
import { isEnforcedAt } from './window';

type ParsedRole = RoleArnParts;

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const isoOrThrow = (value: unknown, field: string): string => {
  const text = str(value);
  if (text === undefined || Number.isNaN(Date.parse(text)))
    throw new MalformedEnforcementInputError(`${field} must be an ISO 8601 instant`);
  return new Date(text).toISOString();
};

/**
 * The principal of a CloudTrail event: the target role of an IAM change, else the session's role.
 * Most IAM role events carry only `roleName` (no path), so the ARN rebuilt from them is a guess
 * for a role with a path: `pathKnown` says whether it can be trusted as is.
 */
const principalOf = (detail: Record<string, unknown>): { arn: string; pathKnown: boolean } => {
  const identity = asRecord(detail.userIdentity) ?? {};
  const params = asRecord(detail.requestParameters);
  const roleName = str(params?.roleName);
  if (str(detail.eventSource) === 'iam.amazonaws.com' && roleName !== undefined) {
    const account = str(detail.recipientAccountId) ?? str(identity.accountId);
    if (account === undefined) throw new MalformedEnforcementInputError('IAM event without recipientAccountId');
    const partition = partitionOfArn(str(identity.arn) ?? '') ?? 'aws';
    const path = str(params?.path);
    const prefix = path === undefined ? '/' : path.endsWith('/') ? path : `${path}/`;
    return { arn: `arn:${partition}:iam::${account}:role${prefix}${roleName}`, pathKnown: path !== undefined };
  }
  const issuer = asRecord(asRecord(identity.sessionContext)?.sessionIssuer);
  const issuerArn = str(issuer?.arn);
  if (str(issuer?.type) === 'Role' && issuerArn !== undefined) return { arn: issuerArn, pathKnown: true };
  // An IAM user, the root user or a service: not a role, so nothing here can be disabled.
  return { arn: str(identity.arn) ?? `unknown:${str(identity.type) ?? 'principal'}`, pathKnown: true };
};

/** Upload calls the intake rule forwards (all need s3:PutObject, which the deny covers). */
const UPLOAD_EVENTS = new Set(['PutObject', 'CopyObject', 'CompleteMultipartUpload']);

/** A role session assuming another role (role chaining), by any of the AssumeRole calls. */
const isRoleChaining = (eventSource: string | undefined, eventName: string): boolean =>
  eventSource === 'sts.amazonaws.com' && eventName.startsWith('AssumeRole');

/**
 * Whether an event is one the moratorium forbids a restricted role: any Rekognition call, an
 * intake upload, or assuming another role (a way around its own deny).
 */
const isGuardedCall = (eventSource: string | undefined, eventName: string): boolean =>
  eventSource === 'rekognition.amazonaws.com' ||
  (eventSource === 's3.amazonaws.com' && UPLOAD_EVENTS.has(eventName)) ||
  isRoleChaining(eventSource, eventName);

/** What an AssumeRole event says about the chain it made, and the caller's own source identity. */
const chainOf = (
  detail: Record<string, unknown>,
  eventName: string,
): Pick<TriggerInfo, 'roleChain' | 'sourceIdentity'> => {
  const callerSourceIdentity = str(asRecord(asRecord(detail.userIdentity)?.sessionContext)?.sourceIdentity);
  const params = asRecord(detail.requestParameters);
  const assumedRoleArn = str(params?.roleArn);
  const assumedSessionArn = str(asRecord(asRecord(detail.responseElements)?.assumedRoleUser)?.arn);
  const sourceIdentity = str(params?.sourceIdentity);
  const chained = isRoleChaining(str(detail.eventSource), eventName) && assumedRoleArn !== undefined;
  return {
    ...(chained
      ? {
          roleChain: {
            assumedRoleArn,
            ...(assumedSessionArn === undefined ? {} : { assumedSessionArn }),
            ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
          },
        }
      : {}),
    ...(callerSourceIdentity === undefined ? {} : { sourceIdentity: callerSourceIdentity }),
  };
};

const fromInput = (input: unknown): { arn: string; pathKnown: boolean; trigger: TriggerInfo } => {
  const event = asRecord(input);
  if (event === undefined) throw new MalformedEnforcementInputError('enforcement input must be an object');
  if (event.source === 'govrec.sweep') {
    const roleArn = str(event.roleArn);
    if (roleArn === undefined) throw new MalformedEnforcementInputError('sweep input needs roleArn');
    const at = isoOrThrow(event.at, 'sweep at');
    return {
      arn: roleArn,
      pathKnown: true,
      trigger: { source: 'sweep', eventName: 'Sweep', eventId: `sweep-${at}`, at, callSucceeded: false },
    };
  }
  const detail = asRecord(event.detail);
  if (event['detail-type'] !== 'AWS API Call via CloudTrail' || detail === undefined) {
    throw new MalformedEnforcementInputError(
      'expected an "AWS API Call via CloudTrail" event or a govrec.sweep request',
    );
  }
  const eventName = str(detail.eventName);
  const eventId = str(detail.eventID);
  if (eventName === undefined || eventId === undefined)
    throw new MalformedEnforcementInputError('CloudTrail detail needs eventName and eventID');
  const at = isoOrThrow(detail.eventTime, 'detail.eventTime');
  const errorCode = str(detail.errorCode);
  const callSucceeded = errorCode === undefined && isGuardedCall(str(detail.eventSource), eventName);
  return {
    ...principalOf(detail),
    trigger: {
      source: 'cloudtrail',
      eventName,
      eventId,
      at,
      ...(errorCode === undefined ? {} : { errorCode }),
      callSucceeded,
      ...chainOf(detail, eventName),
    },
  };
};

/** The registered ARN (with its path) of the role `role` names, or `undefined`. */
const registrationOf = (
  deps: EnforcerDeps,
  role: ParsedRole,
): { arn: string; name: string; category: string } | undefined => {
  for (const org of deps.settings.organisations) {
    for (const registeredArn of org.roleArns) {
      const other = parseRoleArn(registeredArn);
      // Role names are unique in an account whatever the path and the case, so account + name
      // (compared as IAM does) identifies it.
      if (other !== undefined && other.accountId === role.accountId && sameRoleName(other.name, role.name))
        return { arn: registeredArn, name: other.name, category: org.category };
    }
  }
  return undefined;
};

/** Identify the subject once its ARN is final, and decide whether to look further. */
const assessSubject = (arn: string, pathKnown: boolean, trigger: TriggerInfo, deps: EnforcerDeps): Assessment => {
  const now = deps.clock.now();
  const parsed = parseRoleArn(arn);
  const registered = parsed === undefined ? undefined : registrationOf(deps, parsed);
  // A registered role's ARN is known with its path even when the event only named the role, as
  // long as the event spelled it as registered; another case may be a re-created role: read it.
  const exactSpelling = registered !== undefined && parsed !== undefined && registered.name === parsed.name;
  const roleArn = registered !== undefined && exactSpelling && !pathKnown ? registered.arn : arn;
  const knownArn = pathKnown || exactSpelling;
  const subject: RoleSubject = {
    roleArn,
    roleName: parsed?.name ?? '',
    registeredCategory: registered?.category ?? 'unregistered',
    ...(registered !== undefined && !exactSpelling && pathKnown ? { caseVariantOf: registered.arn } : {}),
    trigger,
  };
  const end = (action: 'NOT_RESTRICTED' | 'NOT_IN_ACCOUNT' | 'OUTSIDE_WINDOW', detail: string): Assessment => ({
    subject,
    next: 'RECORD',
    record: recordFor(subject, subject.registeredCategory, action, deps.settings, now, detail),
  });
  if (parsed === undefined) return end('NOT_RESTRICTED', 'the principal is not an IAM role');
  if (parsed.accountId !== deps.accountId)
    return end('NOT_IN_ACCOUNT', `role of account ${parsed.accountId}; the intake bucket policy covers it`);
  // Both instants must be inside: a late-delivered event after the end must not re-disable a restored role.
  // With afterWindow deny the moratorium has no end, so roles stay enforced (and tamper repaired) after it.
  if (!isEnforcedAt(deps.settings, new Date(trigger.at)) || !isEnforcedAt(deps.settings, now)) {
    const { start, end: until, afterWindow } = deps.settings.moratorium;
    return end(
      'OUTSIDE_WINDOW',
      afterWindow === 'deny'
        ? `moratorium in force from ${start} (afterWindow deny: no end)`
        : `moratorium in force ${start} to ${until}`,
    );
  }
  if (!knownArn) {
    // The workflow reads the role (iam:GetRole) and calls `resolve` with its real ARN.
    return {
      subject,
      next: 'RESOLVE',
      record: recordFor(
        subject,
        subject.registeredCategory,
        'NOOP',
        deps.settings,
        now,
        'IAM event without the role path; the role ARN is read next',
      ),
    };
  }
  return {
    subject,
    next: 'CHECK',
    record: recordFor(
      subject,
      subject.registeredCategory,
      'NOOP',
      deps.settings,
      now,
      'role identified; its state is read next',
    ),
  };
};

/**
 * Identify the role an enforcement input is about and decide whether to look further: `CHECK`
 * for a role of this account inside the window, `RESOLVE` when an IAM event named an unregistered
 * role without its path (the workflow then reads the real ARN), `RECORD` otherwise.
 *
 * @example
 * identify(cloudTrailEvent, deps).next // 'CHECK' for a role of this account inside the window
 */
export const identify = (input: unknown, deps: EnforcerDeps): Assessment => {
  const { arn, pathKnown, trigger } = fromInput(input);
  return assessSubject(arn, pathKnown, trigger, deps);
};

/** Input of `resolve`: the subject `identify` returned with `RESOLVE`, and the ARN IAM's GetRole gave. */
export interface ResolveInput {
  readonly subject: RoleSubject;
  readonly role: { readonly arn?: unknown };
}

/**
 * Re-identify a subject with the ARN IAM returned (path included), so the ledger key, the
 * policies and the deny all name the real role. The window is checked again with this clock.
 *
 * @example
 * resolve({ subject, role: { arn: 'arn:aws:iam::111111111111:role/teams/analysts' } }, deps).next // 'CHECK'
 */
export const resolve = (input: ResolveInput, deps: EnforcerDeps): Assessment => {
  const arn = str(input.role?.arn);
  const parsed = arn === undefined ? undefined : parseRoleArn(arn);
  if (arn === undefined || parsed === undefined || !sameRoleName(parsed.name, input.subject.roleName)) {
    throw new MalformedEnforcementInputError(`GetRole returned ${String(arn)} for role ${input.subject.roleName}`);
  }
  return assessSubject(arn, true, input.subject.trigger, deps);
};
