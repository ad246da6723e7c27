/**
 * The window at a glance: an inline SVG timeline (no script, no network) with the moratorium
 * shaded, one lane per organisation with its uploads (green allowed, red denied; each links to
 * its decision), and a lane of enforcement events that changed a role (disabled, re-applied,
 * restored; the no-op records are left out as on the enforcement table).
 */
import { decisionAnchor, e, instant, type ReportSection } from '../html-kit';
import { isNoise, isRoleEntry, roleAnchor, roleName } from '../roles';
import type { ReviewReport } from '../types';

const WIDTH = 1000;
const LEFT = 150;
const RIGHT = 20;
const LANE = 30;
const TOP = 24;

const ENFORCEMENT_COLOURS: Readonly<Record<string, string>> = { DISABLED: '#cf222e', RESTORED: '#1a7f37' };

export const chartSection = (report: ReviewReport): ReportSection => {
  const { start, end } = report.moratorium;
  const events = report.enforcement.filter((entry) => isRoleEntry(entry) && !isNoise(entry));
  const times = [
    Date.parse(start),
    Date.parse(end),
    ...report.uploads.map((row) => Date.parse(row.at)),
    ...events.map((entry) => Date.parse(entry.at)),
  ].filter((t) => !Number.isNaN(t));
  const span = Math.max(...times) - Math.min(...times) || 86_400_000;
  const from = Math.min(...times) - span * 0.04;
  const to = Math.max(...times) + span * 0.04;
  const x = (iso: string): number => LEFT + ((Date.parse(iso) - from) / (to - from)) * (WIDTH - LEFT - RIGHT);
  const orgIds = report.organisations.map((org) => org.id);
  const lanes = ['role enforcement', ...orgIds];
  const height = TOP + lanes.length * LANE + 30;
  const laneY = (index: number): number => TOP + index * LANE + LANE / 2;

  const laneLines = lanes
    .map(
      (name, index) =>
        `<text x="${LEFT - 8}" y="${laneY(index) + 4}" text-anchor="end" class="lane">${e(name)}</text><line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${laneY(index)}" y2="${laneY(index)}" class="lane-line"/>`,
    )
    .join('');
  const ticks = Array.from({ length: 6 }, (_, i) => from + ((to - from) * (i + 0.5)) / 6)
    .map((t) => {
      const iso = new Date(t).toISOString();
      return `<line x1="${x(iso).toFixed(1)}" x2="${x(iso).toFixed(1)}" y1="${TOP}" y2="${height - 26}" class="tick"/><text x="${x(iso).toFixed(1)}" y="${height - 10}" text-anchor="middle" class="axis">${iso.slice(0, 10)}</text>`;
    })
    .join('');
  const band = `<rect x="${x(start).toFixed(1)}" y="${TOP - 14}" width="${(x(end) - x(start)).toFixed(1)}" height="${lanes.length * LANE + 14}" class="window"><title>moratorium ${e(instant(start))} to ${e(instant(end))}</title></rect><text x="${((x(start) + x(end)) / 2).toFixed(1)}" y="${TOP - 3}" text-anchor="middle" class="axis">moratorium</text>`;
  const uploads = report.uploads
    .map((row) => {
      const lane = lanes.indexOf(row.attributedTo);
      const fill = row.effect === 'ALLOW' ? '#1a7f37' : '#cf222e';
      return `<a href="#${e(decisionAnchor(row.decisionId))}"><circle cx="${x(row.at).toFixed(1)}" cy="${laneY(lane)}" r="6" fill="${fill}" class="upload" data-effect="${e(row.effect)}"><title>${e(instant(row.at))} ${e(row.attributedTo)} ${e(row.operation)}: ${e(row.effect)} ${e(row.reason)} -&gt; ${e(row.outcome ?? 'no outcome')}</title></circle></a>`;
    })
    .join('');
  const enforcement = events
    .map((entry) => {
      const cx = x(entry.at);
      const fill = ENFORCEMENT_COLOURS[entry.action] ?? '#9a6700';
      return `<a href="#${e(roleAnchor(entry.role))}"><rect x="${(cx - 5).toFixed(1)}" y="${laneY(0) - 5}" width="10" height="10" fill="${fill}" class="enforcement" data-action="${e(entry.action)}"><title>${e(instant(entry.at))} ${e(roleName(entry.role))}: ${e(entry.action)} (${e(entry.trigger)})</title></rect></a>`;
    })
    .join('');
  return {
    id: 'chart',
    title: 'Timeline',
    html: `<svg id="timeline-chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="Uploads and role enforcement over the moratorium window" xmlns="http://www.w3.org/2000/svg">${band}${ticks}${laneLines}${uploads}${enforcement}</svg>
<p class="legend"><span class="dot allow"></span> allowed upload <span class="dot deny"></span> denied upload <span class="sq disabled"></span> role disabled <span class="sq restored"></span> role restored <span class="sq other"></span> other enforcement change; shaded: the moratorium. Click a mark for its record.</p>`,
  };
};
