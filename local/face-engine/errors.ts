/**
 * Errors of the local face engine. Each one carries the Rekognition error code (`__type`) it is
 * sent as, so the HTTP server can answer exactly what Amazon Rekognition would and the unchanged
 * `@aws-sdk/client-rekognition` raises its own exception class for it.
 */

import { GovrecError } from '../../lambda/shared/errors';

/** Rekognition error codes the local engine can answer with. */
export type RekognitionErrorCode =
  | 'InvalidImageFormatException'
  | 'ImageTooLargeException'
  | 'InvalidParameterException'
  | 'InvalidS3ObjectException'
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'UnknownOperationException'
  | 'InternalServerError';

/** Base class: anything the engine rejects or fails with. */
export class FaceEngineError extends GovrecError {
  constructor(
    readonly code: RekognitionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The bytes are neither JPEG nor PNG, or cannot be decoded as what they claim to be. */
export class InvalidImageFormatError extends FaceEngineError {
  constructor(message = 'Request has invalid image format', options?: { cause?: unknown }) {
    super('InvalidImageFormatException', message, options);
  }
}

/** The image is larger than Rekognition accepts (5 MB as bytes, 15 MB as an S3 object). */
export class ImageTooLargeError extends FaceEngineError {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super('ImageTooLargeException', `Image size ${size} bytes exceeds the limit of ${limit} bytes`);
  }
}

/** A request parameter is missing or malformed, or there is no face to work with. */
export class InvalidParameterError extends FaceEngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('InvalidParameterException', message, options);
  }
}

/** `Image.S3Object` could not be read (no getter configured, or the getter failed). */
export class InvalidS3ObjectError extends FaceEngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('InvalidS3ObjectException', message, options);
  }
}

/** The collection does not exist. */
export class ResourceNotFoundError extends FaceEngineError {
  constructor(message: string) {
    super('ResourceNotFoundException', message);
  }
}

/** CreateCollection was called for a collection that already exists. */
export class ResourceAlreadyExistsError extends FaceEngineError {
  constructor(message: string) {
    super('ResourceAlreadyExistsException', message);
  }
}

/** The model could not be loaded or failed while running: a server fault, not the caller's. */
export class ModelError extends FaceEngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('InternalServerError', message, options);
  }
}
