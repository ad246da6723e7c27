/** Recognised uploads with their face boxes and match scores; a denied upload's image is never shown. */
import type { ObjectRef } from '../../../lambda/shared/decision';
import { decisionLink, e, type ReportSection, resultAnchor } from '../html-kit';
import { thumbnailDataUrl } from '../thumbnail';
import type { ReviewReport, UploadImageInput, UploadRow } from '../types';

const objectKey = (o: ObjectRef): string => `${o.bucket}\n${o.key}\n${o.versionId ?? ''}`;

const figure = (row: UploadRow, dataUrl: string | undefined): string => {
  const boxes = (row.recognition?.boxes ?? [])
    .map(
      (b) =>
        `<div class="box" style="left:${(b.left * 100).toFixed(2)}%;top:${(b.top * 100).toFixed(2)}%;width:${(b.width * 100).toFixed(2)}%;height:${(b.height * 100).toFixed(2)}%"><span>${e(b.label)}</span></div>`,
    )
    .join('');
  const matches = row.recognition?.matches ?? [];
  const matchList =
    matches.length > 0
      ? `<ol class="matches">${matches.map((m) => `<li>${e(m.externalImageId ?? m.faceId)}: similarity ${m.similarity.toFixed(1)}% <code>${e(m.faceId)}</code></li>`).join('')}</ol>`
      : row.recognition?.operation === 'SearchFacesByImage'
        ? '<p>No match above the threshold.</p>'
        : '';
  const picture =
    dataUrl !== undefined
      ? `<div class="frame"><img alt="${e(row.object?.key ?? '')}" src="${dataUrl}">${boxes}</div>`
      : '<p class="warn">(image not embedded)</p>';
  return `<figure id="${e(resultAnchor(row.decisionId))}" data-decision-id="${e(row.decisionId)}" data-org="${e(row.attributedTo)}" data-effect="${e(row.effect)}" data-reason="${e(row.reason)}">${picture}<figcaption><code>${e(row.object?.key ?? '')}</code><br>${e(row.orgId)}: ${e(row.recognition?.operation ?? row.outcome ?? '')}, ${row.recognition?.faceCount ?? 0} face(s); decision ${decisionLink(row.decisionId)}</figcaption>${matchList}</figure>`;
};

export const recognitionSection = (report: ReviewReport, images: readonly UploadImageInput[]): ReportSection => {
  const recognised = report.uploads.filter((row) => row.recognition !== undefined);
  // Thumbnails only for the uploads shown with their results: the page never shows a denied image.
  const shown = new Set(recognised.flatMap((row) => (row.object ? [objectKey(row.object)] : [])));
  const dataUrls = new Map<string, string>();
  for (const image of images) {
    const id = objectKey(image.object);
    if (!shown.has(id) || dataUrls.has(id)) continue;
    const url = thumbnailDataUrl(image.bytes);
    if (url !== undefined) dataUrls.set(id, url);
  }
  return {
    id: 'recognition-results',
    title: `Recognition results (${recognised.length})`,
    html: `<div class="figures" id="recognition">${recognised.map((row) => figure(row, row.object ? dataUrls.get(objectKey(row.object)) : undefined)).join('\n')}</div>`,
  };
};
