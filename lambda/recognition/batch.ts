/**
 * One SQS message: an S3 notification holding one or more records (or the S3 test event, which
 * is acknowledged and ignored). Each upload runs through Powertools idempotency keyed on bucket,
 * key and version, so a re-delivered event never reaches Rekognition twice.
 */

import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context, SQSRecord } from 'aws-lambda';
import { messageBudgetMs } from './config';
import type { UploadDeps, UploadResult } from './deps';
import { NoTimeLeftError } from './errors';
import { isObjectCreated, parseNotification, type S3NotificationRecord } from './notification';
import { objectRefOf, processUpload } from './process-upload';

/** How long a completed upload is remembered by the idempotency table. */
export const IDEMPOTENCY_EXPIRY_SECONDS = 24 * 60 * 60;

/** The idempotent unit: the key is derived from the object only, never from the event envelope. */
export interface UploadTask {
  readonly idempotencyKey: string;
  readonly record: S3NotificationRecord;
  /** Not part of the key: the same upload on its third receive is the same upload. */
  readonly receiveCount: number;
}

/** SQS `ApproximateReceiveCount` of a message (1 when absent or unreadable). */
export const receiveCountOf = (message: SQSRecord): number => {
  const count = Number(message.attributes?.ApproximateReceiveCount);
  return Number.isInteger(count) && count >= 1 ? count : 1;
};

export const idempotencyKeyOf = (record: S3NotificationRecord): string => {
  const object = objectRefOf(record);
  return JSON.stringify([object.bucket, object.key, object.versionId ?? null]);
};

/** The idempotency settings; the handler registers the Lambda context on it per invocation. */
export const createIdempotencyConfig = (): IdempotencyConfig =>
  new IdempotencyConfig({
    eventKeyJmesPath: 'idempotencyKey',
    expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS,
    throwOnNoIdempotencyKey: true,
  });

export interface MessageResult {
  readonly messageId: string;
  readonly ignored?: 'test-event';
  readonly uploads: readonly UploadResult[];
}

/**
 * Build the per-message handler for the batch processor.
 *
 * @example
 * const recordHandler = createMessageHandler(deps, new DynamoDBPersistenceLayer({ tableName }), createIdempotencyConfig());
 * await processBatch(event, recordHandler, context);
 */
export const createMessageHandler = (
  deps: UploadDeps,
  persistenceStore: BasePersistenceLayer,
  config: IdempotencyConfig,
) => {
  const processOnce = makeIdempotent(
    (task: UploadTask) => processUpload(task.record, deps, { receiveCount: task.receiveCount }),
    { persistenceStore, config },
  );
  const budget = messageBudgetMs(deps.policyTimeoutMs);
  return async (message: SQSRecord, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<MessageResult> => {
    const remaining = context?.getRemainingTimeInMillis();
    if (remaining !== undefined && remaining < budget)
      throw new NoTimeLeftError(`${remaining} ms left, a message may need ${budget} ms; returned to the queue`);
    const notification = parseNotification(message.body);
    if (notification.kind === 'test-event') {
      deps.logger.info('S3 test event acknowledged and ignored', { messageId: message.messageId });
      return { messageId: message.messageId, ignored: 'test-event', uploads: [] };
    }
    const uploads: UploadResult[] = [];
    // One after the other: a throttled Rekognition is better served by fewer parallel calls.
    for (const record of notification.records) {
      if (!isObjectCreated(record)) {
        deps.logger.warn('ignoring an S3 event that is not object-created', {
          eventName: record.eventName,
          messageId: message.messageId,
        });
        continue;
      }
      uploads.push(
        await processOnce({ idempotencyKey: idempotencyKeyOf(record), record, receiveCount: receiveCountOf(message) }),
      );
    }
    return { messageId: message.messageId, uploads };
  };
};
