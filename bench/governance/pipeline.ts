/**
 * The recognition worker's logic as the benchmark drives it: SQS batches of S3 notifications
 * through Powertools batch processing and idempotency, either with the product's
 * `createMessageHandler` (governed) or the same wrapper around the bench-only ungoverned path.
 */

import { makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context, S3EventRecord, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  createIdempotencyConfig,
  createMessageHandler,
  idempotencyKeyOf,
  type MessageResult,
  type UploadTask,
} from '../../lambda/recognition/batch';
import type { RecognitionClients } from '../../lambda/recognition/clients';
import { DEFAULT_MAX_RECEIVE_COUNT } from '../../lambda/recognition/config';
import type { UploadDeps, UploadResult } from '../../lambda/recognition/deps';
import { noMetrics } from '../../lambda/recognition/metrics';
import { isObjectCreated, parseNotification } from '../../lambda/recognition/notification';
import { processBatch } from '../../lambda/recognition/process-batch';
import { RekognitionGateway } from '../../lambda/recognition/rekognition';
import { AuditLedger } from '../../lambda/shared/audit';
import { systemClock } from '../../lambda/shared/moratorium';
import { logger } from '../../lambda/shared/powertools';
import { s3EventMessageBody } from '../../local/s3-events';
import { BenchSanityError } from '../lib/errors';
import type { StandIns } from './stand-ins';
import { processUploadUngoverned } from './ungoverned';

export type Variant = 'governed' | 'ungoverned';
type MessageHandler = (message: SQSRecord) => Promise<MessageResult>;

/** The worker's dependencies, as its handler module builds them, from the given clients. */
export const workerDeps = (standIns: StandIns, clients: RecognitionClients): UploadDeps => ({
  s3: clients.s3,
  lambda: clients.lambda,
  ledger: new AuditLedger(clients.auditDocuments, standIns.worker.auditTableName),
  rekognition: new RekognitionGateway(clients.rekognition, noMetrics),
  settings: standIns.worker.settings,
  clock: systemClock,
  metrics: noMetrics,
  logger,
  quarantineBucket: standIns.worker.quarantineBucket,
  resultsBucket: standIns.worker.resultsBucket,
  policyFunctionName: standIns.worker.policyFunctionName,
  policyTimeoutMs: standIns.worker.policyTimeoutMs,
  maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT,
});

// Same shape as createMessageHandler, with the per-upload step swapped (bench only).
const ungovernedHandler = (
  deps: UploadDeps,
  persistenceStore: DynamoDBPersistenceLayer,
  config: ReturnType<typeof createIdempotencyConfig>,
): MessageHandler => {
  const processOnce = makeIdempotent((task: UploadTask) => processUploadUngoverned(task.record, deps), {
    persistenceStore,
    config,
  });
  return async (message) => {
    const notification = parseNotification(message.body);
    if (notification.kind === 'test-event') throw new BenchSanityError('unexpected S3 test event');
    const uploads: UploadResult[] = [];
    for (const record of notification.records.filter(isObjectCreated))
      uploads.push(await processOnce({ idempotencyKey: idempotencyKeyOf(record), record, receiveCount: 1 }));
    return { messageId: message.messageId, uploads };
  };
};

/** A worker for one variant: `run(records)` processes them in SQS batches and returns every upload result. */
export const createWorker = (standIns: StandIns, clients: RecognitionClients, variant: Variant) => {
  const deps = workerDeps(standIns, clients);
  const config = createIdempotencyConfig();
  config.registerLambdaContext({ getRemainingTimeInMillis: () => 60_000 } as Context);
  const store = new DynamoDBPersistenceLayer({
    tableName: standIns.worker.idempotencyTableName,
    awsSdkV3Client: clients.dynamodb,
  });
  const handler: MessageHandler =
    variant === 'governed' ? createMessageHandler(deps, store, config) : ungovernedHandler(deps, store, config);
  let messages = 0;
  const run = async (records: readonly S3EventRecord[]): Promise<UploadResult[]> => {
    const results: UploadResult[] = [];
    for (let i = 0; i < records.length; i += standIns.batchSize) {
      const batch = records.slice(i, i + standIns.batchSize).map((record): SQSRecord => {
        messages += 1;
        return {
          messageId: `bench-${variant}-${messages}`,
          receiptHandle: `rh-${messages}`,
          body: s3EventMessageBody([record]),
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(Date.now()),
            SenderId: 'AROAS3',
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:111111111111:intake',
          awsRegion: 'us-east-1',
        };
      });
      const errors: string[] = [];
      const collect = async (message: SQSRecord) => {
        try {
          const result = await handler(message);
          results.push(...result.uploads);
          return result;
        } catch (error) {
          // Kept for the sanity message: the partial batch response says only which message failed.
          errors.push(
            error instanceof Error
              ? `${error.name}: ${error.message}${error.cause instanceof Error ? ` (cause ${error.cause.name}: ${error.cause.message})` : ''}`
              : String(error),
          );
          throw error;
        }
      };
      const event: SQSEvent = { Records: batch };
      // The deployed batch settings: one message at a time, as the handler runs them.
      const response = await processBatch(event, collect);
      if (response.batchItemFailures.length > 0)
        throw new BenchSanityError(
          `${variant}: ${response.batchItemFailures.length} of ${batch.length} messages failed; first error: ${errors[0] ?? 'unknown'}`,
        );
    }
    return results;
  };
  return { deps, run };
};
