/**
 * One side-by-side measurement: the same number of uploads through the governed and the
 * ungoverned worker, interleaved round by round (the order alternates) so that a noisy
 * neighbour hits both alike. Every upload is then checked in the ledger.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { S3EventRecord } from 'aws-lambda';
import type { RecognitionClients } from '../../lambda/recognition/clients';
import type { UploadResult } from '../../lambda/recognition/deps';
import { decisionIdFor } from '../../lambda/shared/audit';
import { Sequencer } from '../../local/s3-events';
import { uploadAs } from '../../local/s3-upload';
import { figure, measuredMetric, timed } from '../lib/measure';
import { FIXTURE_IMAGES } from '../lib/repo';
import { countBy, expectEqual, expectExactlyOnce } from '../lib/sanity';
import { median } from '../lib/stats';
import type { Metric } from '../lib/types';
import { createWorker, type Variant } from './pipeline';
import type { Recognizer } from './recognizers';
import { countRequests } from './request-counter';
import type { StandIns } from './stand-ins';

export const ORG = 'thorn-like';
const UPLOADER = 'arn:aws:iam::111111111111:role/govrec-ngo-child-rescue-uploader';
const IMAGE = 'camera.png';

export interface PhaseOptions {
  readonly perRound: number;
  readonly rounds: number;
  readonly warmupRounds: number;
}

const VARIANTS: readonly Variant[] = ['governed', 'ungoverned'];

export const runPhase = async (
  standIns: StandIns,
  clients: Record<Variant, RecognitionClients>,
  recognizer: Recognizer,
  options: PhaseOptions,
): Promise<Metric[]> => {
  // Each variant has its own clients, so the governed worker's requests can be counted alone.
  const workers = {
    governed: createWorker(standIns, clients.governed, 'governed'),
    ungoverned: createWorker(standIns, clients.ungoverned, 'ungoverned'),
  };
  const counts = countRequests(clients.governed);
  const body = readFileSync(join(FIXTURE_IMAGES, IMAGE));
  const principalId = `AWS:${standIns.roleIdOf(UPLOADER)}:bench`;
  const sequencer = new Sequencer();
  const total = options.rounds + options.warmupRounds;

  // Uploads first, untimed: the benchmark measures processing, not s3rver's PUT.
  const records: Record<Variant, S3EventRecord[][]> = { governed: [], ungoverned: [] };
  for (let round = 0; round < total; round += 1) {
    for (const variant of VARIANTS) {
      const batch: S3EventRecord[] = [];
      for (let i = 0; i < options.perRound; i += 1) {
        const key = `incoming/${ORG}/detect/bench-${recognizer.name}-${variant}-${round}-${i}.png`;
        const { record } = await uploadAs(standIns.s3, {
          bucket: standIns.intakeBucket,
          key,
          body,
          contentType: 'image/png',
          principalId,
          eventTime: new Date().toISOString(),
          sequencer,
        });
        batch.push(record);
      }
      records[variant].push(batch);
    }
  }

  const policyCallsBefore = standIns.lambda.invocations.filter(
    (i) => i.functionName === standIns.policyFunctionName,
  ).length;
  const recognizerCallsBefore = recognizer.calls();
  const seconds: Record<Variant, number[]> = { governed: [], ungoverned: [] };
  const results: Record<Variant, UploadResult[]> = { governed: [], ungoverned: [] };
  for (let round = 0; round < total; round += 1) {
    const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const variant of order) {
      const { ms, result } = await timed(() => workers[variant].run(records[variant][round]!));
      expectEqual(
        `${recognizer.name} ${variant} round ${round}: outcomes`,
        countBy(result, (r) => `${r.outcome}${r.duplicate ? '(dup)' : ''}`),
        { RECOGNIZED: options.perRound },
      );
      results[variant].push(...result);
      if (round >= options.warmupRounds) seconds[variant].push(ms / 1000);
    }
  }

  await checkLedger(workers.governed.deps.ledger, records, results);
  const uploads = total * options.perRound;
  expectEqual(
    `${recognizer.name}: policy Lambda invocations (governed only)`,
    standIns.lambda.invocations.filter((i) => i.functionName === standIns.policyFunctionName).length -
      policyCallsBefore,
    uploads,
  );
  expectEqual(
    `${recognizer.name}: Rekognition calls (one per upload, both variants)`,
    recognizer.calls() - recognizerCallsBefore,
    2 * uploads,
  );

  const n = options.perRound;
  const ratios = seconds.governed.map((g, i) => seconds.ungoverned[i]! / g);
  const added = seconds.governed.map((g, i) => ((g - seconds.ungoverned[i]!) * 1000) / n);
  const prefix = `governance.${recognizer.name}`;
  return [
    measuredMetric(
      `${prefix}.governed-per-image`,
      'ms',
      seconds.governed.map((s) => (s * 1000) / n),
      `${n} uploads per round, SQS batches of ${standIns.batchSize}`,
    ),
    measuredMetric(
      `${prefix}.ungoverned-per-image`,
      'ms',
      seconds.ungoverned.map((s) => (s * 1000) / n),
      'bench-only variant without the policy step',
    ),
    measuredMetric(
      `${prefix}.throughput-ratio`,
      'governed/ungoverned',
      ratios,
      'per interleaved round: ungoverned time / governed time',
    ),
    measuredMetric(
      `${prefix}.added-per-image`,
      'ms',
      added,
      'per interleaved round: (governed - ungoverned) / uploads',
    ),
    figure(
      `${prefix}.governed-throughput`,
      'uploads/s',
      n / median(seconds.governed),
      'derived',
      'one worker process on this machine',
      seconds.governed.length,
    ),
    ...(recognizer.name === 'zero-latency' ? perUpload(prefix, counts, uploads) : []),
    ...(recognizer.callMs === undefined
      ? []
      : VARIANTS.map((variant, i) =>
          measuredMetric(
            `${prefix}.${variant}-recognizer-call`,
            'ms',
            recognizer.callMs![i]!,
            'one DetectFaces call as the worker saw it (queueing at the serial engine included), warm-up included',
          ),
        )),
  ];
};

/** Governed uploads: one ALLOW decision and one RECOGNIZED outcome each. Ungoverned: an outcome and no decision. */
const checkLedger = async (
  ledger: ReturnType<typeof createWorker>['deps']['ledger'],
  records: Record<Variant, S3EventRecord[][]>,
  results: Record<Variant, UploadResult[]>,
): Promise<void> => {
  for (const variant of VARIANTS) {
    const ids = records[variant].flat().map((r) =>
      decisionIdFor({
        bucket: r.s3.bucket.name,
        key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
        ...(r.s3.object.versionId ? { versionId: r.s3.object.versionId } : {}),
      }),
    );
    expectExactlyOnce(
      `${variant}: one result per upload, each for its own object`,
      ids,
      results[variant].map((r) => r.decisionId),
    );
    const found = await Promise.all(
      ids.map(async (id) => [await ledger.getDecision(id), await ledger.getOutcome(id)] as const),
    );
    const decisions = countBy(found, ([d]) => (d === undefined ? 'none' : `${d.effect}/${d.reason}`));
    const outcomes = countBy(found, ([, o]) => (o === undefined ? 'none' : o.outcome));
    expectEqual(
      `${variant}: DECISION entries`,
      decisions,
      variant === 'governed' ? { 'ALLOW/ALLOWED': ids.length } : { none: ids.length },
    );
    expectEqual(`${variant}: OUTCOME entries`, outcomes, { RECOGNIZED: ids.length });
    // The image holds one face: a recognizer that answered nothing useful must not pass.
    expectEqual(
      `${variant}: outcomes that found a face`,
      countBy(found, ([, o]) => (Number(o?.summary?.faces ?? 0) >= 1 ? 'face' : 'no face')),
      { face: ids.length },
    );
  }
};

/** Request classes as they are billed: S3 PUT-class and GET-class, DynamoDB writes and reads (DELETE is free on S3). */
const CLASSES = [
  { name: 's3-put-class', match: /^s3:(Put|Copy|Post|List|Create)/ },
  { name: 's3-get-class', match: /^s3:(Get|Head|Select)/ },
  { name: 'dynamodb-writes', match: /^dynamodb:(Put|Update|Delete|BatchWrite)/ },
  { name: 'dynamodb-reads', match: /^dynamodb:(Get|Query|Scan|BatchGet)/ },
] as const;

/** The governed worker's S3 and DynamoDB requests per upload (the policy Lambda's own requests are not in here). */
const perUpload = (prefix: string, counts: Record<string, number>, uploads: number): Metric[] =>
  CLASSES.map(({ name, match }) => {
    const entries = Object.entries(counts).filter(([key]) => match.test(key));
    const total = entries.reduce((sum, [, n]) => sum + n, 0);
    const breakdown = entries
      .map(([key, n]) => `${key.replace(/Command$/, '')} ${(n / uploads).toFixed(2)}`)
      .join(', ');
    return figure(
      `${prefix}.worker-${name}-per-upload`,
      'requests',
      total / uploads,
      'derived',
      `counted on the governed worker's clients: ${breakdown || 'none'}`,
      uploads,
    );
  });
