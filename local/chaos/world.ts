/**
 * The intake pipeline under faults, in one process: the deployed recognition and policy handlers
 * (their middy chains, loaded from lambda/*\/handler.ts), real Cedar, dynalite for the ledger and
 * the idempotency table, s3rver with versioning for the buckets, the local IAM and Lambda Invoke
 * endpoints. Time is the handlers' runtime clock (lambda/shared/clock.ts), which the scenario moves.
 * Rekognition is answered at the client boundary by a recorder that checks, at the instant of
 * each call, that a recorded ALLOW stands behind it and that the caller is not barred.
 */
import { CreateTableCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import governance from '../../config/governance.json';
import {
  AUDIT_INDEXES,
  AUDIT_KEYS,
  AUDIT_TRANSLATE_CONFIG,
  decisionIdFor,
  type OutcomeRecord,
  outcomeKindFor,
} from '../../lambda/shared/audit';
import { resetRuntimeClock, useRuntimeClock } from '../../lambda/shared/clock';
import type { Decision } from '../../lambda/shared/decision';
import { type GovernanceSettings, parseGovernance, restrictionAt } from '../../lambda/shared/settings';
import { type LocalDynamoDb, startLocalDynamoDb } from '../dynamodb';
import { LocalIamRegistry } from '../iam/registry';
import { type LocalIamEndpoint, startIamEndpoint } from '../iam/server';
import { type LambdaEndpoint, startLambdaEndpoint } from '../lambda-endpoint';
import { type LocalS3, startLocalS3 } from '../s3';
import { Sequencer, s3EventMessageBody, s3ObjectCreatedRecord } from '../s3-events';
import { type FaultHook, installFaultHook, type SdkCall } from './faults';
import type { Scenario, UploadSpec } from './scenario';

export const ACCOUNT = '111111111111';
export const BUCKETS = { intake: 'intake', quarantine: 'quarantine', results: 'results' } as const;
export const TABLES = { audit: 'audit', idempotency: 'idempotency' } as const;
export const POLICY_FUNCTION = 'govrec-policy';
/** The intake queue's (lib/constructs/intake/governed-intake.ts). */
export const MAX_RECEIVE_COUNT = 5;
/** Six times the worker's 60 s timeout, as the intake queue is configured. */
export const VISIBILITY_TIMEOUT_MS = 6 * 60_000;
/** The NGO role a scenario may tag restricted (a caller restricted only by its tag). */
export const TAGGABLE_ROLE = 'govrec-ngo-child-rescue-uploader';
export const RESTRICTED_TAG = { Key: 'govrec:category', Value: 'police' } as const;

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** The scenario's time, installed as both handlers' runtime clock. */
export interface SimulatedClock {
  now(): Date;
  setSystemTime(ms: number): void;
  tick(ms: number): void;
}

const simulatedClock = (start: number): SimulatedClock => {
  let at = start;
  return {
    now: () => new Date(at),
    setSystemTime: (ms) => {
      at = ms;
    },
    tick: (ms) => {
      at += ms;
    },
  };
};

export interface World {
  readonly settings: GovernanceSettings;
  readonly hook: FaultHook;
  readonly clock: SimulatedClock;
  readonly s3: LocalS3;
  readonly ddb: LocalDynamoDb;
  readonly iam: LocalIamEndpoint;
  readonly lambda: LambdaEndpoint;
  readonly registry: LocalIamRegistry;
  readonly ledger: DynamoDBDocumentClient;
  readonly recognition: Handler;
  stop(): Promise<void>;
}

const createTables = async (ddb: LocalDynamoDb): Promise<void> => {
  const keyNames = [
    AUDIT_KEYS.partition,
    AUDIT_KEYS.sort,
    ...Object.values(AUDIT_INDEXES).flatMap((k) => [k.partition, k.sort]),
  ];
  await ddb.client.send(
    new CreateTableCommand({
      TableName: TABLES.audit,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: AUDIT_KEYS.partition, KeyType: 'HASH' },
        { AttributeName: AUDIT_KEYS.sort, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [...new Set(keyNames)].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      GlobalSecondaryIndexes: Object.entries(AUDIT_INDEXES).map(([name, keys]) => ({
        IndexName: name,
        KeySchema: [
          { AttributeName: keys.partition, KeyType: 'HASH' },
          { AttributeName: keys.sort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await ddb.client.send(
    new CreateTableCommand({
      TableName: TABLES.idempotency,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }),
  );
};

/**
 * Start the stand-ins, set the handlers' environment and load both handler modules.
 *
 * @example
 * const world = await startWorld();
 * const report = await runScenario(world, scenario, 1);
 * await world.stop();
 */
export const startWorld = async (): Promise<World> => {
  const settings = parseGovernance(governance);
  const clock = simulatedClock(Date.parse('2027-01-01T00:00:00Z'));
  useRuntimeClock(clock);
  const hook = installFaultHook();
  process.env.AWS_REGION ??= 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  const s3 = await startLocalS3({
    buckets: [
      { name: BUCKETS.intake, versioned: true },
      { name: BUCKETS.quarantine, versioned: true },
      { name: BUCKETS.results },
    ],
  });
  const ddb = await startLocalDynamoDb();
  await createTables(ddb);
  const registry = new LocalIamRegistry(ACCOUNT);
  for (const org of settings.organisations) for (const arn of org.roleArns) registry.addRole(arn);
  const iam = await startIamEndpoint(registry);
  const lambda = await startLambdaEndpoint({ accountId: ACCOUNT });
  Object.assign(process.env, s3.env, ddb.env, lambda.env, {
    AWS_ENDPOINT_URL_IAM: iam.endpoint,
    AUDIT_TABLE_NAME: TABLES.audit,
    IDEMPOTENCY_TABLE_NAME: TABLES.idempotency,
    QUARANTINE_BUCKET_NAME: BUCKETS.quarantine,
    RESULTS_BUCKET_NAME: BUCKETS.results,
    POLICY_FUNCTION_NAME: POLICY_FUNCTION,
    POLICY_TIMEOUT_MS: '3000',
    MAX_RECEIVE_COUNT: String(MAX_RECEIVE_COUNT),
    GOVREC_SETTINGS: JSON.stringify(governance),
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  // Loaded inside the policy's context, so its warm-up IAM calls count as the policy function's.
  const policy = await hook.run('policy', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../lambda/decision/handler') as { handler: Handler }).handler;
  });
  lambda.register(POLICY_FUNCTION, { handler: (event, context) => hook.run('policy', () => policy(event, context)) });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const recognition = (require('../../lambda/recognition/handler') as { handler: Handler }).handler;
  const ledger = DynamoDBDocumentClient.from(ddb.client, AUDIT_TRANSLATE_CONFIG);
  return {
    settings,
    hook,
    clock,
    s3,
    ddb,
    iam,
    lambda,
    registry,
    ledger,
    recognition,
    stop: async () => {
      hook.uninstall();
      resetRuntimeClock();
      await lambda.stop();
      await iam.stop();
      await s3.stop();
      await ddb.stop();
    },
  };
};

/** One upload of a scenario as it was made. */
interface Upload {
  readonly spec: UploadSpec;
  readonly key: string;
  readonly versionId: string;
  readonly decisionId: string;
  readonly principalId: string;
  readonly roleName?: string;
  readonly body: string;
}

/** What a scenario came to. `violations` is empty when every invariant held. */
export interface ScenarioReport {
  readonly uploads: number;
  readonly outcomes: Record<string, number>;
  readonly lost: number;
  readonly repeatedRecognitions: number;
  readonly callsWithoutAllow: number;
  readonly deliveries: number;
  readonly deadLettered: number;
  /** Per upload, in order: the decision and outcome of record. */
  readonly stories: readonly { readonly effect?: string; readonly reason?: string; readonly outcome?: string }[];
  readonly violations: string[];
}

const JPEG = '\xff\xd8\xff\xe0\x00\x10JFIF\x00';
const PNG = '\x89PNG\r\n\x1a\n\x00\x00\x00\x0d';

const keyOf = (spec: UploadSpec, tag: string): string => {
  const orgId = spec.org === 'unregistered' ? 'unregistered-org' : spec.org;
  const op = spec.operation === 'bogus' ? 'enhance' : spec.operation;
  const head = `incoming/${orgId}/${op}/`;
  switch (spec.name) {
    case 'plain':
      return `${head}${tag}-photo.jpg`;
    case 'encoded':
      return `${head}${tag}-red flower+plus%25 (1).jpg`;
    case 'cjk':
      return `${head}${tag}-café 界 😀.jpg`;
    case 'invalid':
      // No operation segment. (Dot segments such as `a/../b` are valid S3 keys too, but s3rver
      // resolves them as a path, so they cannot be played here.)
      return `incoming/${orgId}/${tag}-photo.jpg`;
    case 'at-limit': {
      // Segments under 255 bytes (s3rver stores each as a file name), the whole key exactly 1,024 bytes.
      const base = `${head}${tag}/${Array.from({ length: 4 }, () => '界'.repeat(70)).join('/')}/`;
      return `${base}${'a'.repeat(1024 - Buffer.byteLength(base) - 4)}.jpg`;
    }
  }
};

const bodyOf = (spec: UploadSpec, marker: string): string => {
  if (spec.content === 'empty') return '';
  const prefix = spec.content === 'jpeg' ? JPEG : spec.content === 'png' ? PNG : 'plain text ';
  return `${prefix}<<${marker}>>`;
};

const roleFor = (world: World, spec: UploadSpec): string | undefined => {
  if (spec.as === 'unknown') return undefined;
  const own = world.settings.organisations.find((org) => org.id === spec.org);
  const other = world.settings.organisations.find((org) => org.id !== spec.org && org.id !== 'marinus-like');
  const arn = spec.as === 'own-role' ? own?.roleArns[0] : other?.roleArns[0];
  return arn?.split('/').pop();
};

const sqsMessageOf = (body: string, messageId: string, receiveCount: number): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}-${receiveCount}`,
  body,
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: String(Date.now()),
    SenderId: 'AROAS3SERVICE',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: 'md5',
  eventSource: 'aws:sqs',
  eventSourceARN: `arn:aws:sqs:eu-west-1:${ACCOUNT}:intake`,
  awsRegion: 'eu-west-1',
});

let invocationCount = 0;
const contextOf = (): Context => {
  invocationCount += 1;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'govrec-recognition',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:govrec-recognition`,
    memoryLimitInMB: '1024',
    awsRequestId: `chaos-${invocationCount}`,
    logGroupName: '/aws/lambda/govrec-recognition',
    logStreamName: 'chaos',
    // The simulated clock stands still during an invocation; the worker's timeout is 60 s.
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

const sequencer = new Sequencer();

/**
 * A crashed invocation (or one whose idempotency write lost its answer) leaves its Powertools
 * idempotency record INPROGRESS until the invocation's deadline (wall-clock `Date.now()` plus its
 * remaining time). On AWS the next receive comes a
 * visibility timeout (6 min) later, well after that deadline; the scenario's time is simulated, so
 * the deadline is moved to the past here, which is all that much time passing would do.
 */
const expireInProgress = async (world: World): Promise<void> =>
  world.hook.run('observer', async () => {
    const scan = await world.ddb.client.send(new ScanCommand({ TableName: TABLES.idempotency }));
    for (const item of scan.Items ?? []) {
      if (item.status?.S !== 'INPROGRESS') continue;
      await world.ddb.client.send(
        new UpdateItemCommand({
          TableName: TABLES.idempotency,
          Key: { id: item.id as { S: string } },
          UpdateExpression: 'SET in_progress_expiration = :past',
          ExpressionAttributeValues: { ':past': { N: '0' } },
        }),
      );
    }
  });

/**
 * Play one scenario until it quiesces (every message handled, dead-lettered messages redriven once
 * the faults are over, as the runbook says) and check the invariants of issue 9.
 */
export const runScenario = async (world: World, scenario: Scenario, id: number): Promise<ScenarioReport> => {
  const { hook, clock, settings } = world;
  const violations: string[] = [];
  const observe = <T>(fn: () => Promise<T>) => hook.run('observer', fn);
  const anchor = Date.parse(scenario.anchor === 'start' ? settings.moratorium.start : settings.moratorium.end);
  const eventTime = new Date(anchor + scenario.offsetMs).toISOString();
  clock.setSystemTime(Date.parse(eventTime));
  let tagged = false;

  // Make the uploads as the organisations would (a versioned PUT), and their S3 events.
  const uploads: Upload[] = [];
  const bodies: string[] = [];
  for (const [index, spec] of scenario.uploads.entries()) {
    const key = keyOf(spec, `s${id}-${index}`);
    const body = bodyOf(spec, `s${id}-${index}`);
    const put = await observe(() =>
      world.s3.client.send(
        new PutObjectCommand({ Bucket: BUCKETS.intake, Key: key, Body: Buffer.from(body, 'latin1') }),
      ),
    );
    const versionId = put.VersionId ?? 'null';
    const roleName = roleFor(world, spec);
    const roleId = roleName === undefined ? 'AROAUNKNOWNCALLER0001' : world.registry.getRole(roleName).roleId;
    uploads.push({
      spec,
      key,
      versionId,
      decisionId: decisionIdFor({ bucket: BUCKETS.intake, key, versionId }),
      principalId: `AWS:${roleId}:upload-${id}`,
      ...(roleName !== undefined ? { roleName } : {}),
      body,
    });
    bodies.push(
      s3EventMessageBody([
        s3ObjectCreatedRecord({
          bucket: BUCKETS.intake,
          key,
          size: Buffer.byteLength(body, 'latin1'),
          eTag: 'etag',
          versionId,
          sequencer: sequencer.next(),
          principalId: `AWS:${roleId}:upload-${id}`,
          eventTime,
          region: 'eu-west-1',
        }),
      ]),
    );
    if (spec.deletedBefore)
      await observe(() =>
        world.s3.client.send(new DeleteObjectCommand({ Bucket: BUCKETS.intake, Key: key, VersionId: versionId })),
      );
  }

  const ledgerItem = (decisionId: string, entry: 'DECISION' | 'OUTCOME') =>
    observe(() =>
      world.ledger.send(new GetCommand({ TableName: TABLES.audit, Key: { decisionId, entry }, ConsistentRead: true })),
    ).then((answer) => answer.Item);
  const uploadByMarker = (bytes: Uint8Array | undefined): Upload | undefined => {
    const text = Buffer.from(bytes ?? new Uint8Array()).toString('latin1');
    const marker = /<<(s\d+-\d+)>>/.exec(text)?.[1];
    return uploads.find((upload) => upload.body.includes(`<<${marker}>>`));
  };
  const isRestrictedNow = (upload: Upload): boolean => {
    const org = settings.organisations.find((o) => o.roleArns.some((arn) => arn.endsWith(`/${upload.roleName}`)));
    const restricted =
      (org !== undefined && settings.moratorium.restrictedCategories.includes(org.category)) ||
      (upload.roleName === TAGGABLE_ROLE && tagged);
    return restricted && restrictionAt(settings, clock.now()) !== undefined;
  };

  // Invariant 2 at the instant of each Rekognition call; the recorder answers instead of the service.
  const recognitions = new Map<string, number>();
  const allowance = new Map<string, number>();
  let callsWithoutAllow = 0;
  hook.setResponder((call: SdkCall) => {
    if (call.client !== 'RekognitionClient') return undefined;
    return (async () => {
      const upload = uploadByMarker((call.input.Image as { Bytes?: Uint8Array } | undefined)?.Bytes);
      if (upload === undefined) {
        callsWithoutAllow += 1;
        violations.push(`Rekognition ${call.command} for an image that is no upload of this scenario`);
        return {};
      }
      const decision = (await ledgerItem(upload.decisionId, 'DECISION'))?.decision as Decision | undefined;
      if (decision?.effect !== 'ALLOW' || decision.request.object?.versionId !== upload.versionId) {
        callsWithoutAllow += 1;
        violations.push(`Rekognition called for ${upload.key} without a recorded ALLOW for its version`);
      }
      if (isRestrictedNow(upload))
        violations.push(`Rekognition called for restricted caller of ${upload.key} at ${clock.now().toISOString()}`);
      recognitions.set(upload.decisionId, (recognitions.get(upload.decisionId) ?? 0) + 1);
      if (call.command === 'SearchFacesByImageCommand') return { FaceMatches: [], FaceModelVersion: '7.0' };
      if (call.command === 'IndexFacesCommand') return { FaceRecords: [], UnindexedFaces: [] };
      return { FaceDetails: [{ Confidence: 99 }] };
    })();
  });

  // Invariant 3: a worker's delete of an intake version needs its copy and its outcome first.
  hook.setObserver(async (call: SdkCall) => {
    if (call.caller !== 'worker' || call.command !== 'DeleteObjectCommand' || call.input.Bucket !== BUCKETS.intake)
      return;
    const upload = uploads.find((u) => u.key === call.input.Key && u.versionId === call.input.VersionId);
    if (upload === undefined) return;
    const outcome = (await ledgerItem(upload.decisionId, 'OUTCOME'))?.record as OutcomeRecord | undefined;
    if (outcome?.location === undefined) {
      violations.push(`intake version of ${upload.key} deleted before its outcome was recorded`);
      return;
    }
    const { bucket, key, versionId } = outcome.location;
    await observe(() =>
      world.s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId })),
    ).catch(() => violations.push(`intake version of ${upload.key} deleted before its quarantine copy existed`));
  });

  // The queue: messages in the scenario's delivery order (duplicates are separate messages).
  interface Message {
    readonly upload: number;
    readonly messageId: string;
    receiveCount: number;
  }
  let queue: Message[] = scenario.deliveries.map((upload, j) => ({
    upload,
    messageId: `m-${id}-${j}`,
    receiveCount: 1,
  }));
  const deadLetters: Message[] = [];
  let step = 0;
  let deliveries = 0;
  hook.arm({
    faultFor: (call, index) => {
      const fault = scenario.faults.find((f) => f.at === index);
      // A Rekognition call whose answer is lost is a call made: only faults before it are injected.
      return fault !== undefined && call.client === 'RekognitionClient' ? { ...fault, after: false } : fault;
    },
    crashAt: (_call, index) => scenario.crashAt === index,
  });
  const drain = async (faulty: boolean) => {
    while (queue.length > 0) {
      if (deliveries > 400) {
        violations.push('the queue did not quiesce in 400 deliveries');
        return;
      }
      const message = queue.shift() as Message;
      clock.tick(scenario.delaysMs[step % scenario.delaysMs.length] ?? 0);
      if (faulty && scenario.tagBeforeDelivery === step) {
        world.registry.tagRole(TAGGABLE_ROLE, [RESTRICTED_TAG]);
        tagged = true;
      }
      step += 1;
      deliveries += 1;
      const event: SQSEvent = {
        Records: [sqsMessageOf(bodies[message.upload] as string, message.messageId, message.receiveCount)],
      };
      let response: SQSBatchResponse | undefined;
      try {
        response = (await hook.run('worker', () => world.recognition(event, contextOf()))) as SQSBatchResponse;
      } catch {
        response = undefined;
      }
      const crashed = hook.newInvocation();
      if (crashed) {
        // A crash after a Rekognition call and before its outcome allows one repeat of that call.
        for (const upload of uploads) {
          if ((recognitions.get(upload.decisionId) ?? 0) === 0) continue;
          if ((await ledgerItem(upload.decisionId, 'OUTCOME')) === undefined)
            allowance.set(upload.decisionId, (allowance.get(upload.decisionId) ?? 0) + 1);
        }
      }
      const failed = crashed || response === undefined || response.batchItemFailures.length > 0;
      if (!failed) continue;
      clock.tick(VISIBILITY_TIMEOUT_MS);
      await expireInProgress(world);
      message.receiveCount += 1;
      if (message.receiveCount > MAX_RECEIVE_COUNT) deadLetters.push(message);
      else queue.push(message);
    }
  };
  await drain(true);
  hook.disarm();
  // "Fix the cause, then redrive": the dead letters go back once the faults are over.
  const deadLettered = deadLetters.length;
  queue = deadLetters.splice(0).map((m) => ({ ...m, receiveCount: 1 }));
  await drain(false);
  if (deadLetters.length > 0) violations.push(`${deadLetters.length} message(s) dead-lettered again after the redrive`);

  // Invariants 1 and 4, and where each object ended up.
  const outcomes: Record<string, number> = {};
  let lost = 0;
  let repeatedRecognitions = 0;
  const stories: { effect?: string; reason?: string; outcome?: string }[] = [];
  for (const upload of uploads) {
    const decision = (await ledgerItem(upload.decisionId, 'DECISION'))?.decision as Decision | undefined;
    const outcome = (await ledgerItem(upload.decisionId, 'OUTCOME'))?.record as OutcomeRecord | undefined;
    stories.push({ effect: decision?.effect, reason: decision?.reason, outcome: outcome?.outcome });
    const name = upload.key.slice(0, 80);
    if (outcome === undefined || decision === undefined) {
      lost += 1;
      violations.push(`${name}: no ${outcome === undefined ? 'OUTCOME' : 'DECISION'} recorded`);
      continue;
    }
    outcomes[outcome.outcome] = (outcomes[outcome.outcome] ?? 0) + 1;
    const story = storyProblem(decision, outcome);
    if (story !== undefined) violations.push(`${name}: ${story}`);
    if ((outcome.outcome === 'GONE') !== upload.spec.deletedBefore)
      violations.push(
        `${name}: outcome ${outcome.outcome}, but the object was ${upload.spec.deletedBefore ? '' : 'not '}deleted before`,
      );
    const calls = recognitions.get(upload.decisionId) ?? 0;
    if (outcome.outcome === 'RECOGNIZED' && calls === 0)
      violations.push(`${name}: RECOGNIZED without a Rekognition call`);
    if (calls > 1) repeatedRecognitions += calls - 1;
    if (calls > 1 + (allowance.get(upload.decisionId) ?? 0))
      violations.push(
        `${name}: ${calls} Rekognition calls, ${allowance.get(upload.decisionId) ?? 0} crash(es) between a call and its outcome`,
      );
    const intake = await observe(() =>
      world.s3.client.send(
        new GetObjectCommand({ Bucket: BUCKETS.intake, Key: upload.key, VersionId: upload.versionId }),
      ),
    ).then(
      () => true,
      () => false,
    );
    const quarantined = ['QUARANTINED', 'REJECTED', 'UNAVAILABLE'].includes(outcome.outcome);
    if (quarantined && intake) violations.push(`${name}: ${outcome.outcome} but the intake version is still there`);
    if (outcome.outcome === 'RECOGNIZED' && !intake)
      violations.push(`${name}: RECOGNIZED but the intake version is gone`);
  }
  if (tagged) world.registry.untagRole(TAGGABLE_ROLE, [RESTRICTED_TAG.Key]);
  hook.setResponder(() => undefined);
  hook.setObserver(async () => undefined);
  return {
    uploads: uploads.length,
    outcomes,
    lost,
    repeatedRecognitions,
    callsWithoutAllow,
    deliveries,
    deadLettered,
    stories,
    violations,
  };
};

/** Why an OUTCOME does not agree with its DECISION, or undefined when it does. */
export const storyProblem = (decision: Decision, outcome: OutcomeRecord): string | undefined => {
  const supersedes = outcome.supersedes;
  if (supersedes === undefined) {
    if (decision.effect === 'ALLOW')
      return outcome.outcome === 'RECOGNIZED' ? undefined : `ALLOW decision with ${outcome.outcome} and no supersedes`;
    if (outcome.outcome === 'RECOGNIZED') return `RECOGNIZED after a DENY (${decision.reason})`;
    if (outcome.reason !== decision.reason) return `DENY ${decision.reason} with outcome reason ${outcome.reason}`;
    if (outcome.outcome !== outcomeKindFor(decision.reason))
      return `DENY ${decision.reason} should end ${outcomeKindFor(decision.reason)}, ended ${outcome.outcome}`;
    return undefined;
  }
  if (outcome.outcome === 'RECOGNIZED') return 'RECOGNIZED outcome claims to supersede its decision';
  if (
    supersedes.effect !== decision.effect ||
    supersedes.reason !== decision.reason ||
    supersedes.decidedAt !== decision.decidedAt
  )
    return `supersedes ${supersedes.effect} ${supersedes.reason} ${supersedes.decidedAt}, the decision is ${decision.effect} ${decision.reason} ${decision.decidedAt}`;
  return undefined;
};
