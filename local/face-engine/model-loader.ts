/**
 * Loading @vladmandic/human offline on Node with the tfjs WASM backend.
 *
 * Three things the package does not do by itself on this machine:
 * - its `exports` map sends Node to the tfjs-node build (a native library that does not install
 *   here) and blocks deep imports, so the WASM build is required by absolute path, found next to
 *   the main entry;
 * - the WASM backend fetches its `.wasm` files from a CDN unless `wasmPath` points at the installed
 *   @tensorflow/tfjs-backend-wasm;
 * - Node's `fetch` cannot read `file://` URLs, so a tfjs load router reads the model JSON and
 *   weight files from the package's `models/` folder.
 */

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Config, Human } from '@vladmandic/human';
import { ModelError } from './errors';

type HumanModule = typeof import('@vladmandic/human');

/** Where the installed package's files are. */
export const humanPaths = () => {
  const dist = path.dirname(require.resolve('@vladmandic/human'));
  return {
    dist,
    wasmBuild: path.join(dist, 'human.node-wasm.js'),
    models: path.join(dist, '..', 'models'),
    packageJson: path.join(dist, '..', 'package.json'),
    wasmFiles: path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')),
  };
};

/** The installed @vladmandic/human version (read from disk: the exports map hides package.json). */
export const humanVersion = (): string =>
  (JSON.parse(readFileSync(humanPaths().packageJson, 'utf8')) as { version: string }).version;

const toArrayBuffer = (b: Buffer): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** A tfjs IOHandler that reads a graph model (model.json + weight shards) from the file system. */
const fileModelHandler = (modelJsonPath: string): tf.io.IOHandler => ({
  load: async () => {
    const modelJson = JSON.parse(await readFile(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
    return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      const shards: ArrayBuffer[] = [];
      for (const group of manifest) {
        for (const shard of group.paths)
          shards.push(toArrayBuffer(await readFile(path.join(path.dirname(modelJsonPath), shard))));
      }
      return [tf.io.getWeightSpecs(manifest), tf.io.concatenateArrayBuffers(shards)];
    });
  },
});

let routerRegistered = false;
const registerFileRouter = (): void => {
  if (routerRegistered) return;
  routerRegistered = true;
  tf.io.registerLoadRouter((url: string | string[]) => {
    const first = Array.isArray(url) ? url[0] : url;
    if (typeof first === 'string' && first.startsWith('file://'))
      return fileModelHandler(first.slice('file://'.length));
    // tfjs skips a router that returns null; its type does not say so.
    return null as unknown as tf.io.IOHandler;
  });
};

/**
 * The configuration for still photos: the video-oriented defaults (result caching between
 * frames, skipping frames, temporal filters) are off, and so is everything but faces. The face
 * mesh stays on: it re-scores each detection, which removed a false face seen without it.
 */
export const stillImageConfig = (maxFaces: number): Partial<Config> => {
  const paths = humanPaths();
  return {
    backend: 'wasm',
    wasmPath: `${paths.wasmFiles}${path.sep}`,
    modelBasePath: `file://${paths.models}${path.sep}`,
    debug: false,
    async: false,
    warmup: 'none',
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { enabled: true, rotation: false, maxDetected: maxFaces, minConfidence: 0.2, return: false },
      mesh: { enabled: true },
      attention: { enabled: false },
      iris: { enabled: false },
      description: { enabled: true },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
    },
  };
};

/**
 * Creates a Human instance and loads its models. Callers normally go through `FaceEngine`, which
 * keeps one shared promise of this.
 *
 * @throws ModelError when the package, the WASM backend or a model cannot be loaded.
 */
export const loadHuman = async (maxFaces: number): Promise<Human> => {
  try {
    registerFileRouter();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an absolute path the exports map cannot block
    const module = require(humanPaths().wasmBuild) as HumanModule;
    const human = new module.Human(stillImageConfig(maxFaces));
    await human.load();
    await human.tf.ready();
    if (human.tf.getBackend() !== 'wasm')
      throw new Error(`expected the wasm backend, got ${String(human.tf.getBackend())}`);
    return human;
  } catch (error) {
    throw new ModelError(`Loading the face model failed: ${(error as Error).message}`, { cause: error });
  }
};
