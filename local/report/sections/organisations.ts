/** Every registered organisation, with its roles and what happened to its uploads (none is a fact too). */
import { e, type ReportSection, table } from '../html-kit';
import type { ReviewReport } from '../types';

export const organisationsSection = (report: ReviewReport): ReportSection => ({
  id: 'organisations',
  title: `Organisations (${report.organisations.length})`,
  html: table(
    'organisations-table',
    ['Organisation', 'Category', 'Roles', 'Uploads', 'Allowed', 'Denied', 'Outcomes'],
    report.organisations.map(
      (org) =>
        `<tr data-org="${e(org.id)}" data-uploads="${org.uploads}"><td><strong>${e(org.id)}</strong><br><small>${e(org.displayName)}</small></td><td>${e(org.category)}${org.restricted ? ' (restricted)' : ''}</td><td>${org.roles.map((r) => `<code>${e(r)}</code>`).join('<br>')}</td><td>${org.uploads}</td><td>${org.allowed}</td><td>${org.denied}</td><td>${e(
          Object.entries(org.outcomes)
            .map(([kind, n]) => `${kind} ${n}`)
            .join(', ') || 'no uploads',
        )}</td></tr>`,
    ),
  ),
});
