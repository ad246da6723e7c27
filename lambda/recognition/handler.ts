/**
 * The recognition Lambda: SQS (S3 object-created notifications for `incoming/`) in, partial
 * batch failures out. Wiring only; the logic is in `batch.ts` and `process-upload.ts`.
 */

import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { AuditLedger } from '../shared/audit';
import { runtimeClock } from '../shared/clock';
import { logger, metrics, tracer } from '../shared/powertools';
import { createIdempotencyConfig, createMessageHandler } from './batch';
import { createClients } from './clients';
import { loadConfig } from './config';
import { powertoolsMetrics } from './metrics';
import { processBatch } from './process-batch';
import { RekognitionGateway } from './rekognition';

const config = loadConfig();
const clients = createClients(config, (client) => tracer.captureAWSv3Client(client));
const recognitionMetrics = powertoolsMetrics(metrics);
const idempotencyConfig = createIdempotencyConfig();
const recordHandler = createMessageHandler(
  {
    s3: clients.s3,
    lambda: clients.lambda,
    ledger: new AuditLedger(clients.auditDocuments, config.auditTableName),
    rekognition: new RekognitionGateway(clients.rekognition, recognitionMetrics),
    settings: config.settings,
    // The wall clock on Lambda; the offline run installs its simulated clock behind it.
    clock: runtimeClock,
    metrics: recognitionMetrics,
    logger,
    quarantineBucket: config.quarantineBucket,
    resultsBucket: config.resultsBucket,
    policyFunctionName: config.policyFunctionName,
    policyTimeoutMs: config.policyTimeoutMs,
    maxReceiveCount: config.maxReceiveCount,
  },
  new DynamoDBPersistenceLayer({ tableName: config.idempotencyTableName, awsSdkV3Client: clients.dynamodb }),
  idempotencyConfig,
);

/** Process a batch; failed messages are reported individually and return to the queue. */
export const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  // The idempotency layer uses the remaining time to expire an in-progress record if we crash.
  idempotencyConfig.registerLambdaContext(context);
  // One message at a time (BATCH_OPTIONS), so the event source caps the Rekognition calls in flight.
  return processBatch(event, recordHandler, context);
};

/** The deployed entry point. */
export const handler = middy(lambdaHandler)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
