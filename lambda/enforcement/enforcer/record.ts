/**
 * Building enforcement records. One record per (role, event): the sort key carries the event
 * time and id, so a redelivered event maps to the same item and the conditional put in the
 * workflow makes the write idempotent.
 */
import type { GovernanceSettings } from '../../shared/settings';
import type { EnforcementAction, EnforcementRecord, RoleSubject } from './types';
import { disabledUntil } from './window';

/** Sort key of the per-window item that says a role was disabled until `until` (an end, or `indefinite`). */
export const windowKey = (until: string): string => `WINDOW#${until}`;

/** Sort key of an event record. */
export const eventKey = (at: string, eventId: string): string => `EVENT#${at}#${eventId}`;

/** What the record adds about a role chain and source identity, so chained sessions can be traced. */
export const chainNote = (trigger: RoleSubject['trigger']): string => {
  const parts: string[] = [];
  if (trigger.roleChain !== undefined) {
    const { assumedRoleArn, assumedSessionArn, sourceIdentity } = trigger.roleChain;
    parts.push(
      `role chaining: assumed ${assumedRoleArn}${assumedSessionArn === undefined ? '' : ` as ${assumedSessionArn}`}${sourceIdentity === undefined ? '' : ` with source identity ${sourceIdentity}`}`,
    );
  }
  if (trigger.sourceIdentity !== undefined) parts.push(`caller source identity ${trigger.sourceIdentity}`);
  return parts.length === 0 ? '' : ` [${parts.join('; ')}]`;
};

/** Build the record of one event for one role. */
export const recordFor = (
  subject: RoleSubject,
  category: string,
  action: EnforcementAction,
  settings: GovernanceSettings,
  now: Date,
  detail: string,
): EnforcementRecord => ({
  pk: subject.roleArn,
  sk: eventKey(subject.trigger.at, subject.trigger.eventId),
  roleArn: subject.roleArn,
  category,
  action,
  triggerSource: subject.trigger.source,
  triggerEventName: subject.trigger.eventName,
  triggerEventId: subject.trigger.eventId,
  eventAt: subject.trigger.at,
  start: settings.moratorium.start,
  // The end, or `indefinite`: the workflow keys the window record on it.
  until: disabledUntil(settings),
  recordedAt: now.toISOString(),
  detail: `${detail}${chainNote(subject.trigger)}`,
});
