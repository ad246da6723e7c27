/**
 * The enforcement ledger in time order. Records that changed a role are shown; the no-op ones
 * (outside the window, not restricted, already disabled) are collapsed under their own summary.
 */
import { e, instant, type ReportSection, table } from '../html-kit';
import { isNoise, isRoleEntry, roleAnchor } from '../roles';
import type { EnforcementEntry, ReviewReport } from '../types';

/** `until` is shown where a restriction was put on: a no-op record's window end is not about that role. */
const UNTIL_ACTIONS = new Set(['DISABLED', 'REAPPLIED']);

const row = (x: EnforcementEntry, disabledRoles: ReadonlySet<string>): string =>
  `<tr data-action="${e(x.action)}"><td>${e(instant(x.at))}</td><td>${isRoleEntry(x) && disabledRoles.has(x.role) ? `<a href="#${e(roleAnchor(x.role))}"><code>${e(x.role)}</code></a>` : `<code>${e(x.role)}</code>`}</td><td>${e(x.action)}</td><td>${UNTIL_ACTIONS.has(x.action) ? e(instant(x.until)) : ''}</td><td>${e(x.trigger)}</td><td>${e(x.detail ?? '')}</td></tr>`;

const HEADERS = ['Time', 'Role', 'Action', 'Until', 'Trigger', 'Detail'];

export const enforcementSection = (report: ReviewReport): ReportSection => {
  const disabledRoles = new Set(report.rolesDisabled.map((r) => r.role));
  const changes = report.enforcement.filter((x) => !isNoise(x));
  const noise = report.enforcement.filter(isNoise);
  const counts = new Map<string, number>();
  for (const x of noise) counts.set(x.action, (counts.get(x.action) ?? 0) + 1);
  const noiseCounts = [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, n]) => `${action} ${n}`)
    .join(', ');
  return {
    id: 'enforcement-section',
    title: `Role enforcement timeline (${changes.length} changes, ${noise.length} no-op records)`,
    html: `${table(
      'enforcement',
      HEADERS,
      changes.map((x) => row(x, disabledRoles)),
    )}
${
  noise.length > 0
    ? `<details id="enforcement-noise"><summary>${noise.length} records that changed nothing (${e(noiseCounts)})</summary>${table(
        'enforcement-noop',
        HEADERS,
        noise.map((x) => row(x, disabledRoles)),
      )}</details>`
    : ''
}`,
  };
};
