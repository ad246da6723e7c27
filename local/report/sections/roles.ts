/** "Roles disabled": which restricted roles were disabled, from when, until when, and what restored them. */
import { e, instant, type ReportSection, table } from '../html-kit';
import { roleAnchor, roleName } from '../roles';
import type { ReviewReport } from '../types';

export const rolesSection = (report: ReviewReport): ReportSection => ({
  id: 'roles',
  title: `Roles disabled (${report.rolesDisabled.filter((row) => row.disabledAt !== undefined).length})`,
  html: table(
    'roles-disabled',
    ['Role', 'Organisation', 'Disabled at', 'Until', 'Restored at', 'Trigger'],
    report.rolesDisabled.map(
      (row) =>
        `<tr id="${e(roleAnchor(row.role))}" class="${row.disabledAt === undefined ? 'violation' : ''}" data-role="${e(row.role)}" data-org="${e(row.orgId ?? '')}"><td><strong>${e(roleName(row.role))}</strong><br><code>${e(row.role)}</code></td><td>${e(row.orgId ?? 'unregistered')} (${e(row.category)})</td><td>${e(instant(row.disabledAt)) || '<strong>never disabled</strong>'}</td><td>${e(instant(row.until))}</td><td>${e(instant(row.restoredAt)) || (row.disabledAt !== undefined ? 'not restored' : '')}${row.restoredBy !== undefined ? `<br><small>${e(row.restoredBy)}</small>` : ''}</td><td>${row.disabledAt !== undefined ? e(row.trigger) : ''}${row.reapplied > 0 ? `<br><strong>re-applied ${row.reapplied}x (tamper)</strong>` : ''}</td></tr>`,
    ),
  ),
});
