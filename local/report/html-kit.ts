/**
 * Small pieces every section of the report page uses: escaping, tables, anchors. Every piece of
 * text from the run (keys, principal ids, details) goes through `escapeHtml`: uploads are untrusted.
 */

/** Escape text for HTML element content and quoted attribute values. */
export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export const e = escapeHtml;

/** One section of the page: the table of contents lists them in order. */
export interface ReportSection {
  /** The section's element id (and its link target in the table of contents). */
  readonly id: string;
  readonly title: string;
  /** The section's body (without its heading). */
  readonly html: string;
}

/** The page anchor of a decision's row in the decisions table. */
export const decisionAnchor = (decisionId: string): string => `d-${decisionId}`;

/** The page anchor of a decision's entry in "Quarantined objects". */
export const quarantineAnchor = (decisionId: string): string => `q-${decisionId}`;

/** The page anchor of a decision's figure in "Recognition results". */
export const resultAnchor = (decisionId: string): string => `r-${decisionId}`;

/** A link to a decision's row, showing a short id (full id in the tooltip). */
export const decisionLink = (decisionId: string): string =>
  `<a class="decision-link" href="#${e(decisionAnchor(decisionId))}" title="${e(decisionId)}"><code>${e(decisionId.slice(0, 12))}</code></a>`;

export const table = (id: string, headers: readonly string[], rows: readonly string[], className = ''): string =>
  `<table id="${e(id)}"${className ? ` class="${e(className)}"` : ''}><thead><tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;

export const countsTable = (title: string, counts: Readonly<Record<string, number>>): string =>
  `<table class="count" data-count="${e(title)}"><thead><tr><th>${e(title)}</th><th>n</th></tr></thead><tbody>${Object.entries(
    counts,
  )
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `<tr><td>${e(k)}</td><td>${n}</td></tr>`)
    .join('')}</tbody></table>`;

/** An instant as `2027-06-10 00:00:00Z` (shorter than ISO, still unambiguous). */
export const instant = (iso: string | undefined): string =>
  iso === undefined || iso === '' ? '' : iso.replace('T', ' ').replace(/\.000Z$/, 'Z');
