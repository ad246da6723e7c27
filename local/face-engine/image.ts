/**
 * Image bytes -> pixels, with Rekognition's input rules: JPEG or PNG only, recognised by their
 * signature (never by a file name or a content type the caller claims), 5 MB as bytes.
 * Decoding happens in JavaScript (jpeg-js, pngjs) because no native image library is available.
 */
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ImageTooLargeError, InvalidImageFormatError } from './errors';

/** Largest image Rekognition accepts as `Image.Bytes`. */
export const MAX_BYTES_IMAGE = 5 * 1024 * 1024;
/** Largest image Rekognition accepts as `Image.S3Object`. */
export const MAX_S3_IMAGE = 15 * 1024 * 1024;

export type ImageFormat = 'jpeg' | 'png';

/** Decoded pixels, 3 bytes (R, G, B) per pixel, row by row. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format the bytes really are, or `undefined` when they are neither JPEG nor PNG. */
export const sniffFormat = (bytes: Uint8Array): ImageFormat | undefined => {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  return undefined;
};

/** Throws `ImageTooLargeError` when `bytes` exceed `limit`. */
export const assertSize = (bytes: Uint8Array, limit: number): void => {
  if (bytes.length > limit) throw new ImageTooLargeError(bytes.length, limit);
};

const rgbaToRgb = (rgba: Uint8Array, width: number, height: number): Uint8Array => {
  const rgb = new Uint8Array(width * height * 3);
  for (let src = 0, dst = 0; dst < rgb.length; src += 4, dst += 3) {
    rgb[dst] = rgba[src];
    rgb[dst + 1] = rgba[src + 1];
    rgb[dst + 2] = rgba[src + 2];
  }
  return rgb;
};

/**
 * Decodes JPEG or PNG bytes to RGB pixels. Alpha is dropped (as a camera image has none);
 * grayscale and palette PNGs come out of pngjs as RGBA too.
 *
 * @throws InvalidImageFormatError when the bytes are not JPEG/PNG or do not decode.
 */
export const decodeImage = (bytes: Uint8Array): RgbImage => {
  const format = sniffFormat(bytes);
  if (format === undefined) throw new InvalidImageFormatError('Request has invalid image format: not a JPEG or PNG');
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (format === 'jpeg') {
      // Bounded so that a hostile header cannot make the decoder allocate gigabytes.
      const decoded = jpeg.decode(buffer, { useTArray: true, maxResolutionInMP: 50, maxMemoryUsageInMB: 512 });
      return {
        width: decoded.width,
        height: decoded.height,
        rgb: rgbaToRgb(decoded.data, decoded.width, decoded.height),
      };
    }
    const decoded = PNG.sync.read(buffer);
    return {
      width: decoded.width,
      height: decoded.height,
      rgb: rgbaToRgb(decoded.data, decoded.width, decoded.height),
    };
  } catch (error) {
    throw new InvalidImageFormatError(
      `Request has invalid image format: the ${format.toUpperCase()} data does not decode`,
      {
        cause: error,
      },
    );
  }
};
