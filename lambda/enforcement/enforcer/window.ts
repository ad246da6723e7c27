/**
 * How long enforcement lasts under the settings in force. With `afterWindow: "normal-rules"` a
 * police role is disabled for `[start, end)` and the deny carries that end itself. With
 * `afterWindow: "deny"` the moratorium has been extended indefinitely: the role stays disabled
 * from `start` on, the deny has no expiry, and the tags and the window record say `indefinite`,
 * so no document claims an end the settings no longer honour.
 */
import { type GovernanceSettings, restrictionAt } from '../../shared/settings';

/** The value of the disabled-until tag (and of the records' `until`) for an indefinite moratorium. */
export const INDEFINITE = 'indefinite';

/**
 * What a disabled role is disabled until: the configured end, or `indefinite` with
 * `afterWindow: "deny"`. It is also the window record's key (`WINDOW#<until>`), so switching the
 * setting is a new window (DISABLE), like moving the end, and not tampering.
 *
 * @example
 * disabledUntil(settings) // '2028-06-10T00:00:00.000Z', or 'indefinite' with afterWindow deny
 */
export const disabledUntil = (settings: GovernanceSettings): string =>
  settings.moratorium.afterWindow === 'deny' ? INDEFINITE : settings.moratorium.end;

/**
 * Whether restricted roles must be disabled at `at`: inside `[start, end)`, and with
 * `afterWindow: "deny"` at any time from `start` on.
 *
 * @example
 * isEnforcedAt(settings, new Date('2029-01-01T00:00:00Z')) // false with normal-rules, true with deny
 */
export const isEnforcedAt = (settings: GovernanceSettings, at: Date): boolean =>
  restrictionAt(settings, at) !== undefined;

/** Human wording of how long the role is disabled, for notifications and record details. */
export const describeUntil = (settings: GovernanceSettings): string =>
  settings.moratorium.afterWindow === 'deny'
    ? `indefinitely (afterWindow deny; the window's configured end ${settings.moratorium.end} no longer lifts it)`
    : `until ${settings.moratorium.end}`;
