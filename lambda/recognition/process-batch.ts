/**
 * How an SQS batch is processed, in one place, so the deployed handler, the tests and the bench
 * all run the same settings rather than each their own guess at them.
 */

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * The batch settings of the deployed handler.
 * - `processInParallel: false`: one message at a time, so the event source's maximum
 *   concurrency bounds the Rekognition calls in flight (recognitionMaxConcurrency), instead of
 *   that times the batch size.
 * - `throwOnFullBatchFailure: false`: a batch whose every message failed still answers with a
 *   partial batch response naming each one, rather than an invocation error.
 */
export const BATCH_OPTIONS = { processInParallel: false, throwOnFullBatchFailure: false } as const;

/**
 * Process an SQS batch with {@link BATCH_OPTIONS}; failed messages are reported individually.
 *
 * @example
 * export const lambdaHandler = (event: SQSEvent, context: Context) => processBatch(event, recordHandler, context);
 */
export const processBatch = (
  event: SQSEvent,
  recordHandler: (message: SQSRecord, context?: Context) => Promise<unknown>,
  context?: Context,
): Promise<SQSBatchResponse> =>
  // A processor per batch: it holds the batch's successes and failures, which must not leak into the next one.
  processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
    ...BATCH_OPTIONS,
    ...(context !== undefined ? { context } : {}),
  });
