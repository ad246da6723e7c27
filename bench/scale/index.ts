/**
 * Benchmark 5: scale and cost on paper, from this run's measured figures, the deployment's
 * template and public quotas and prices (`sources.ts`). Every figure here is an estimate.
 * Needs the governance and policy benchmarks to have run earlier in the same run.
 */
import { BenchSetupError } from '../lib/errors';
import { figure } from '../lib/measure';
import { expectThat } from '../lib/sanity';
import type { Benchmark, Metric } from '../lib/types';
import { deploymentShape } from './deployment';
import { SOURCES } from './sources';

const need = (earlier: readonly Metric[], name: string): number => {
  const metric = earlier.find((m) => m.name === name);
  if (metric === undefined)
    throw new BenchSetupError(
      `scale needs ${name}: run it with the governance benchmark (npm run bench, or --only governance,scale)`,
    );
  return metric.median;
};

const est = (name: string, unit: string, value: number, note: string): Metric =>
  figure(`scale.${name}`, unit, value, 'estimate', note);

export const scaleOnPaper: Benchmark = {
  name: 'scale',
  title: 'Scale and cost on paper (estimates from measured inputs and public prices)',
  async run({ earlier }) {
    const shape = deploymentShape();
    const workerSeconds = need(earlier, 'governance.face-engine.governed-per-image') / 1000;
    const policySeconds = need(earlier, 'governance.zero-latency.added-per-image') / 1000;
    const s3Put = need(earlier, 'governance.zero-latency.worker-s3-put-class-per-upload');
    const s3Get = need(earlier, 'governance.zero-latency.worker-s3-get-class-per-upload');
    const ddbWrites = need(earlier, 'governance.zero-latency.worker-dynamodb-writes-per-upload');
    const ddbReads = need(earlier, 'governance.zero-latency.worker-dynamodb-reads-per-upload');
    expectThat(
      'measured per-image times are positive',
      workerSeconds > 0 && policySeconds > 0,
      `${workerSeconds} s, ${policySeconds} s`,
    );

    const quota = SOURCES.rekognitionSearchTpsBig.value;
    const quotaOther = SOURCES.rekognitionSearchTpsOther.value;
    // Each invocation works one message at a time, so the mapping's MaximumConcurrency bounds the
    // Rekognition calls in flight; the rate it allows is concurrency / per-image time.
    const concurrencyToSaturate = quota * workerSeconds;
    const cappedRate =
      shape.maxConcurrency === undefined ? Number.POSITIVE_INFINITY : shape.maxConcurrency / workerSeconds;
    const sustained = Math.min(quota, cappedRate);
    const sustainedOther = Math.min(quotaOther, cappedRate);
    const throttledAt = (tps: number): boolean => cappedRate > tps;
    // Throttled messages are retried by the gateway, then return to the queue; after maxReceiveCount
    // receives they dead-letter, so a throttled deployment absorbs about quota x that window.
    const burstBeforeDeadLetters = throttledAt(quota)
      ? quota * shape.maxReceiveCount * shape.visibilityTimeoutSeconds
      : sustained * shape.retentionSeconds;

    const n = 1000;
    const rekognition = n * SOURCES.rekognitionImagePrice.value;
    const lambdaWorker =
      n * workerSeconds * shape.workerMemoryGb * SOURCES.lambdaArmGbSecond.value +
      (n / shape.batchSize) * SOURCES.lambdaRequest.value;
    const lambdaPolicy =
      n * Math.max(policySeconds, 0.001) * shape.policyMemoryGb * SOURCES.lambdaArmGbSecond.value +
      n * SOURCES.lambdaRequest.value;
    // The uploader's PUT is an S3 request of the deployment too; the policy Lambda writes one DECISION item.
    const s3 = n * ((s3Put + 1) * SOURCES.s3Put.value + s3Get * SOURCES.s3Get.value);
    const dynamo = n * ((ddbWrites + 1) * SOURCES.dynamoWrite.value + ddbReads * SOURCES.dynamoRead.value);
    // The trail records write data events under incoming/: the upload (the delete of a recognised upload does not happen).
    const cloudTrail = n * 1 * SOURCES.cloudTrailDataEvent.value;
    const total = rekognition + lambdaWorker + lambdaPolicy + s3 + dynamo + cloudTrail;
    const governance = lambdaPolicy + n * (1 * SOURCES.dynamoWrite.value) + cloudTrail;

    return [
      est(
        'sustained-uploads-per-second.us-east-1',
        'uploads/s',
        sustained,
        shape.maxConcurrency === undefined
          ? `Rekognition default ${quota} TPS per operation is the bound; Lambda needs ~${concurrencyToSaturate.toFixed(1)} concurrent workers for it (measured ${(workerSeconds * 1000).toFixed(0)} ms per image)`
          : `min(Rekognition default ${quota} TPS, MaximumConcurrency ${shape.maxConcurrency} / ${(workerSeconds * 1000).toFixed(0)} ms per image = ${cappedRate.toFixed(1)}/s); ~${concurrencyToSaturate.toFixed(1)} workers would saturate the quota`,
      ),
      est('sustained-uploads-per-day.us-east-1', 'uploads/day', sustained * 86_400, 'sustained rate x 86,400 s'),
      est(
        'sustained-uploads-per-day.other-regions',
        'uploads/day',
        sustainedOther * 86_400,
        `${quotaOther} TPS default in most other regions${throttledAt(quotaOther) ? `; the cap allows ${cappedRate.toFixed(1)}/s, so expect throttling retries: lower recognitionMaxConcurrency there` : ''}`,
      ),
      est(
        'burst-absorbed-before-dead-letters',
        'uploads',
        burstBeforeDeadLetters,
        throttledAt(quota)
          ? `${shape.maxConcurrency === undefined ? 'no MaximumConcurrency on the event source mapping' : `MaximumConcurrency ${shape.maxConcurrency} allows more than the quota`}: the worker is throttled; a message survives ${shape.maxReceiveCount} receives x ${shape.visibilityTimeoutSeconds} s, so roughly quota x that window`
          : `MaximumConcurrency ${shape.maxConcurrency} keeps the worker under the quota: a burst waits in the queue, drained at ${sustained.toFixed(1)}/s for the queue's ${shape.retentionSeconds / 86_400}-day retention`,
      ),
      est(
        'backlog-drainable-within-retention',
        'uploads',
        sustained * shape.retentionSeconds,
        `at the sustained rate, within the queue's ${shape.retentionSeconds / 86_400}-day retention`,
      ),
      est('cost-per-1000.rekognition', 'USD', rekognition, 'one image operation per upload, first tier'),
      est(
        'cost-per-1000.lambda-worker',
        'USD',
        lambdaWorker,
        `${shape.workerMemoryGb} GB x measured face-engine per-image time (stand-in for Rekognition latency), arm64, + requests per batch of ${shape.batchSize}`,
      ),
      est(
        'cost-per-1000.lambda-policy',
        'USD',
        lambdaPolicy,
        `${shape.policyMemoryGb} GB x measured governance overhead per image, + one request per upload`,
      ),
      est(
        'cost-per-1000.s3',
        'USD',
        s3,
        `${(s3Put + 1).toFixed(1)} PUT-class (upload + worker) and ${s3Get.toFixed(1)} GET-class requests per upload (counted)`,
      ),
      est(
        'cost-per-1000.dynamodb',
        'USD',
        dynamo,
        `${(ddbWrites + 1).toFixed(1)} writes and ${ddbReads.toFixed(1)} reads per upload (worker counted + the policy's DECISION write), 1 unit each`,
      ),
      est('cost-per-1000.cloudtrail', 'USD', cloudTrail, 'one S3 write data event per upload on incoming/'),
      est('cost-per-1000.total', 'USD', total, 'excludes SQS, KMS, CloudWatch, storage and data transfer'),
      est(
        'cost-per-1000.governance-share',
        '%',
        (governance / total) * 100,
        'lower bound: policy Lambda, its DECISION write and the CloudTrail data events as a share of the total; the worker-side decision write and reads are not separated out',
      ),
    ];
  },
};
