/**
 * The recognition Lambda: SQS (S3 object-created notifications for `incoming/`) in, partial
 * batch failures out. Wiring only; the logic is in `batch.ts` and `process-upload.ts`.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { AuditLedger } from '../shared/audit';
import { systemClock } from '../shared/moratorium';
import { logger, metrics, tracer } from '../shared/powertools';
import { createIdempotencyConfig, createMessageHandler } from './batch';
import { createClients } from './clients';
import { loadConfig } from './config';
import { powertoolsMetrics } from './metrics';
import { RekognitionGateway } from './rekognition';

const config = loadConfig();
const clients = createClients(config, (client) => tracer.captureAWSv3Client(client));
const recognitionMetrics = powertoolsMetrics(metrics);
const idempotencyConfig = createIdempotencyConfig();
const processor = new BatchProcessor(EventType.SQS);
const recordHandler = createMessageHandler(
  {
    s3: clients.s3,
    lambda: clients.lambda,
    ledger: new AuditLedger(clients.auditDocuments, config.auditTableName),
    rekognition: new RekognitionGateway(clients.rekognition, recognitionMetrics),
    settings: config.settings,
    clock: systemClock,
    metrics: recognitionMetrics,
    logger,
    quarantineBucket: config.quarantineBucket,
    resultsBucket: config.resultsBucket,
    policyFunctionName: config.policyFunctionName,
    policyTimeoutMs: config.policyTimeoutMs,
  },
  new DynamoDBPersistenceLayer({ tableName: config.idempotencyTableName, awsSdkV3Client: clients.dynamodb }),
  idempotencyConfig,
);

/** Process a batch; failed messages are reported individually and return to the queue. */
export const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  // The idempotency layer uses the remaining time to expire an in-progress record if we crash.
  idempotencyConfig.registerLambdaContext(context);
  // One message at a time: the event source's maximum concurrency then bounds the Rekognition
  // calls in flight (recognitionMaxConcurrency), instead of that times the batch size.
  return processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false, processInParallel: false });
};

/** The deployed entry point. */
export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger)).use(logMetrics(metrics));
