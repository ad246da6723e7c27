/**
 * The face engine: JPEG/PNG bytes in, faces out (Rekognition-style box and confidence, five
 * landmarks, pose, and a 1024-float embedding for matching). One model per engine, loaded on
 * first use and shared; detections run one at a time because the model keeps per-call state.
 */
import type { BoundingBox, Landmark, Pose } from '@aws-sdk/client-rekognition';
import * as tf from '@tensorflow/tfjs-core';
import type { FaceResult, Human } from '@vladmandic/human';
import { ModelError } from './errors';
import { decodeImage, type RgbImage } from './image';
import { humanVersion, loadHuman } from './model-loader';

/** One face found in an image. Geometry is in ratios of the image width/height, as Rekognition's. */
export interface DetectedFace {
  readonly BoundingBox: Required<Pick<BoundingBox, 'Width' | 'Height' | 'Left' | 'Top'>>;
  /** 0-100. */
  readonly Confidence: number;
  readonly Landmarks: Landmark[];
  readonly Pose?: Pose;
  /** The face descriptor (1024 floats) that similarity is computed on. */
  readonly embedding: number[];
}

/** What `detect` returns: the faces, largest first, and the decoded image size. */
export interface Detection {
  readonly width: number;
  readonly height: number;
  readonly faces: DetectedFace[];
  /** Milliseconds spent in the model (detection, mesh and embedding), decoding excluded. */
  readonly modelMs: number;
}

export interface FaceEngineOptions {
  /** Most faces reported per image (largest first). @default 20 */
  readonly maxFaces?: number;
  /** Faces scored below this (0-100) are not reported. @default 50 */
  readonly minConfidence?: number;
}

/** Counters for the report: how long loading took and how much the model has run. */
export interface EngineStats {
  loadMs?: number;
  detections: number;
  totalModelMs: number;
}

const round = (n: number, digits = 6): number => Math.round(n * 10 ** digits) / 10 ** digits;
const clamp01 = (n: number): number => Math.min(1, Math.max(0, n));
const degrees = (radians: number): number => round((radians * 180) / Math.PI, 3);

// MediaPipe face-mesh indices: eye corners, nose tip, mouth corners. "Left" is the image's left
// for a frontal face, which is where Rekognition puts eyeLeft/mouthLeft.
const MESH = { eyeLeft: [33, 133], eyeRight: [362, 263], nose: [1], mouthLeft: [61], mouthRight: [291] } as const;

const landmarksOf = (face: FaceResult, image: RgbImage): Landmark[] => {
  if (!face.mesh || face.mesh.length < 468) return [];
  return Object.entries(MESH).map(([type, indices]) => {
    const points = indices.map((i) => face.mesh[i]);
    const x = points.reduce((sum, p) => sum + p[0], 0) / points.length;
    const y = points.reduce((sum, p) => sum + p[1], 0) / points.length;
    return { Type: type as Landmark['Type'], X: round(x / image.width), Y: round(y / image.height) };
  });
};

const boxOf = (face: FaceResult, image: RgbImage): DetectedFace['BoundingBox'] => {
  // Clamped to the image so that a reviewer's drawing of the box stays on the picture.
  const [x, y, w, h] = face.box;
  const left = clamp01(x / image.width);
  const top = clamp01(y / image.height);
  return {
    Left: round(left),
    Top: round(top),
    Width: round(clamp01((x + w) / image.width) - left),
    Height: round(clamp01((y + h) / image.height) - top),
  };
};

/**
 * The local face engine.
 *
 * @example
 * const engine = new FaceEngine();
 * const { faces } = await engine.detect(readFileSync('astronaut.png'));
 * faces[0].BoundingBox; // { Left: 0.296875, Top: 0.096680, Width: 0.283203, Height: 0.283203 }
 */
export class FaceEngine {
  /** Identifies the model in `FaceModelVersion` fields. */
  readonly modelVersion: string;
  readonly stats: EngineStats = { detections: 0, totalModelMs: 0 };
  private readonly maxFaces: number;
  private readonly minConfidence: number;
  private human?: Promise<Human>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: FaceEngineOptions = {}) {
    this.maxFaces = options.maxFaces ?? 20;
    this.minConfidence = options.minConfidence ?? 50;
    this.modelVersion = `human-${humanVersion()}-faceres`;
  }

  /** Loads the model once; every caller shares the same promise. A failed load is retried next time. */
  load(): Promise<Human> {
    if (!this.human) {
      const started = performance.now();
      this.human = loadHuman(this.maxFaces).then((human) => {
        this.stats.loadMs = Math.round(performance.now() - started);
        return human;
      });
      this.human.catch(() => (this.human = undefined));
    }
    return this.human;
  }

  /**
   * Finds the faces in JPEG or PNG bytes, largest first.
   *
   * @throws InvalidImageFormatError when the bytes are not a decodable JPEG/PNG.
   * @throws ModelError when the model fails.
   */
  async detect(bytes: Uint8Array): Promise<Detection> {
    const image = decodeImage(bytes);
    const human = await this.load();
    const run = this.queue.then(() => this.runModel(human, image));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runModel(human: Human, image: RgbImage): Promise<Detection> {
    const started = performance.now();
    const input = tf.tensor4d(image.rgb, [1, image.height, image.width, 3], 'int32');
    let faces: FaceResult[];
    try {
      const result = await human.detect(input);
      if (result.error) throw new Error(result.error);
      faces = result.face;
    } catch (error) {
      throw new ModelError(`Face detection failed: ${(error as Error).message}`, { cause: error });
    } finally {
      input.dispose();
    }
    const modelMs = performance.now() - started;
    this.stats.detections += 1;
    this.stats.totalModelMs += modelMs;
    const detected = faces
      .filter((face) => face.embedding !== undefined && face.embedding.length > 0)
      .map((face): DetectedFace => {
        const angle = face.rotation?.angle;
        return {
          BoundingBox: boxOf(face, image),
          Confidence: round(Math.min(100, Math.max(0, face.score * 100)), 3),
          Landmarks: landmarksOf(face, image),
          Pose: angle ? { Roll: degrees(angle.roll), Yaw: degrees(angle.yaw), Pitch: degrees(angle.pitch) } : undefined,
          embedding: Array.from(face.embedding ?? []),
        };
      })
      .filter((face) => face.Confidence >= this.minConfidence)
      .sort((a, b) => b.BoundingBox.Width * b.BoundingBox.Height - a.BoundingBox.Width * a.BoundingBox.Height);
    return { width: image.width, height: image.height, faces: detected, modelMs: Math.round(modelMs) };
  }
}
