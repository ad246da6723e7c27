/**
 * A recognition handler wired to mocked AWS clients: S3 objects, the policy Lambda, Rekognition,
 * the audit ledger and the idempotency table, the last two backed by small in-memory tables so
 * conditional puts behave as DynamoDB's do.
 */
import { Readable } from 'node:stream';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DetectFacesCommand,
  IndexFacesCommand,
  RekognitionClient,
  SearchFacesByImageCommand,
} from '@aws-sdk/client-rekognition';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { sdkStreamMixin } from '@smithy/core/serde';
import type { Context, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import governance from '../../../config/governance.json';
import { createIdempotencyConfig, createMessageHandler } from '../../../lambda/recognition/batch';
import type { UploadDeps } from '../../../lambda/recognition/deps';
import type { RecognitionMetrics } from '../../../lambda/recognition/metrics';
import { processBatch } from '../../../lambda/recognition/process-batch';
import { RekognitionGateway } from '../../../lambda/recognition/rekognition';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger, decisionIdFor } from '../../../lambda/shared/audit';
import type { Decision, PolicyRequest } from '../../../lambda/shared/decision';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { logger } from '../../../lambda/shared/powertools';
import { parseGovernance } from '../../../lambda/shared/settings';

export const SETTINGS = parseGovernance(governance);
export const NOW = '2027-01-01T00:00:05.000Z';
export const QUARANTINE_BUCKET = 'govrec-quarantine';
export const RESULTS_BUCKET = 'govrec-results';
export const POLICY_FUNCTION = 'govrec-policy';

/** The smallest byte strings the format check accepts. */
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);

/** The decision the real policy Lambda would give for `request` when it allows. */
export const allowFor = (request: PolicyRequest, overrides: Partial<Decision> = {}): Decision => ({
  decisionId: decisionIdFor(request.object!),
  effect: 'ALLOW',
  reason: 'ALLOWED',
  policyIds: ['ngo-registered-use'],
  request,
  caller: {
    principalId: request.principalId,
    roleArn: 'arn:aws:iam::111111111111:role/govrec-ngo-child-rescue-uploader',
    orgId: request.orgId,
    category: 'ngo',
    restricted: false,
  },
  moratorium: { start: SETTINGS.moratorium.start, end: SETTINGS.moratorium.end, inForce: false },
  decidedAt: NOW,
  ...overrides,
});

/** A policy Lambda answer: a decision, a raw payload, a function error, or never (a hang). */
export type PolicyBehaviour = (
  request: PolicyRequest,
) => Partial<InvokeCommandOutput> | Promise<Partial<InvokeCommandOutput>>;
export const answer = (decision: Decision): Partial<InvokeCommandOutput> => ({
  StatusCode: 200,
  Payload: new TextEncoder().encode(JSON.stringify(decision)) as InvokeCommandOutput['Payload'],
});

interface StoredObject {
  readonly body: Buffer;
  readonly metadata?: Record<string, string>;
  /** Overrides ContentLength (to claim a size without allocating it). */
  readonly contentLength?: number;
}

const unmarshalledKey = (key: Record<string, AttributeValue> | undefined): string => JSON.stringify(key);

/** `tee`: a second sink for every metric (e.g. real Powertools metrics, to assert the EMF output). */
export const createHarness = (options: { readonly tee?: RecognitionMetrics } = {}) => {
  const s3 = new S3Client({});
  const lambda = new LambdaClient({});
  const rekognitionClient = new RekognitionClient({ maxAttempts: 1 });
  const idempotencyDb = new DynamoDBClient({});
  const audit = DynamoDBDocumentClient.from(new DynamoDBClient({}), AUDIT_TRANSLATE_CONFIG);
  const mocks = {
    s3: mockClient(s3),
    lambda: mockClient(lambda),
    rekognition: mockClient(rekognitionClient),
    idempotency: mockClient(idempotencyDb),
    audit: mockClient(audit),
  };

  const objects = new Map<string, StoredObject>();
  const ledger = new Map<string, Record<string, unknown>>();
  const idempotency = new Map<string, Record<string, AttributeValue>>();
  const objectId = (bucket: string | undefined, key: string | undefined, versionId: string | undefined) =>
    `${bucket}|${key}|${versionId ?? ''}`;

  mocks.s3.on(GetObjectCommand).callsFake((input) => {
    const stored = objects.get(objectId(input.Bucket, input.Key, input.VersionId));
    if (stored === undefined) throw new NoSuchKey({ message: 'no such key', $metadata: {} });
    return {
      Body: sdkStreamMixin(Readable.from([stored.body])),
      ContentLength: stored.contentLength ?? stored.body.length,
      Metadata: stored.metadata ?? {},
    };
  });
  // The order of the steps that matter across clients (ledger writes, copies, deletes).
  const timeline: string[] = [];
  // S3 refuses keys over 1,024 bytes of UTF-8.
  const keyTooLong = (key: string | undefined) =>
    Buffer.byteLength(key ?? '', 'utf8') > 1024
      ? Object.assign(new Error('Your key is too long'), {
          name: 'KeyTooLongError',
          $metadata: { httpStatusCode: 400 },
        })
      : undefined;
  mocks.s3.on(CopyObjectCommand).callsFake((input) => {
    const tooLong = keyTooLong(input.Key);
    if (tooLong !== undefined) throw tooLong;
    timeline.push(`copy:${input.Key}`);
    return { VersionId: 'qv-1' };
  });
  mocks.s3.on(PutObjectTaggingCommand).resolves({});
  mocks.s3.on(DeleteObjectCommand).callsFake((input) => {
    timeline.push(`delete:${input.Key}`);
    return {};
  });
  mocks.s3.on(PutObjectCommand).callsFake((input) => {
    const tooLong = keyTooLong(input.Key);
    if (tooLong !== undefined) throw tooLong;
    timeline.push(`put:${input.Key}`);
    return { VersionId: 'rv-1' };
  });

  let policy: PolicyBehaviour = (request) => answer(allowFor(request));
  mocks.lambda
    .on(InvokeCommand)
    .callsFake(async (input) => policy(JSON.parse(new TextDecoder().decode(input.Payload)) as PolicyRequest));

  mocks.rekognition.on(SearchFacesByImageCommand).resolves({
    SearchedFaceBoundingBox: { Left: 0.1, Top: 0.1, Width: 0.5, Height: 0.5 },
    SearchedFaceConfidence: 99.9,
    FaceMatches: [
      { Similarity: 97.25, Face: { FaceId: 'face-1', ExternalImageId: 'missing-child-1' } },
      { Similarity: 91, Face: { FaceId: 'face-2' } },
    ],
    FaceModelVersion: '7.0',
  });
  mocks.rekognition.on(DetectFacesCommand).resolves({ FaceDetails: [{ Confidence: 99.5 }, { Confidence: 98 }] });
  mocks.rekognition
    .on(IndexFacesCommand)
    .resolves({ FaceRecords: [{ Face: { FaceId: 'new-face' } }], UnindexedFaces: [], FaceModelVersion: '7.0' });

  const conditionFailed = (item?: Record<string, AttributeValue>) => {
    const error = new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    if (item !== undefined) error.Item = item;
    return error;
  };
  // A fault for a ledger write, e.g. `(item) => item.entry === 'OUTCOME' ? throttled : undefined`.
  let auditFault: (item: Record<string, unknown>) => Error | undefined = () => undefined;
  mocks.audit.on(PutCommand).callsFake((input) => {
    const fault = auditFault(input.Item as Record<string, unknown>);
    if (fault !== undefined) throw fault;
    timeline.push(`ledger:${input.Item?.entry}`);
    const key = `${input.Item?.decisionId}|${input.Item?.entry}`;
    if (ledger.has(key)) throw conditionFailed();
    ledger.set(key, structuredClone(input.Item as Record<string, unknown>));
    return {};
  });
  mocks.audit
    .on(GetCommand)
    .callsFake((input) => ({ Item: ledger.get(`${input.Key?.decisionId}|${input.Key?.entry}`) }));

  // Powertools' idempotency record: taken while in progress or completed and not expired.
  mocks.idempotency.on(PutItemCommand).callsFake((input) => {
    const key = unmarshalledKey({ id: input.Item!.id! });
    const existing = idempotency.get(key);
    const now = Date.now();
    const live =
      existing !== undefined &&
      Number(existing.expiration?.N) * 1000 > now &&
      !(
        existing.status?.S === 'INPROGRESS' &&
        existing.in_progress_expiration !== undefined &&
        Number(existing.in_progress_expiration.N) < now
      );
    if (live) throw conditionFailed(existing);
    idempotency.set(key, { ...input.Item! });
    return {};
  });
  mocks.idempotency.on(GetItemCommand).callsFake((input) => ({ Item: idempotency.get(unmarshalledKey(input.Key)) }));
  mocks.idempotency.on(UpdateItemCommand).callsFake((input) => {
    const key = unmarshalledKey(input.Key);
    const item = { ...(idempotency.get(key) ?? input.Key!) };
    for (const assignment of (input.UpdateExpression ?? '').replace(/^SET /, '').split(', ')) {
      const [name, value] = assignment.split(' = ');
      item[input.ExpressionAttributeNames![name!]!] = input.ExpressionAttributeValues![value!]!;
    }
    idempotency.set(key, item);
    return {};
  });
  mocks.idempotency.on(DeleteItemCommand).callsFake((input) => {
    idempotency.delete(unmarshalledKey(input.Key));
    return {};
  });

  const sleep = jest.fn(async (_ms: number) => undefined);
  // Every metric the handler emits, as `Name[:dimension]=value`, in order.
  const metricsLog: string[] = [];
  const tee = options.tee;
  const metrics: RecognitionMetrics = {
    upload: (outcome) => {
      metricsLog.push(`Uploads:${outcome}=1`);
      tee?.upload(outcome);
    },
    quarantined: () => {
      metricsLog.push('Quarantined=1');
      tee?.quarantined();
    },
    endToEndLatency: (ms) => {
      metricsLog.push(`EndToEndLatency=${ms}`);
      tee?.endToEndLatency(ms);
    },
    attempted: (operation) => {
      metricsLog.push(`RekognitionCalls:${operation}=1`);
      tee?.attempted(operation);
    },
    failed: (operation, name) => {
      metricsLog.push(`RekognitionErrors:${operation}=1`);
      tee?.failed(operation, name);
    },
    throttled: (operation) => {
      metricsLog.push(`RekognitionThrottles:${operation}=1`);
      tee?.throttled(operation);
    },
    // Decisions the worker records itself are asserted on the tee (EMF), not in metricsLog.
    decision: (decision) => tee?.decision?.(decision),
  };
  const deps: UploadDeps = {
    s3,
    lambda,
    ledger: new AuditLedger(audit, 'audit'),
    rekognition: new RekognitionGateway(rekognitionClient, metrics, {
      maxAttempts: 3,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      sleep,
      random: () => 0.5,
    }),
    settings: SETTINGS,
    clock: fixedClock(NOW),
    metrics,
    logger,
    quarantineBucket: QUARANTINE_BUCKET,
    resultsBucket: RESULTS_BUCKET,
    policyFunctionName: POLICY_FUNCTION,
    policyTimeoutMs: 5000,
    maxReceiveCount: 5,
  };

  let currentDeps = deps;
  const run = async (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const config = createIdempotencyConfig();
    config.registerLambdaContext({ getRemainingTimeInMillis: () => 30_000 } as Context);
    const handler = createMessageHandler(
      currentDeps,
      new DynamoDBPersistenceLayer({ tableName: 'idempotency', awsSdkV3Client: idempotencyDb }),
      config,
    );
    // The deployed batch settings (one message at a time), not the library's defaults.
    return processBatch(event, handler, context as Context | undefined);
  };

  return {
    mocks,
    objects,
    ledger,
    idempotency,
    sleep,
    metricsLog,
    timeline,
    run,
    /** Make ledger writes fail (`undefined`: write normally). */
    setAuditFault: (fault: (item: Record<string, unknown>) => Error | undefined) => {
      auditFault = fault;
    },
    /** Store an object version for GetObject. */
    putObject: (key: string, versionId: string | undefined, object: StoredObject, bucket = 'govrec-intake') =>
      objects.set(objectId(bucket, key, versionId), object),
    setPolicy: (behaviour: PolicyBehaviour) => {
      policy = behaviour;
    },
    withDeps: (overrides: Partial<UploadDeps>) => {
      currentDeps = { ...deps, ...overrides };
    },
    /** The PolicyRequests the policy Lambda was invoked with, in order. */
    policyRequests: (): PolicyRequest[] =>
      mocks.lambda
        .commandCalls(InvokeCommand)
        .map((call) => JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)) as PolicyRequest),
    /** How many Rekognition commands of any kind were sent. */
    rekognitionCalls: (): number =>
      mocks.rekognition.commandCalls(SearchFacesByImageCommand).length +
      mocks.rekognition.commandCalls(DetectFacesCommand).length +
      mocks.rekognition.commandCalls(IndexFacesCommand).length,
    ledgerEntry: (decisionId: string, entry: 'DECISION' | 'INTENT' | 'OUTCOME') => ledger.get(`${decisionId}|${entry}`),
    reset: () => {
      for (const mock of Object.values(mocks)) mock.restore();
    },
  };
};

export type Harness = ReturnType<typeof createHarness>;
