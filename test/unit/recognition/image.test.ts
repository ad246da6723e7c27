import { MAX_S3_OBJECT_BYTES, sizeProblem, sniffImageFormat } from '../../../lambda/recognition/image';

describe('sniffImageFormat', () => {
  it.each<[string, number[], string | undefined]>([
    ['JPEG (JFIF)', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'jpeg'],
    ['JPEG (Exif)', [0xff, 0xd8, 0xff, 0xe1], 'jpeg'],
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'png'],
    ['a truncated PNG signature', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a], undefined],
    ['GIF', [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], undefined],
    ['WebP', [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50], undefined],
    ['two JPEG bytes', [0xff, 0xd8], undefined],
    ['nothing', [], undefined],
  ])('identifies %s', (_label, bytes, format) => {
    expect(sniffImageFormat(Uint8Array.from(bytes))).toBe(format);
  });
});

describe('sizeProblem', () => {
  it.each<[number, boolean]>([
    [0, true],
    [1, false],
    [MAX_S3_OBJECT_BYTES, false],
    [MAX_S3_OBJECT_BYTES + 1, true],
    [Number.NaN, true],
  ])('judges %d bytes (problem: %s)', (bytes, problem) => {
    expect(sizeProblem(bytes) !== undefined).toBe(problem);
  });
});
