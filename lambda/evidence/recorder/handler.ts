/**
 * Lambda entry point fed by the DynamoDB streams of both ledgers: journals one digest entry per
 * change, and counts (alarmed) any change the pipeline itself never makes. A record that cannot
 * be journaled is reported as a batch item failure, so the stream retries from it.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics, tracer } from '../../shared/powertools';
import { loadEvidenceConfig } from '../config';
import { EVIDENCE_METRIC_NAMES } from '../contract';
import { EvidenceJournal } from '../journal';
import { isPipelineChange } from '../rules';
import { entryFor } from '../stream-entry';

const config = loadEvidenceConfig();
const journal = new EvidenceJournal(
  DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
  config.journalTable,
);
const processor = new BatchProcessor(EventType.DynamoDBStreams);

const recordChange = async (record: DynamoDBRecord): Promise<void> => {
  const entry = entryFor(record, config.tables);
  await journal.add(entry);
  metrics.addMetric(EVIDENCE_METRIC_NAMES.ledgerChangesRecorded, MetricUnit.Count, 1);
  if (!isPipelineChange(entry) || entry.carriedHashMismatch === true) {
    metrics.addMetric(EVIDENCE_METRIC_NAMES.ledgerChangeObserved, MetricUnit.Count, 1);
    logger.warn('ledger change the pipeline never makes', { entry });
  }
};

const lambdaHandler = async (event: DynamoDBStreamEvent, context: Context) =>
  processPartialResponse(event, recordChange, processor, { context });

export const handler = middy(lambdaHandler)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
