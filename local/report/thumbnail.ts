/**
 * Small JPEG copies of uploads for the report page. Embedding originals made a six-photo page
 * 4 MB; a 480 px copy keeps it light, and face boxes are ratios, so they stay where they were.
 * Decoding in JS (jpeg-js, pngjs) is what the face engine does too: no native image library.
 */
import { decode as decodeJpeg, encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';

export interface Rgba {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes per pixel, rows top to bottom. */
  readonly data: Uint8Array;
}

/** `image/jpeg` or `image/png` by magic number; anything else is not embedded. */
export const imageMimeOf = (bytes: Uint8Array): 'image/jpeg' | 'image/png' | undefined => {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'image/png';
  return undefined;
};

/** Decode a JPEG or PNG to RGBA; undefined for anything else or a broken file. */
export const decodeImage = (bytes: Uint8Array): Rgba | undefined => {
  try {
    const mime = imageMimeOf(bytes);
    if (mime === 'image/jpeg') {
      const image = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
      return { width: image.width, height: image.height, data: image.data };
    }
    if (mime === 'image/png') {
      const image = PNG.sync.read(Buffer.from(bytes));
      return { width: image.width, height: image.height, data: image.data };
    }
  } catch {
    // A file that claims to be an image but does not decode is simply not shown.
  }
  return undefined;
};

/** Shrink so the longer side is at most `maxSide`, averaging the source pixels each target pixel covers. */
export const downscale = (image: Rgba, maxSide: number): Rgba => {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  if (scale === 1) return image;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    const y0 = Math.floor((y * image.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * image.height) / height));
    for (let x = 0; x < width; x += 1) {
      const x0 = Math.floor((x * image.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * image.width) / width));
      const sum = [0, 0, 0, 0];
      for (let sy = y0; sy < y1; sy += 1) {
        for (let sx = x0; sx < x1; sx += 1) {
          const i = (sy * image.width + sx) * 4;
          for (let c = 0; c < 4; c += 1) sum[c]! += image.data[i + c]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      for (let c = 0; c < 4; c += 1) data[(y * width + x) * 4 + c] = Math.round(sum[c]! / n);
    }
  }
  return { width, height, data };
};

/**
 * A `data:image/jpeg;base64,...` thumbnail of a JPEG or PNG upload, or undefined when the bytes
 * are not a decodable JPEG/PNG (a non-image upload is never embedded).
 *
 * @example
 * const src = thumbnailDataUrl(bytes); // ~20-40 KB for a 512 px photo
 */
export const thumbnailDataUrl = (bytes: Uint8Array, maxSide = 480, quality = 80): string | undefined => {
  const decoded = decodeImage(bytes);
  if (decoded === undefined) return undefined;
  const small = downscale(decoded, maxSide);
  const jpeg = encodeJpeg({ width: small.width, height: small.height, data: Buffer.from(small.data) }, quality);
  return `data:image/jpeg;base64,${Buffer.from(jpeg.data).toString('base64')}`;
};
