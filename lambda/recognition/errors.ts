import type { ReasonCode } from '../shared/decision';
import { GovrecError } from '../shared/errors';

/**
 * Errors of the recognition handler. Anything thrown out of an upload's processing fails that
 * SQS message only (partial batch response), so it is retried and, in the end, dead-lettered.
 */

/** Base class: every error this Lambda raises on purpose. */
export class RecognitionError extends GovrecError {}

/** An SQS body that is neither an S3 notification nor the S3 test event (a poison message). */
export class MalformedMessageError extends RecognitionError {}

/** The policy Lambda did not answer within the configured time. */
export class PolicyTimeoutError extends RecognitionError {}

/** The policy Lambda answered with a function error, an unreadable or a mismatched payload. */
export class PolicyInvocationError extends RecognitionError {}

/** Rekognition kept throttling after the retries; the message goes back to the queue. */
export class RekognitionThrottledError extends RecognitionError {}

/**
 * The moratorium bars the call at the instant it would be made (checked before every attempt,
 * so a backlog, a redrive or a throttling back-off cannot carry a restricted call into the window).
 */
export class RekognitionCallBarredError extends RecognitionError {
  /** The denial reason, e.g. `MORATORIUM_IN_FORCE`. */
  readonly reason: ReasonCode;

  constructor(message: string, options: { cause?: unknown; reason: ReasonCode }) {
    super(message, options);
    this.reason = options.reason;
  }
}

/** Someone tried to call the Rekognition wrapper with a request `verifyAllow` did not issue. */
export class UnverifiedRequestError extends RecognitionError {}

/**
 * Rekognition refused the image itself (format, size, an unreadable S3 object, a bad parameter).
 * Permanent: retrying cannot help, so the upload is rejected to quarantine rather than retried.
 */
export class RekognitionImageRejectedError extends RecognitionError {
  /** The Rekognition error name, e.g. `InvalidImageFormatException`. */
  readonly errorName: string;

  constructor(message: string, options: { cause?: unknown; errorName: string }) {
    super(message, options);
    this.errorName = options.errorName;
  }
}

/**
 * The policy function could not give an answer (throttled, timed out, a function error such as an
 * unrecorded decision or a refused policy set). Transient: the upload stays in intake and the
 * message is retried; only the final receive turns it into a recorded POLICY_UNAVAILABLE.
 */
export class PolicyUnavailableError extends RecognitionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PolicyUnavailableError';
  }
}

/**
 * The caller's restriction was judged too long ago, or on the other side of a moratorium boundary,
 * to stand for a Rekognition call now. The message is retried and the policy asked afresh.
 */
export class StaleJudgementError extends RecognitionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StaleJudgementError';
  }
}

/** Too little of the invocation's time is left to start one more message; it goes back to the queue. */
export class NoTimeLeftError extends RecognitionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NoTimeLeftError';
  }
}
