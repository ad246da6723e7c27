/**
 * Reading face boxes and matches out of Rekognition responses (DetectFaces, SearchFacesByImage,
 * IndexFaces, CompareFaces), defensively: a result document is data, and a malformed one must
 * produce an empty view, not a broken page.
 */
import type { FaceBox, FaceMatchView, RecognitionView } from './types';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const ratio = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** A Rekognition BoundingBox as a box, clamped to the image; undefined when it is not one. */
export const boxOf = (value: unknown, label: string): FaceBox | undefined => {
  if (!isObject(value)) return undefined;
  const [left, top, width, height] = [ratio(value.Left), ratio(value.Top), ratio(value.Width), ratio(value.Height)];
  if (left === undefined || top === undefined || width === undefined || height === undefined) return undefined;
  return { left, top, width: Math.min(width, 1 - left), height: Math.min(height, 1 - top), label };
};

const percent = (value: number | undefined): string => (value === undefined ? '' : ` ${value.toFixed(1)}%`);

/**
 * The boxes to draw on the uploaded image and the matches to list. Only boxes that are *in the
 * uploaded image* are drawn: a search match's own BoundingBox is in the indexed image.
 *
 * @example
 * recognitionViewOf('SearchFacesByImage', { SearchedFaceBoundingBox: {...}, FaceMatches: [...] })
 */
export const recognitionViewOf = (operation: string, response: unknown): RecognitionView => {
  const r = isObject(response) ? response : {};
  const boxes: FaceBox[] = [];
  const matches: FaceMatchView[] = [];

  list(r.FaceDetails).forEach((face, index) => {
    const box = boxOf(face.BoundingBox, `face ${index + 1}${percent(num(face.Confidence))}`);
    if (box) boxes.push(box);
  });
  const searched = boxOf(r.SearchedFaceBoundingBox, `searched face${percent(num(r.SearchedFaceConfidence))}`);
  if (searched) boxes.push(searched);
  list(r.FaceMatches).forEach((match) => {
    const face = isObject(match.Face) ? match.Face : {};
    const similarity = num(match.Similarity);
    if (similarity === undefined) return;
    matches.push({
      faceId: typeof face.FaceId === 'string' ? face.FaceId : 'unknown',
      ...(typeof face.ExternalImageId === 'string' ? { externalImageId: face.ExternalImageId } : {}),
      similarity,
    });
    // CompareFaces puts the match's box in the target image, which is the uploaded one.
    if (operation === 'CompareFaces') {
      const box = boxOf(face.BoundingBox, `match${percent(similarity)}`);
      if (box) boxes.push(box);
    }
  });
  list(r.FaceRecords).forEach((record, index) => {
    const face = isObject(record.Face) ? record.Face : {};
    const id = typeof face.FaceId === 'string' ? ` ${face.FaceId.slice(0, 8)}` : '';
    const box = boxOf(face.BoundingBox, `indexed ${index + 1}${id}`);
    if (box) boxes.push(box);
  });
  const faceCount = list(r.FaceDetails).length + list(r.FaceRecords).length + (searched ? 1 : 0);
  return { operation, boxes, matches: matches.sort((a, b) => b.similarity - a.similarity), faceCount };
};
