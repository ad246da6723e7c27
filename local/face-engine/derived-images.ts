/**
 * Test photos and copies derived from them at test time: mirrored, cropped, re-encoded. A derived
 * copy of a photo is "another photo of the same person" that no committed file has to carry.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** RGBA pixels, 4 bytes per pixel. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** The committed test photos (test/fixtures/images). */
export const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures', 'images');

/** The bytes of a committed test photo. */
export const fixture = (name: 'astronaut.png' | 'camera.png' | 'coffee.png'): Uint8Array =>
  new Uint8Array(readFileSync(path.join(FIXTURES, name)));

export const decodePng = (bytes: Uint8Array): Pixels => {
  const png = PNG.sync.read(Buffer.from(bytes));
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
};

/** Mirror image (left-right). */
export const mirror = (image: Pixels): Pixels => {
  const out = new Uint8Array(image.rgba.length);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const from = (y * image.width + (image.width - 1 - x)) * 4;
      out.set(image.rgba.subarray(from, from + 4), (y * image.width + x) * 4);
    }
  }
  return { ...image, rgba: out };
};

/** The `width` x `height` region whose top-left corner is (`left`, `top`). */
export const crop = (image: Pixels, left: number, top: number, width: number, height: number): Pixels => {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * 4;
    out.set(image.rgba.subarray(from, from + width * 4), y * width * 4);
  }
  return { width, height, rgba: out };
};

export const toJpeg = (image: Pixels, quality = 75): Uint8Array =>
  new Uint8Array(
    jpeg.encode({ width: image.width, height: image.height, data: Buffer.from(image.rgba) }, quality).data,
  );

export const toPng = (image: Pixels): Uint8Array => {
  const png = new PNG({ width: image.width, height: image.height });
  Buffer.from(image.rgba).copy(png.data);
  return new Uint8Array(PNG.sync.write(png));
};

/** The astronaut again, as another photo would show her: mirrored, cropped off-centre, JPEG. */
export const astronautRetaken = (): Uint8Array => {
  const original = decodePng(fixture('astronaut.png'));
  return toJpeg(crop(mirror(original), 120, 10, 320, 320), 70);
};
