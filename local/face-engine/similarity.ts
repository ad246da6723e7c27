/**
 * From embeddings to Rekognition's `Similarity` (0-100).
 *
 * The model (faceres in @vladmandic/human) gives each face a 1024-float embedding; two faces are
 * compared by the cosine of their embeddings. Rekognition's scale is not a cosine, and callers
 * pick thresholds on Rekognition's scale (FaceMatchThreshold defaults to 80), so the cosine is
 * mapped piecewise-linearly through three anchors:
 *
 * | cosine | Similarity | why |
 * | --- | --- | --- |
 * | <= 0.35 | 0 | typical of unrelated faces |
 * | 0.65 | 80 | the cosine that separated same from different people in our samples, put on Rekognition's default threshold |
 * | 1.00 | 100 | identical embeddings |
 *
 * Seen on this model: same person (different photos) 0.72-0.90, derived copies (flip, crop,
 * re-encode) 0.94-0.98, different people 0.05-0.56. So a different person scores at most ~56
 * and the same person ~84 or more: the default threshold of 80 separates them with a margin on
 * both sides. The mapping is monotonic, so ranking by Similarity is ranking by cosine.
 */

/** Cosine below which Similarity is 0. */
export const COSINE_FLOOR = 0.35;
/** Cosine that maps to Similarity 80, Rekognition's default match threshold. */
export const COSINE_AT_DEFAULT_THRESHOLD = 0.65;
/** Similarity that `COSINE_AT_DEFAULT_THRESHOLD` maps to. */
export const DEFAULT_THRESHOLD = 80;

/** Cosine similarity of two equally long vectors, in [-1, 1]; 0 when either is all zeros. */
export const cosine = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) throw new RangeError(`Embeddings differ in length: ${a.length} vs ${b.length}`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  if (normA === 0 || normB === 0) return 0;
  return dot / Math.sqrt(normA * normB);
};

/**
 * Maps a cosine to Rekognition's 0-100 Similarity (see the table above), rounded to 3 decimals.
 *
 * @example
 * similarityFromCosine(0.65); // 80
 * similarityFromCosine(0.3);  // 0
 */
export const similarityFromCosine = (c: number): number => {
  let s: number;
  if (c <= COSINE_FLOOR) s = 0;
  else if (c <= COSINE_AT_DEFAULT_THRESHOLD)
    s = (DEFAULT_THRESHOLD * (c - COSINE_FLOOR)) / (COSINE_AT_DEFAULT_THRESHOLD - COSINE_FLOOR);
  else
    s =
      DEFAULT_THRESHOLD +
      ((100 - DEFAULT_THRESHOLD) * (c - COSINE_AT_DEFAULT_THRESHOLD)) / (1 - COSINE_AT_DEFAULT_THRESHOLD);
  return Math.round(Math.min(100, Math.max(0, s)) * 1000) / 1000;
};

/** Similarity (0-100) of two face embeddings. */
export const similarity = (a: ArrayLike<number>, b: ArrayLike<number>): number => similarityFromCosine(cosine(a, b));
