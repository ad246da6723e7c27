/**
 * The one module that talks to Rekognition. Its only entry point takes an {@link AllowedRequest},
 * which only `verifyAllow` can issue, so no code path reaches Rekognition without an ALLOW for
 * that exact object. A test greps the source tree to keep this the only importer of the SDK.
 */
import { createHash } from 'node:crypto';
import {
  DetectFacesCommand,
  type Image,
  IndexFacesCommand,
  RekognitionClient,
  SearchFacesByImageCommand,
} from '@aws-sdk/client-rekognition';
import type { ReasonCode } from '../shared/decision';
import { OPERATIONS, type RekognitionOperation } from '../shared/settings';
import { type AllowedRequest, isIssued } from './allow';
import {
  RekognitionCallBarredError,
  RekognitionImageRejectedError,
  RekognitionThrottledError,
  UnverifiedRequestError,
} from './errors';

/** Error names Rekognition uses when it wants the caller to slow down. */
export const THROTTLING_ERRORS = [
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
] as const;
/**
 * SearchFacesByImage answers an image without a face with this error name and message ("There
 * are no faces in the image. Should be at least 1."): a result, not a failure. DetectFaces and
 * IndexFaces answer such an image with an empty list instead.
 */
export const NO_FACE_ERROR = 'InvalidParameterException';
export const NO_FACE_MESSAGE = 'There are no faces in the image';
/** Errors about the image itself: permanent, so the upload is rejected instead of retried. */
export const INVALID_IMAGE_ERRORS = [
  'InvalidImageFormatException',
  'ImageTooLargeException',
  'InvalidS3ObjectException',
  'InvalidParameterException',
] as const;
export const SEARCH_MAX_FACES = 10;

/** Asked right before every attempt: a reason when the call may not be made now, else undefined. */
export type CallGuard = () => ReasonCode | undefined;

/** Exponential backoff with full jitter; `sleep` and `random` are injected so tests run instantly. */
export interface RetryOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export const defaultRetryOptions: RetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 2000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Hooks for metrics, one call per Rekognition attempt. */
export interface RekognitionObserver {
  attempted(operation: RekognitionOperation): void;
  failed(operation: RekognitionOperation, errorName: string): void;
  throttled(operation: RekognitionOperation): void;
}

/** Short figures for the audit record and the dashboard. */
export interface RecognitionSummary {
  readonly faces: number;
  readonly matches: number;
  readonly bestSimilarity?: number;
  readonly unindexedFaces?: number;
  readonly errorCode?: string;
}

export interface RecognitionResult {
  readonly operation: RekognitionOperation;
  /** The response fields (without SDK metadata), or `{}` when Rekognition found no face. */
  readonly response: Record<string, unknown>;
  readonly summary: RecognitionSummary;
}

/** The Rekognition client: SDK retries off, because the gateway retries throttling itself (and counts it). */
export const createRekognitionClient = (): RekognitionClient => new RekognitionClient({ maxAttempts: 1 });

/**
 * An IndexFaces external image id from the key: Rekognition allows `[a-zA-Z0-9_.\-:]+` (max 255),
 * so other characters become `_`, and a hash of the full key keeps distinct keys distinct.
 */
export const externalImageIdFor = (key: string, name: string): string => {
  const readable = name.replace(/[^a-zA-Z0-9_.\-:]/g, '_').slice(0, 200);
  return `${readable}:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
};

const imageOf = (request: AllowedRequest): Image =>
  request.image.kind === 'bytes'
    ? { Bytes: request.image.bytes }
    : { S3Object: { Bucket: request.object.bucket, Name: request.object.key, Version: request.object.versionId } };

const withoutMetadata = (response: object): Record<string, unknown> => {
  const { $metadata: _ignored, ...fields } = response as Record<string, unknown>;
  return fields;
};

const nameOf = (error: unknown): string => (error instanceof Error ? error.name : 'UnknownError');

/**
 * Only SearchFacesByImage's own no-face answer; any other InvalidParameterException is a bad input.
 * Case-insensitive because the local face engine names the request field ("in the Image").
 */
export const isNoFaceAnswer = (operation: RekognitionOperation, error: unknown): boolean =>
  operation === OPERATIONS.search &&
  nameOf(error) === NO_FACE_ERROR &&
  error instanceof Error &&
  error.message.toLowerCase().includes(NO_FACE_MESSAGE.toLowerCase());

export class RekognitionGateway {
  constructor(
    private readonly client: RekognitionClient,
    private readonly observer: RekognitionObserver,
    private readonly retry: RetryOptions = defaultRetryOptions,
  ) {}

  /**
   * Run the organisation's operation on the allowed object.
   * Throws {@link RekognitionThrottledError} when throttling outlasts the retries, and
   * {@link RekognitionImageRejectedError} (at once, no retry) when Rekognition refuses the image,
   * and {@link RekognitionCallBarredError} (no call) when `guard` bars an attempt.
   */
  async recognise(request: AllowedRequest, guard: CallGuard = () => undefined): Promise<RecognitionResult> {
    if (!isIssued(request)) throw new UnverifiedRequestError('Rekognition request was not issued by verifyAllow');
    const operation = OPERATIONS[request.operation];
    for (let attempt = 1; ; attempt += 1) {
      const bar = guard();
      if (bar !== undefined)
        throw new RekognitionCallBarredError(`${operation} barred before attempt ${attempt}: ${bar}`, { reason: bar });
      this.observer.attempted(operation);
      try {
        return await this.callOnce(request);
      } catch (error) {
        const name = nameOf(error);
        if (isNoFaceAnswer(operation, error))
          return { operation, response: {}, summary: { faces: 0, matches: 0, errorCode: name } };
        this.observer.failed(operation, name);
        if ((INVALID_IMAGE_ERRORS as readonly string[]).includes(name)) {
          throw new RekognitionImageRejectedError(
            `${operation} refused the image: ${name}: ${(error as Error).message}`,
            { cause: error, errorName: name },
          );
        }
        if (!(THROTTLING_ERRORS as readonly string[]).includes(name)) throw error;
        this.observer.throttled(operation);
        if (attempt >= this.retry.maxAttempts) {
          throw new RekognitionThrottledError(`${operation} throttled ${attempt} times`, { cause: error });
        }
        const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        await this.retry.sleep(Math.round(this.retry.random() * ceiling));
      }
    }
  }

  private async callOnce(request: AllowedRequest): Promise<RecognitionResult> {
    const image = imageOf(request);
    const org = request.organisation;
    switch (request.operation) {
      case 'search': {
        const response = await this.client.send(
          new SearchFacesByImageCommand({
            CollectionId: org.collectionId,
            Image: image,
            FaceMatchThreshold: org.faceMatchThreshold,
            MaxFaces: SEARCH_MAX_FACES,
          }),
        );
        const similarities = (response.FaceMatches ?? []).map((match) => match.Similarity ?? 0);
        return {
          operation: OPERATIONS.search,
          response: withoutMetadata(response),
          summary: {
            faces: response.SearchedFaceBoundingBox === undefined ? 0 : 1,
            matches: similarities.length,
            ...(similarities.length > 0 ? { bestSimilarity: Math.max(...similarities) } : {}),
          },
        };
      }
      case 'detect': {
        const response = await this.client.send(new DetectFacesCommand({ Image: image, Attributes: ['DEFAULT'] }));
        return {
          operation: OPERATIONS.detect,
          response: withoutMetadata(response),
          summary: { faces: response.FaceDetails?.length ?? 0, matches: 0 },
        };
      }
      case 'index': {
        const response = await this.client.send(
          new IndexFacesCommand({
            CollectionId: org.collectionId,
            Image: image,
            ExternalImageId: externalImageIdFor(
              request.object.key,
              request.object.key.split('/').pop() ?? request.object.key,
            ),
            MaxFaces: 1,
            QualityFilter: 'AUTO',
          }),
        );
        return {
          operation: OPERATIONS.index,
          response: withoutMetadata(response),
          summary: {
            faces: response.FaceRecords?.length ?? 0,
            matches: 0,
            unindexedFaces: response.UnindexedFaces?.length ?? 0,
          },
        };
      }
    }
  }
}
