/**
 * Rekognition response shapes built from the engine's faces and the stored ones.
 */
import type { FaceDetail } from '@aws-sdk/client-rekognition';
import type { StoredFace } from './collection-store';
import type { DetectedFace } from './engine';

/** A detected face as Rekognition's `FaceDetail` (the DEFAULT attributes: box, confidence, landmarks, pose). */
export const faceDetail = (face: DetectedFace): FaceDetail => ({
  BoundingBox: face.BoundingBox,
  Confidence: face.Confidence,
  Landmarks: face.Landmarks,
  ...(face.Pose ? { Pose: face.Pose } : {}),
});

/** A stored face as Rekognition's `Face` (no embedding). */
export const publicFace = (face: StoredFace, modelVersion: string) => ({
  FaceId: face.FaceId,
  BoundingBox: face.BoundingBox,
  ImageId: face.ImageId,
  ...(face.ExternalImageId !== undefined ? { ExternalImageId: face.ExternalImageId } : {}),
  Confidence: face.Confidence,
  IndexFacesModelVersion: modelVersion,
});

// Embeddings are stored with 6 decimals: the similarity they give does not change at the
// precision reported, and the collection files stay a third of the size.
export const compact = (embedding: number[]): number[] => embedding.map((v) => Math.round(v * 1e6) / 1e6);
