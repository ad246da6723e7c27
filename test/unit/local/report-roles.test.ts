import { buildReviewReport, renderReviewReportHtml } from '../../../local/report';
import { rolesDisabledOf } from '../../../local/report/roles';
import type { EnforcementEntry } from '../../../local/report/types';
import { reportInput, settings } from './fixtures/report-input';

const INVESTIGATIONS = 'arn:aws:iam::111111111111:role/govrec-police-investigations';
const ANALYSTS = 'arn:aws:iam::111111111111:role/govrec-police-analysts';
const NGO = 'arn:aws:iam::111111111111:role/govrec-ngo-child-rescue-uploader';
const START = '2027-06-10T00:00:00.000Z';
const END = '2028-06-10T00:00:00.000Z';

const entry = (role: string, action: string, at: string, extra: Partial<EnforcementEntry> = {}): EnforcementEntry => ({
  role,
  action,
  at,
  until: END,
  trigger: 'cloudtrail: PutObject',
  ...extra,
});

describe('rolesDisabledOf', () => {
  it('gives each disabled role its organisation, first disabling, end, restore and trigger', () => {
    const rows = rolesDisabledOf(settings, [
      entry(INVESTIGATIONS, 'RESTORED', END, { trigger: 'workflow Restore' }),
      entry(INVESTIGATIONS, 'DISABLED', START, { trigger: 'sweep: Sweep' }),
      entry(INVESTIGATIONS, 'REAPPLIED', '2027-07-01T00:00:00.000Z'),
      entry(INVESTIGATIONS, 'NOOP', '2027-06-15T09:00:00.000Z'),
      entry(NGO, 'NOT_RESTRICTED', '2027-06-15T12:00:00.000Z'),
      entry(NGO, 'OUTSIDE_WINDOW', '2027-05-01T09:00:00.000Z'),
    ]);
    expect(rows).toEqual([
      {
        role: INVESTIGATIONS,
        orgId: 'metro-police',
        category: 'police',
        disabledAt: START,
        until: END,
        restoredAt: END,
        restoredBy: 'workflow Restore',
        trigger: 'sweep: Sweep',
        reapplied: 1,
      },
      // Registered for a restricted organisation and never disabled: listed, as a finding.
      { role: ANALYSTS, orgId: 'metro-police', category: 'police', trigger: 'never disabled', reapplied: 0 },
    ]);
  });

  it('leaves out roles whose records changed nothing, and lists restricted roles never disabled', () => {
    const rows = rolesDisabledOf(settings, [entry(NGO, 'NOT_RESTRICTED', START)]);
    expect(rows.map((row) => [row.role, row.disabledAt])).toEqual([
      [ANALYSTS, undefined],
      [INVESTIGATIONS, undefined],
    ]);
  });
});

describe('the report page', () => {
  const input = reportInput({
    enforcement: [
      entry(INVESTIGATIONS, 'DISABLED', START, { trigger: 'sweep: Sweep' }),
      entry(NGO, 'NOT_RESTRICTED', '2027-06-15T12:00:00.000Z'),
      entry(NGO, 'OUTSIDE_WINDOW', '2027-05-01T09:00:00.000Z'),
    ],
  });
  const html = renderReviewReportHtml(buildReviewReport(input));

  it('opens with the headline, the roles summary and the chart, in that order', () => {
    const at = (marker: string) => html.indexOf(marker);
    expect(at('id="headline"')).toBeGreaterThan(0);
    expect(at('id="headline"')).toBeLessThan(at('<section id="roles">'));
    expect(at('<section id="roles">')).toBeLessThan(at('<section id="chart">'));
    expect(html).toContain('<nav id="toc"');
  });

  it('collapses the records that changed nothing and shows "until" only where a role was disabled', () => {
    const [shown, collapsed] = html.split('<details id="enforcement-noise">');
    expect(shown).toContain('<tr data-action="DISABLED">');
    expect(shown).not.toContain('data-action="NOT_RESTRICTED"');
    expect(collapsed).toContain(
      '<summary>2 records that changed nothing (NOT_RESTRICTED 1, OUTSIDE_WINDOW 1)</summary>',
    );
    expect(collapsed).not.toContain('2028-06-10 00:00:00Z');
  });

  it('links each quarantined object to its decision and gives the reason', () => {
    const quarantine = html.slice(
      html.indexOf('<table id="quarantine">'),
      html.indexOf('</table>', html.indexOf('<table id="quarantine">')),
    );
    expect(quarantine).toMatch(/<a class="decision-link" href="#d-d-police-during"/);
    expect(quarantine).toContain('MORATORIUM_IN_FORCE');
    expect(html).toContain('<tr id="d-d-police-during"');
  });

  it('marks each upload on the chart, linked to its decision', () => {
    const report = buildReviewReport(input);
    const marks = html.match(/<a href="#d-[^"]+"><circle/g) ?? [];
    expect(marks).toHaveLength(report.uploads.length);
  });
});
