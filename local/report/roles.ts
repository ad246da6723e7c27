/**
 * "Which roles were disabled, and until when?" from the enforcement records: one row per role
 * that the workflows disabled (or re-applied), with when, until when, when it was restored and
 * what set it off, plus every restricted registered role that was never disabled.
 */
import { type GovernanceSettings, isRestrictedCategory } from '../../lambda/shared/settings';
import type { EnforcementEntry, RoleDisabledRow } from './types';

/** Actions that put the restriction on a role. */
const DISABLING = new Set(['DISABLED', 'REAPPLIED']);
/** Actions that lift it. */
const RESTORING = new Set(['RESTORED']);

/**
 * Records that change nothing (an event outside the window, a role that is not restricted, a
 * role already disabled): shown collapsed. Any other action, including ones added later, is shown.
 */
export const NOISE_ACTIONS: ReadonlySet<string> = new Set(['NOOP', 'OUTSIDE_WINDOW', 'NOT_RESTRICTED']);

export const isNoise = (entry: EnforcementEntry): boolean => NOISE_ACTIONS.has(entry.action);

/** Whether the entry is about a role (the workflows also record runs, e.g. `MORATORIUM RESTORE`). */
export const isRoleEntry = (entry: EnforcementEntry): boolean => entry.role.startsWith('arn:');

/** The role's name from its ARN (`arn:aws:iam::1:role/path/name` -> `name`). */
export const roleName = (role: string): string => role.slice(role.lastIndexOf('/') + 1);

/** The page anchor of a role's row in the roles summary. */
export const roleAnchor = (role: string): string => `role-${roleName(role)}`;

/**
 * @example
 * rolesDisabledOf(settings, report.enforcement)[0] // { role, orgId: 'metro-police', disabledAt, until, restoredAt, trigger }
 */
export const rolesDisabledOf = (
  settings: GovernanceSettings,
  enforcement: readonly EnforcementEntry[],
): RoleDisabledRow[] => {
  const byRole = new Map<string, EnforcementEntry[]>();
  for (const entry of [...enforcement].sort((a, b) => a.at.localeCompare(b.at))) {
    if (!isRoleEntry(entry)) continue;
    byRole.set(entry.role, [...(byRole.get(entry.role) ?? []), entry]);
  }
  const orgOf = (role: string) => settings.organisations.find((org) => org.roleArns.includes(role));
  const rows: RoleDisabledRow[] = [];
  for (const [role, entries] of byRole) {
    const disabling = entries.filter((entry) => DISABLING.has(entry.action));
    const first = disabling[0];
    if (first === undefined) continue;
    const restored = entries.find((entry) => RESTORING.has(entry.action) && entry.at >= first.at);
    const last = disabling.at(-1) ?? first;
    const org = orgOf(role);
    rows.push({
      role,
      ...(org !== undefined ? { orgId: org.id } : {}),
      category: org?.category ?? first.category ?? 'unknown',
      disabledAt: first.at,
      ...(last.until !== undefined ? { until: last.until } : {}),
      ...(restored !== undefined ? { restoredAt: restored.at, restoredBy: restored.trigger } : {}),
      trigger: first.trigger,
      reapplied: disabling.filter((entry) => entry.action === 'REAPPLIED').length,
    });
  }
  // A restricted registered role with no disabling record is a finding, not an omission.
  for (const org of settings.organisations) {
    if (!isRestrictedCategory(settings, org.category)) continue;
    for (const role of org.roleArns) {
      if (rows.some((row) => row.role === role)) continue;
      rows.push({ role, orgId: org.id, category: org.category, trigger: 'never disabled', reapplied: 0 });
    }
  }
  // Disabled roles in the order they were disabled, then the never-disabled ones.
  const order = (row: RoleDisabledRow): string => (row.disabledAt !== undefined ? `0${row.disabledAt}` : '1');
  return rows.sort((a, b) => order(a).localeCompare(order(b)) || a.role.localeCompare(b.role));
};
