/**
 * The evidence flow in the offline run: the deployed recorder and digester handlers, loaded with
 * the environments the template gives them, a local KMS endpoint behind the unchanged KMS client,
 * and the journal table and digest bucket the template declares (in dynalite and s3rver).
 *
 * dynalite has no DynamoDB Streams, so `capture()` stands in for them: it scans both ledgers and
 * hands the recorder stream records (INSERT, MODIFY, REMOVE with old and new images, the shape
 * Lambda receives) for every difference since the last capture, stamped with the run's clock. The
 * run captures after every step, so several changes of one item inside one step would reach the
 * recorder as one (AWS streams each); that is the stand-in's one simplification.
 */
import { type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { canonicalForm, contentHash, type LedgerItem } from '../../lambda/evidence/canonical';
import { gridFor } from '../../lambda/evidence/config';
import { EVIDENCE_ENV } from '../../lambda/evidence/contract';
import type { LedgerName } from '../../lambda/evidence/types';
import type { VerificationReport } from '../../lambda/evidence/verify';
import type { Clock } from '../../lambda/shared/moratorium';
import type { GovernanceSettings } from '../../lambda/shared/settings';
import { applyEnvironment, handlerEnvironment } from '../handler-env';
import type { LocalTemplate } from '../template';
import { type EvidenceBundle, LEDGER_KEY_NAMES, readDeployedEvidence, writeEvidenceDir } from './evidence-source';
import { type LocalKms, startLocalKms } from './kms-server';
import { verifyBundle } from './verify-command';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Digests are weekly offline: the scenario spans more than a year of simulated time, and one
 * digest per hour would be ten thousand signatures (daily: 411 digests, ~20 s on this machine's
 * stand-ins). Deployed, the configured period applies (hourly by default).
 */
export const OFFLINE_PERIOD_MINUTES = 10_080;

const CONTEXT = { functionName: 'offline', awsRequestId: 'offline' } as unknown as Context;

export interface OfflineEvidenceOptions {
  readonly template: LocalTemplate;
  readonly region: string;
  readonly accountId: string;
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly clock: Clock;
  readonly settings: GovernanceSettings;
  /** Stand-in endpoint variables (`AWS_ENDPOINT_URL_*`). */
  readonly standInEnv: readonly Readonly<Record<string, string>>[];
  /** Variables every offline handler gets (quiet Powertools, GOVREC_SETTINGS). */
  readonly overrides: Readonly<Record<string, string>>;
  /** Runs each invocation as its function (the offline run's metric capture). */
  readonly wrap?: (service: string, handler: Handler) => Handler;
}

export class OfflineEvidence {
  private readonly seen: Record<LedgerName, Map<string, LedgerItem>> = { audit: new Map(), enforcement: new Map() };
  private sequence = 0;

  private constructor(
    private readonly options: OfflineEvidenceOptions,
    private readonly kms: LocalKms,
    private readonly recorder: Handler,
    private readonly digester: Handler,
    readonly tables: Readonly<Record<LedgerName, string>>,
    readonly digestBucket: string,
    private readonly restore: () => void,
  ) {}

  /** Start the local KMS and load both handlers; undefined when the template has no evidence functions. */
  static async start(options: OfflineEvidenceOptions): Promise<OfflineEvidence | undefined> {
    const functions = options.template.functions();
    const recorderFn = functions.find((fn) => fn.logicalId.startsWith('GovernedRecognitionEvidenceRecorderFunction'));
    const digesterFn = functions.find((fn) => fn.logicalId.startsWith('GovernedRecognitionEvidenceDigesterFunction'));
    if (recorderFn === undefined || digesterFn === undefined) return undefined;
    const kms = await startLocalKms();
    const overrides = {
      ...options.overrides,
      [EVIDENCE_ENV.periodMinutes]: String(OFFLINE_PERIOD_MINUTES),
      // The template names the KMS key by a placeholder ARN; the local endpoint holds its own key.
      [EVIDENCE_ENV.signingKeyId]: kms.key.keyArn,
    };
    const restores = [applyEnvironment(handlerEnvironment(recorderFn, [...options.standInEnv, kms.env], overrides))];
    const recorder = (await import('../../lambda/evidence/recorder/handler')).handler as unknown as Handler;
    restores.push(applyEnvironment(handlerEnvironment(digesterFn, [...options.standInEnv, kms.env], overrides)));
    const digester = (await import('../../lambda/evidence/digester/handler')).handler as unknown as Handler;
    const env = digesterFn.environment;
    const as = (fn: typeof recorderFn, handler: Handler): Handler =>
      options.wrap?.(fn.environment.POWERTOOLS_SERVICE_NAME ?? fn.logicalId, handler) ?? handler;
    return new OfflineEvidence(
      options,
      kms,
      as(recorderFn, recorder),
      as(digesterFn, digester),
      { audit: env[EVIDENCE_ENV.auditTable]!, enforcement: env[EVIDENCE_ENV.enforcementTable]! },
      env[EVIDENCE_ENV.digestBucket]!,
      () => {
        for (const undo of restores.reverse()) undo();
      },
    );
  }

  private async scan(table: string): Promise<Map<string, LedgerItem>> {
    const items = new Map<string, LedgerItem>();
    for await (const page of paginateScan(
      { client: this.options.dynamodb },
      { TableName: table, ConsistentRead: true },
    ))
      for (const item of (page.Items ?? []) as LedgerItem[]) items.set(this.keyOf(table, item), item);
    return items;
  }

  private keyOf(table: string, item: LedgerItem): string {
    const ledger: LedgerName = table === this.tables.audit ? 'audit' : 'enforcement';
    return canonicalForm(Object.fromEntries(LEDGER_KEY_NAMES[ledger].map((name) => [name, item[name]!])));
  }

  private streamRecord(ledger: LedgerName, newImage?: LedgerItem, oldImage?: LedgerItem): DynamoDBRecord {
    const item = (newImage ?? oldImage) as LedgerItem;
    const table = this.tables[ledger];
    this.sequence += 1;
    return {
      eventID: `offline-${this.sequence}`,
      eventName: oldImage === undefined ? 'INSERT' : newImage === undefined ? 'REMOVE' : 'MODIFY',
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: this.options.region,
      eventSourceARN: `arn:aws:dynamodb:${this.options.region}:${this.options.accountId}:table/${table}/stream/offline`,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(this.options.clock.now().getTime() / 1000),
        Keys: Object.fromEntries(LEDGER_KEY_NAMES[ledger].map((name) => [name, item[name]])) as never,
        ...(newImage !== undefined ? { NewImage: newImage as never } : {}),
        ...(oldImage !== undefined ? { OldImage: oldImage as never } : {}),
        SequenceNumber: String(this.sequence).padStart(21, '0'),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
  }

  /** Hand the recorder the stream records of every ledger change since the last capture. */
  async capture(): Promise<number> {
    const records: DynamoDBRecord[] = [];
    for (const ledger of ['audit', 'enforcement'] as const) {
      const now = await this.scan(this.tables[ledger]);
      const before = this.seen[ledger];
      for (const [key, item] of now) {
        const old = before.get(key);
        if (old === undefined) records.push(this.streamRecord(ledger, item));
        else if (contentHash(old) !== contentHash(item)) records.push(this.streamRecord(ledger, item, old));
      }
      for (const [key, old] of before) if (!now.has(key)) records.push(this.streamRecord(ledger, undefined, old));
      this.seen[ledger] = now;
    }
    for (let i = 0; i < records.length; i += 100) {
      const event: DynamoDBStreamEvent = { Records: records.slice(i, i + 100) };
      const response = (await this.recorder(event, CONTEXT)) as { batchItemFailures?: unknown[] };
      if ((response.batchItemFailures ?? []).length > 0)
        throw new Error(`the evidence recorder failed on ${response.batchItemFailures?.length} stream record(s)`);
    }
    return records.length;
  }

  /**
   * Take the ledgers as they are now without telling the recorder: what happens when someone
   * disables a ledger's stream, changes items, and enables it again (UpdateTable is not denied).
   */
  async resyncWithoutStream(): Promise<void> {
    for (const ledger of ['audit', 'enforcement'] as const) this.seen[ledger] = await this.scan(this.tables[ledger]);
  }

  /** Tick until every due period has its digest (a tick closes at most 48). */
  async tickUntilCurrent(): Promise<number> {
    let total = 0;
    for (let closed = await this.tick(); closed.length > 0; closed = await this.tick()) total += closed.length;
    return total;
  }

  /** One digest tick (what the five-minute schedule does on AWS); returns the digests written. */
  async tick(): Promise<readonly string[]> {
    const result = (await this.digester({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, CONTEXT)) as {
      closed: string[];
    };
    return result.closed;
  }

  /** Read the ledgers, digests and public key as `govrec verify --stack` would, as of the run's clock. */
  async bundle(): Promise<EvidenceBundle> {
    const now = this.options.clock.now();
    const bundle = await readDeployedEvidence(
      {
        dynamodb: this.options.dynamodb,
        s3: this.options.s3,
        kms: new (await import('@aws-sdk/client-kms')).KMSClient({
          endpoint: this.kms.endpoint,
          region: this.options.region,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }),
        tables: this.tables,
        digestBucket: this.digestBucket,
        signingKeyId: this.kms.key.keyArn,
        grid: gridFor(this.options.settings, OFFLINE_PERIOD_MINUTES),
      },
      new Date(0),
      now,
    );
    return { ...bundle, asOf: now.toISOString() };
  }

  /** Export the evidence to `dir` (what `govrec verify --evidence <dir>` reads) and verify it. */
  async exportAndVerify(dir: string): Promise<VerificationReport> {
    const bundle = await this.bundle();
    writeEvidenceDir(dir, bundle);
    const now = new Date(bundle.asOf as string);
    return verifyBundle(bundle, { from: new Date(0), to: now, now });
  }

  async stop(): Promise<void> {
    this.restore();
    await this.kms.stop();
  }
}
