/**
 * What Rekognition can take: JPEG or PNG, at most 15 MB from S3 and 5 MB as inline bytes.
 * Checked here so a call is never spent on something Rekognition would refuse.
 */

export const MAX_S3_OBJECT_BYTES = 15 * 1024 * 1024;
export const MAX_INLINE_BYTES = 5 * 1024 * 1024;
/** How many leading bytes the format check needs. */
export const SNIFF_BYTES = 8;

export type ImageFormat = 'jpeg' | 'png';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format named by the magic bytes, or undefined for anything else. */
export const sniffImageFormat = (head: Uint8Array): ImageFormat | undefined => {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((byte, i) => head[i] === byte)) return 'png';
  return undefined;
};

/** Why a size is unacceptable, or undefined when it is fine. */
export const sizeProblem = (bytes: number): string | undefined => {
  if (!Number.isFinite(bytes) || bytes <= 0) return 'the object is empty';
  if (bytes > MAX_S3_OBJECT_BYTES)
    return `the object has ${bytes} bytes, over the ${MAX_S3_OBJECT_BYTES}-byte Rekognition limit`;
  return undefined;
};
