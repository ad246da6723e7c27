/**
 * Measures the local face engine on this machine: model load time, per-image decode and
 * detect+embed time, peak RSS, and the similarities it gives for same / different people.
 *
 *   node --import tsx local/face-engine/measure.ts
 *
 * Prints one JSON object. The photos are the committed test fixtures and copies derived from
 * them (mirrored, cropped, re-encoded), as the tests use, plus the group photo in the installed
 * @vladmandic/human package (read in place, not committed) for more pairs of different people.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { astronautRetaken, crop, decodePng, fixture, mirror, toJpeg } from './derived-images';
import { FaceEngine } from './engine';
import { decodeImage } from './image';
import { humanPaths } from './model-loader';
import { cosine, similarityFromCosine } from './similarity';

const ms = (from: number): number => Math.round(performance.now() - from);

const main = async (): Promise<void> => {
  const engine = new FaceEngine();
  let started = performance.now();
  const human = await engine.load();
  const loadMs = ms(started);

  const astronaut = decodePng(fixture('astronaut.png'));
  const images: Record<string, Uint8Array> = {
    astronaut: fixture('astronaut.png'),
    'astronaut mirrored (JPEG q95)': toJpeg(mirror(astronaut), 95),
    'astronaut cropped (JPEG q80)': toJpeg(crop(astronaut, 100, 0, 300, 300), 80),
    'astronaut re-encoded (JPEG q40)': toJpeg(astronaut, 40),
    'astronaut mirrored+cropped+JPEG q70': astronautRetaken(),
    camera: fixture('camera.png'),
    coffee: fixture('coffee.png'),
  };

  const perImage: Record<string, { decodeMs: number; detectEmbedMs: number; faces: number }> = {};
  const embeddings: Record<string, number[]> = {};
  for (const [name, bytes] of Object.entries(images)) {
    started = performance.now();
    decodeImage(bytes);
    const decodeMs = ms(started);
    const detection = await engine.detect(bytes);
    perImage[name] = { decodeMs, detectEmbedMs: detection.modelMs, faces: detection.faces.length };
    if (detection.faces[0]) embeddings[name] = detection.faces[0].embedding;
  }

  const base = embeddings.astronaut;
  const againstAstronaut = Object.fromEntries(
    Object.entries(embeddings)
      .filter(([name]) => name !== 'astronaut')
      .map(([name, e]) => {
        const c = cosine(base, e);
        return [name, { cosine: Math.round(c * 1000) / 1000, similarity: similarityFromCosine(c) }];
      }),
  );

  // Different people: the faces of the group photo that ships with @vladmandic/human, pairwise.
  const group = (await engine.detect(readFileSync(path.join(humanPaths().dist, '..', 'assets', 'samples.jpg')))).faces;
  const pairwise: number[] = [];
  for (let i = 0; i < group.length; i++) {
    for (let j = i + 1; j < group.length; j++) pairwise.push(cosine(group[i].embedding, group[j].embedding));
    pairwise.push(cosine(base, group[i].embedding));
  }
  const differentPeople = {
    faces: group.length + 1,
    pairs: pairwise.length,
    minCosine: Math.round(Math.min(...pairwise) * 1000) / 1000,
    maxCosine: Math.round(Math.max(...pairwise) * 1000) / 1000,
    maxSimilarity: similarityFromCosine(Math.max(...pairwise)),
  };

  console.log(
    JSON.stringify(
      {
        backend: human.tf.getBackend(),
        wasmThreads: human.tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
        wasmSimd: human.tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
        modelVersion: engine.modelVersion,
        loadMs,
        perImage,
        againstAstronaut,
        differentPeople,
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      null,
      2,
    ),
  );
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
