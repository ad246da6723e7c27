/**
 * The local Rekognition-compatible face engine: a real face model (@vladmandic/human, tfjs WASM
 * backend) behind Rekognition's operations, shapes and errors, served over HTTP for the SDK.
 */

export { LocalRekognition, type LocalRekognitionOptions } from './collections';
export { type DetectedFace, type Detection, type EngineStats, FaceEngine, type FaceEngineOptions } from './engine';
export * from './errors';
export {
  RekognitionServer,
  type RekognitionServerOptions,
  type RunningRekognitionServer,
  SUPPORTED_OPERATIONS,
  type SupportedOperation,
} from './rekognition-server';
export type { S3ObjectGetter } from './request-input';
export { s3ObjectGetter } from './s3-getter';
export { cosine, similarity, similarityFromCosine } from './similarity';
