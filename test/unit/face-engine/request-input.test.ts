import { decodePng, fixture, toJpeg, toPng } from '../../../local/face-engine/derived-images';
import {
  ImageTooLargeError,
  InvalidImageFormatError,
  InvalidParameterError,
  InvalidS3ObjectError,
} from '../../../local/face-engine/errors';
import { decodeImage, MAX_BYTES_IMAGE, MAX_S3_IMAGE, sniffFormat } from '../../../local/face-engine/image';
import {
  collectionId,
  externalImageId,
  imageBytes,
  integerIn,
  numberIn,
} from '../../../local/face-engine/request-input';

const JPEG_START = [0xff, 0xd8, 0xff];
const PNG_START = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('sniffFormat', () => {
  it.each([
    ['JPEG', [...JPEG_START, 0xe0], 'jpeg'],
    ['PNG', [...PNG_START, 0], 'png'],
    ['GIF', [0x47, 0x49, 0x46, 0x38], undefined],
    ['PDF', [0x25, 0x50, 0x44, 0x46], undefined],
    ['empty bytes', [], undefined],
    ['a PNG signature cut short', PNG_START.slice(0, 7), undefined],
  ])('recognises %s by its signature', (_name, bytes, expected) => {
    expect(sniffFormat(new Uint8Array(bytes))).toBe(expected);
  });
});

describe('decodeImage', () => {
  const pixels = { width: 2, height: 1, rgba: new Uint8Array([255, 0, 0, 255, 0, 0, 255, 128]) };

  it('decodes a PNG to RGB, dropping alpha', () => {
    expect(decodeImage(toPng(pixels))).toEqual({ width: 2, height: 1, rgb: new Uint8Array([255, 0, 0, 0, 0, 255]) });
  });

  it('decodes a JPEG to its size', () => {
    const image = decodeImage(toJpeg(decodePng(fixture('coffee.png'))));

    expect([image.width, image.height, image.rgb.length]).toEqual([600, 400, 600 * 400 * 3]);
  });

  it.each([
    ['bytes that are not an image', new TextEncoder().encode('hello')],
    ['a truncated PNG', new Uint8Array([...PNG_START, 0, 0, 0, 13])],
    ['a truncated JPEG', new Uint8Array([...JPEG_START, 0xe0, 0, 16])],
  ])('rejects %s as an invalid image format', (_name, bytes) => {
    expect(() => decodeImage(bytes)).toThrow(InvalidImageFormatError);
  });
});

describe('imageBytes', () => {
  const jpeg = new Uint8Array([...JPEG_START, 1, 2, 3]);

  it('returns Bytes as they are', async () => {
    await expect(imageBytes({ Bytes: jpeg }, 'Image')).resolves.toBe(jpeg);
  });

  it.each([
    ['at the limit', MAX_BYTES_IMAGE, false],
    ['one byte over the limit', MAX_BYTES_IMAGE + 1, true],
  ])('checks Bytes %s', async (_name, size, rejected) => {
    const result = imageBytes({ Bytes: new Uint8Array(size) }, 'Image');

    if (rejected) await expect(result).rejects.toBeInstanceOf(ImageTooLargeError);
    else await expect(result).resolves.toHaveLength(size);
  });

  it('reads S3Object through the getter with bucket, key and version', async () => {
    const getter = jest.fn(async () => jpeg);

    await expect(
      imageBytes({ S3Object: { Bucket: 'b', Name: 'k.jpg', Version: 'v1' } }, 'Image', getter),
    ).resolves.toBe(jpeg);
    expect(getter).toHaveBeenCalledWith('b', 'k.jpg', 'v1');
  });

  it('allows S3 objects up to 15 MB', async () => {
    const getter = async () => new Uint8Array(MAX_S3_IMAGE + 1);

    await expect(imageBytes({ S3Object: { Bucket: 'b', Name: 'k' } }, 'Image', getter)).rejects.toBeInstanceOf(
      ImageTooLargeError,
    );
  });

  it.each([
    ['no getter is configured', undefined],
    ['the getter fails', async () => Promise.reject(new Error('NoSuchKey'))],
  ])('rejects S3Object as invalid when %s', async (_name, getter) => {
    await expect(imageBytes({ S3Object: { Bucket: 'b', Name: 'k' } }, 'Image', getter)).rejects.toBeInstanceOf(
      InvalidS3ObjectError,
    );
  });

  it.each([
    ['a missing image', undefined],
    ['an image with neither source', {}],
    ['an image with both sources', { Bytes: jpeg, S3Object: { Bucket: 'b', Name: 'k' } }],
    ['empty Bytes', { Bytes: new Uint8Array(0) }],
    ['an S3Object without a key', { S3Object: { Bucket: 'b' } }],
  ])('rejects %s as an invalid parameter', async (_name, image) => {
    await expect(imageBytes(image, 'Image', async () => jpeg)).rejects.toBeInstanceOf(InvalidParameterError);
  });
});

describe('request parameter rules', () => {
  it.each([
    ['ngo-faces', true],
    ['a.b_c-1', true],
    ['x'.repeat(255), true],
    ['x'.repeat(256), false],
    ['', false],
    ['../etc', false],
    ['with space', false],
    [42, false],
  ])('collectionId accepts %p: %p', (value, ok) => {
    if (ok) expect(collectionId(value)).toBe(value);
    else expect(() => collectionId(value)).toThrow(InvalidParameterError);
  });

  it.each([
    [undefined, true],
    ['case-17:photo.jpg', true],
    ['has/slash', false],
    ['', false],
  ])('externalImageId accepts %p: %p', (value, ok) => {
    if (ok) expect(externalImageId(value)).toBe(value);
    else expect(() => externalImageId(value)).toThrow(InvalidParameterError);
  });

  it.each([
    [undefined, 80],
    [0, 0],
    [100, 100],
    [-0.1, 'error'],
    [100.1, 'error'],
    ['80', 'error'],
  ])('numberIn(0..100, default 80) turns %p into %p', (value, expected) => {
    if (expected === 'error')
      expect(() => numberIn(value, 'FaceMatchThreshold', 0, 100, 80)).toThrow(InvalidParameterError);
    else expect(numberIn(value, 'FaceMatchThreshold', 0, 100, 80)).toBe(expected);
  });

  it('integerIn rejects fractions', () => {
    expect(() => integerIn(1.5, 'MaxFaces', 1, 100, 100)).toThrow(InvalidParameterError);
  });
});
