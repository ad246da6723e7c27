/**
 * The scenario's photos: the committed fixtures, and copies derived from them at run time
 * (mirrored, cropped, re-encoded), so "another photo of the same person" needs no extra file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { REPO_ROOT } from '../../lib/constructs/shared/house-function';

/** Where the fixture photos live (see its README for their licences). */
export const FIXTURE_IMAGES = join(REPO_ROOT, 'test', 'fixtures', 'images');

export type FixtureName = 'astronaut.png' | 'camera.png' | 'coffee.png';

interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

export const fixtureImage = (name: FixtureName): Uint8Array => new Uint8Array(readFileSync(join(FIXTURE_IMAGES, name)));

const decodePng = (bytes: Uint8Array): Pixels => {
  const png = PNG.sync.read(Buffer.from(bytes));
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
};

/** Left-right mirror and a crop in one pass: the crop window is taken from the mirrored image. */
const mirrorAndCrop = (image: Pixels, left: number, top: number, width: number, height: number): Pixels => {
  const w = Math.min(width, image.width - left);
  const h = Math.min(height, image.height - top);
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sourceX = image.width - 1 - (left + x);
      const from = ((top + y) * image.width + sourceX) * 4;
      out.set(image.rgba.subarray(from, from + 4), (y * w + x) * 4);
    }
  }
  return { width: w, height: h, rgba: out };
};

/**
 * The astronaut "photographed again": mirrored, cropped off-centre and saved as a JPEG at
 * quality 70. The local engine measured her at Similarity ~97 against the original.
 */
export const astronautRetaken = (): Uint8Array => {
  const copy = mirrorAndCrop(decodePng(fixtureImage('astronaut.png')), 120, 10, 320, 320);
  return new Uint8Array(jpeg.encode({ width: copy.width, height: copy.height, data: Buffer.from(copy.rgba) }, 70).data);
};

/** Bytes that are not an image at all (a text note uploaded by mistake). */
export const notAnImage = (): Uint8Array => new TextEncoder().encode('Meeting notes: this is not a photo.\n');
