/**
 * The face engine with the real model (loaded once for this file).
 */
import * as tf from '@tensorflow/tfjs-core';
import { FaceEngine, InvalidImageFormatError, similarity } from '../../../local/face-engine';
import { astronautRetaken, decodePng, fixture, mirror, toJpeg } from '../../../local/face-engine/derived-images';

const engine = new FaceEngine();

beforeAll(async () => {
  await engine.load();
});

describe('FaceEngine', () => {
  it('loads the model once and shares it', async () => {
    const [a, b] = await Promise.all([engine.load(), engine.load()]);

    expect(a).toBe(b);
    expect(engine.stats.loadMs).toBeGreaterThan(0);
    expect(a.tf.getBackend()).toBe('wasm');
  });

  it('gives each face a 1024-float embedding and a confidence from 0 to 100', async () => {
    const { faces, width, height } = await engine.detect(fixture('astronaut.png'));

    expect([width, height]).toEqual([512, 512]);
    expect(faces).toHaveLength(1);
    expect(faces[0].embedding).toHaveLength(1024);
    expect(faces[0].Confidence).toBeGreaterThan(0);
    expect(faces[0].Confidence).toBeLessThanOrEqual(100);
  });

  it('finds the face on a grayscale photo', async () => {
    const { faces } = await engine.detect(fixture('camera.png'));

    expect(faces).toHaveLength(1);
  });

  it('places the box of a mirrored photo mirrored', async () => {
    const original = (await engine.detect(fixture('astronaut.png'))).faces[0].BoundingBox;
    const mirrored = (await engine.detect(toJpeg(mirror(decodePng(fixture('astronaut.png'))), 90))).faces[0]
      .BoundingBox;

    expect(mirrored.Left + mirrored.Width).toBeCloseTo(1 - original.Left, 1);
    expect(mirrored.Top).toBeCloseTo(original.Top, 1);
  });

  it('scores the same person above 80 and a different person below it', async () => {
    const [astronaut, retaken, camera] = await Promise.all(
      [fixture('astronaut.png'), astronautRetaken(), fixture('camera.png')].map(
        async (bytes) => (await engine.detect(bytes)).faces[0],
      ),
    );

    expect(similarity(astronaut.embedding, retaken.embedding)).toBeGreaterThan(80);
    expect(similarity(astronaut.embedding, camera.embedding)).toBeLessThan(80);
  });

  it('gives the same answer to concurrent calls as to one call', async () => {
    const alone = await engine.detect(fixture('camera.png'));

    const together = await Promise.all([
      engine.detect(fixture('camera.png')),
      engine.detect(fixture('coffee.png')),
      engine.detect(fixture('camera.png')),
    ]);

    expect(together[0].faces).toEqual(alone.faces);
    expect(together[1].faces).toEqual([]);
    expect(together[2].faces).toEqual(alone.faces);
  });

  it('releases its tensors after each call', async () => {
    await engine.detect(fixture('astronaut.png'));
    const before = tf.memory().numTensors;

    await engine.detect(fixture('astronaut.png'));
    await engine.detect(fixture('coffee.png'));

    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bytes that are not an image before running the model', async () => {
    const detections = engine.stats.detections;

    await expect(engine.detect(new TextEncoder().encode('GIF89a'))).rejects.toBeInstanceOf(InvalidImageFormatError);
    expect(engine.stats.detections).toBe(detections);
  });
});
