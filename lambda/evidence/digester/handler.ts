/**
 * Lambda entry point run on a schedule: signs and stores the digest of every period that ended
 * more than the grace time ago (see `../close.ts`). Reserved concurrency 1 keeps it single; the
 * conditional head update would stop a second one anyway.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { runtimeClock } from '../../shared/clock';
import { logger, metrics, tracer } from '../../shared/powertools';
import { closeDuePeriods } from '../close';
import { loadDigesterConfig, retainUntil } from '../config';
import { EVIDENCE_DEFAULTS, EVIDENCE_METRIC_NAMES } from '../contract';
import { KmsDigestSigner } from '../digest';
import { S3DigestStore } from '../digest-store';
import { EvidenceJournal } from '../journal';

const config = loadDigesterConfig();
const deps = {
  journal: new EvidenceJournal(
    DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
    config.journalTable,
  ),
  store: new S3DigestStore(
    tracer.captureAWSv3Client(new S3Client({ forcePathStyle: config.s3ForcePathStyle })),
    config.digestBucket,
  ),
  signer: new KmsDigestSigner(tracer.captureAWSv3Client(new KMSClient({})), config.signingKeyId),
  grid: config.grid,
  graceSeconds: config.graceSeconds,
  prefix: config.digestPrefix,
  retainUntil: (now: Date) => retainUntil(config.settings, config.retentionMarginDays, now),
  maxPeriods: EVIDENCE_DEFAULTS.maxPeriodsPerRun,
};

const lambdaHandler = async (): Promise<{ readonly closed: readonly string[] }> => {
  const closed = await closeDuePeriods(deps, runtimeClock.now());
  metrics.addMetric(EVIDENCE_METRIC_NAMES.digestsWritten, MetricUnit.Count, closed.length);
  if (closed.length > 0) logger.info('digests written', { closed });
  return { closed: closed.map((head) => head.key) };
};

export const handler = middy(lambdaHandler)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
