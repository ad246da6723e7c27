/**
 * The Rekognition operations the offline run needs, with Rekognition's request and response
 * shapes (the SDK's own types), over the local face engine and collections persisted in a folder.
 * The HTTP server is a thin layer over this; code in the same process may call it directly.
 */
import { randomUUID } from 'node:crypto';
import type {
  CompareFacesRequest,
  CompareFacesResponse,
  CreateCollectionRequest,
  CreateCollectionResponse,
  DeleteCollectionRequest,
  DeleteCollectionResponse,
  DescribeCollectionRequest,
  DescribeCollectionResponse,
  DetectFacesRequest,
  DetectFacesResponse,
  IndexFacesRequest,
  IndexFacesResponse,
  SearchFacesByImageRequest,
  SearchFacesByImageResponse,
} from '@aws-sdk/client-rekognition';
import { CollectionStore, type StoredFace } from './collection-store';
import { type DetectedFace, FaceEngine } from './engine';
import { InvalidParameterError } from './errors';
import { collectionId, externalImageId, imageBytes, integerIn, numberIn, type S3ObjectGetter } from './request-input';
import { compact, faceDetail, publicFace } from './shapes';
import { DEFAULT_THRESHOLD, similarity } from './similarity';

export interface LocalRekognitionOptions {
  /** The engine (and its loaded model) to use; share one between instances. @default a new FaceEngine */
  readonly engine?: FaceEngine;
  /** Reads `Image.S3Object` images; without it they fail with InvalidS3ObjectException. */
  readonly getS3Object?: S3ObjectGetter;
  /** Used in collection ARNs. @default 'eu-west-1' */
  readonly region?: string;
  /** Used in collection ARNs. @default '000000000000' */
  readonly accountId?: string;
  /** Time source for collection creation and indexing stamps. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * A local, persistent stand-in for the Rekognition collection and face APIs.
 *
 * @example
 * const rekognition = new LocalRekognition('.local/collections');
 * await rekognition.createCollection({ CollectionId: 'ngo-faces' });
 * await rekognition.indexFaces({ CollectionId: 'ngo-faces', Image: { Bytes: photo }, ExternalImageId: 'case-17' });
 * const { FaceMatches } = await rekognition.searchFacesByImage({ CollectionId: 'ngo-faces', Image: { Bytes: other } });
 */
export class LocalRekognition {
  readonly engine: FaceEngine;
  private readonly store: CollectionStore;
  private readonly getS3Object?: S3ObjectGetter;
  private readonly region: string;
  private readonly accountId: string;
  private readonly now: () => Date;

  /** @param folder where collections are kept as `<CollectionId>.json`. */
  constructor(folder: string, options: LocalRekognitionOptions = {}) {
    this.store = new CollectionStore(folder);
    this.engine = options.engine ?? new FaceEngine();
    this.getS3Object = options.getS3Object;
    this.region = options.region ?? 'eu-west-1';
    this.accountId = options.accountId ?? '000000000000';
    this.now = options.now ?? (() => new Date());
  }

  /** @throws ResourceAlreadyExistsError, InvalidParameterError */
  async createCollection(request: CreateCollectionRequest): Promise<CreateCollectionResponse> {
    const id = collectionId(request.CollectionId);
    const arn = `arn:aws:rekognition:${this.region}:${this.accountId}:collection/${id}`;
    await this.store.create({
      CollectionId: id,
      CollectionArn: arn,
      FaceModelVersion: this.engine.modelVersion,
      CreationTimestamp: this.now().toISOString(),
      faces: [],
    });
    return { StatusCode: 200, CollectionArn: arn, FaceModelVersion: this.engine.modelVersion };
  }

  /** @throws ResourceNotFoundError */
  async deleteCollection(request: DeleteCollectionRequest): Promise<DeleteCollectionResponse> {
    await this.store.delete(collectionId(request.CollectionId));
    return { StatusCode: 200 };
  }

  /** @throws ResourceNotFoundError */
  async describeCollection(request: DescribeCollectionRequest): Promise<DescribeCollectionResponse> {
    const collection = await this.store.get(collectionId(request.CollectionId));
    return {
      FaceCount: collection.faces.length,
      FaceModelVersion: collection.FaceModelVersion,
      CollectionARN: collection.CollectionArn,
      CreationTimestamp: new Date(collection.CreationTimestamp),
    };
  }

  /** Faces in the image, largest first. */
  async detectFaces(request: DetectFacesRequest): Promise<DetectFacesResponse> {
    const { faces } = await this.detect(request.Image, 'Image');
    return { FaceDetails: faces.map(faceDetail) };
  }

  /**
   * Adds the largest `MaxFaces` faces of the image to the collection; the others are reported as
   * `UnindexedFaces` (`EXCEEDS_MAX_FACES`). An image without a face indexes nothing (not an error).
   */
  async indexFaces(request: IndexFacesRequest): Promise<IndexFacesResponse> {
    const id = collectionId(request.CollectionId);
    const external = externalImageId(request.ExternalImageId);
    const maxFaces = integerIn(request.MaxFaces, 'MaxFaces', 1, 100, 100);
    await this.store.get(id); // a missing collection fails before any model work, as Rekognition does
    const { faces } = await this.detect(request.Image, 'Image');
    const imageId = randomUUID();
    const indexedAt = this.now().toISOString();
    const indexed = faces.slice(0, maxFaces).map(
      (face): StoredFace => ({
        FaceId: randomUUID(),
        ImageId: imageId,
        ...(external !== undefined ? { ExternalImageId: external } : {}),
        BoundingBox: face.BoundingBox,
        Confidence: face.Confidence,
        IndexedAt: indexedAt,
        embedding: compact(face.embedding),
      }),
    );
    if (indexed.length > 0) await this.store.addFaces(id, indexed);
    return {
      FaceRecords: indexed.map((stored, i) => ({
        Face: publicFace(stored, this.engine.modelVersion),
        FaceDetail: faceDetail(faces[i]),
      })),
      FaceModelVersion: this.engine.modelVersion,
      UnindexedFaces: faces
        .slice(maxFaces)
        .map((face) => ({ Reasons: ['EXCEEDS_MAX_FACES'], FaceDetail: faceDetail(face) })),
    };
  }

  /**
   * Searches the collection with the largest face of the image: matches at or above
   * `FaceMatchThreshold` (default 80), best first, at most `MaxFaces`.
   *
   * @throws InvalidParameterError when the image has no face; ResourceNotFoundError
   */
  async searchFacesByImage(request: SearchFacesByImageRequest): Promise<SearchFacesByImageResponse> {
    const id = collectionId(request.CollectionId);
    const threshold = numberIn(request.FaceMatchThreshold, 'FaceMatchThreshold', 0, 100, DEFAULT_THRESHOLD);
    const maxFaces = integerIn(request.MaxFaces, 'MaxFaces', 1, 4096, 4096);
    const collection = await this.store.get(id);
    const searched = await this.largestFace(request.Image, 'Image');
    const matches = collection.faces
      .map((face) => ({ face, similarity: similarity(searched.embedding, face.embedding) }))
      .filter((m) => m.similarity >= threshold)
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, maxFaces);
    return {
      SearchedFaceBoundingBox: searched.BoundingBox,
      SearchedFaceConfidence: searched.Confidence,
      FaceMatches: matches.map((m) => ({
        Similarity: m.similarity,
        Face: publicFace(m.face, collection.FaceModelVersion),
      })),
      FaceModelVersion: collection.FaceModelVersion,
    };
  }

  /**
   * Compares the largest face of `SourceImage` with every face of `TargetImage`: those at or above
   * `SimilarityThreshold` (default 80) are `FaceMatches`, the rest `UnmatchedFaces`.
   *
   * @throws InvalidParameterError when the source image has no face.
   */
  async compareFaces(request: CompareFacesRequest): Promise<CompareFacesResponse> {
    const threshold = numberIn(request.SimilarityThreshold, 'SimilarityThreshold', 0, 100, DEFAULT_THRESHOLD);
    const source = await this.largestFace(request.SourceImage, 'SourceImage');
    const { faces: targets } = await this.detect(request.TargetImage, 'TargetImage');
    const scored = targets
      .map((face) => ({ face, similarity: similarity(source.embedding, face.embedding) }))
      .sort((a, b) => b.similarity - a.similarity);
    return {
      SourceImageFace: { BoundingBox: source.BoundingBox, Confidence: source.Confidence },
      FaceMatches: scored
        .filter((s) => s.similarity >= threshold)
        .map((s) => ({ Similarity: s.similarity, Face: faceDetail(s.face) })),
      UnmatchedFaces: scored.filter((s) => s.similarity < threshold).map((s) => faceDetail(s.face)),
    };
  }

  private async detect(image: DetectFacesRequest['Image'], field: string) {
    return this.engine.detect(await imageBytes(image, field, this.getS3Object));
  }

  private async largestFace(image: DetectFacesRequest['Image'], field: string): Promise<DetectedFace> {
    const { faces } = await this.detect(image, field);
    // Rekognition's own wording for SearchFacesByImage ("the image", lower case), which callers match on.
    if (faces.length === 0)
      throw new InvalidParameterError(
        `There are no faces in the ${field === 'Image' ? 'image' : field}. Should be at least 1.`,
      );
    return faces[0];
  }
}
