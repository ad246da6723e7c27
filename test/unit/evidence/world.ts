/**
 * A small evidence world for the tests: ledger records written at given instants, the stream
 * records DynamoDB would emit for them (through the real `entryFor`), the real closer chaining
 * signed digests, and the real verifier. The journal and the digest store are in-memory here
 * (the dynalite/s3rver-backed ones are exercised in closer.test.ts); the signer is a local RSA
 * key pair, the same scheme as KMS RSA_2048 / RSASSA_PKCS1_V1_5_SHA_256.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { contentHash, type LedgerItem } from '../../../lambda/evidence/canonical';
import { closeDuePeriods } from '../../../lambda/evidence/close';
import type { DigestSigner } from '../../../lambda/evidence/digest';
import type { DigestStore } from '../../../lambda/evidence/digest-store';
import type { ChainHead } from '../../../lambda/evidence/journal';
import type { PeriodGrid } from '../../../lambda/evidence/periods';
import { entryFor } from '../../../lambda/evidence/stream-entry';
import type { DigestEntry, LedgerName } from '../../../lambda/evidence/types';
import { type VerificationReport, verifyLedgers } from '../../../lambda/evidence/verify';

export const GRID: PeriodGrid = { periodMinutes: 60, boundaries: ['2027-07-01T00:30:00.000Z'] };
export const T0 = Date.parse('2027-06-30T22:00:00.000Z');
export const KEY_NAMES = { audit: ['decisionId', 'entry'], enforcement: ['pk', 'sk'] } as const;
const TABLES = { 'audit-table': 'audit', 'enforcement-table': 'enforcement' } as const;
const TABLE_OF: Record<LedgerName, string> = { audit: 'audit-table', enforcement: 'enforcement-table' };

export class LocalKeySigner implements DigestSigner {
  readonly keyId = 'local-test-key';
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKeyPem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }
  async sign(message: Uint8Array): Promise<Uint8Array> {
    return sign('sha256', message, this.privateKey);
  }
}

export class MemoryStore implements DigestStore {
  readonly objects = new Map<string, string>();
  async putIfAbsent(key: string, text: string): Promise<boolean> {
    if (this.objects.has(key)) return false;
    this.objects.set(key, text);
    return true;
  }
  async get(key: string): Promise<string | undefined> {
    return this.objects.get(key);
  }
}

export class MemoryJournal {
  pending = new Map<string, DigestEntry>();
  current: ChainHead | undefined;
  async add(entry: DigestEntry) {
    this.pending.set(`${entry.at}#${entry.ledger}#${entry.sequence}`, entry);
  }
  async head() {
    return this.current;
  }
  async pendingBefore(end: string) {
    return [...this.pending.entries()]
      .filter(([sk]) => sk < end)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, entry]) => entry);
  }
  async forget(entries: readonly DigestEntry[]) {
    for (const entry of entries) this.pending.delete(`${entry.at}#${entry.ledger}#${entry.sequence}`);
  }
  async moveHead(next: ChainHead) {
    this.current = next;
  }
}

/** One record as the ledgers would hold it; audit records carry their hash like AuditLedger writes them. */
export const ledgerItem = (ledger: LedgerName, index: number, at: number, detail: string): LedgerItem => {
  const time = new Date(at).toISOString();
  if (ledger === 'audit') {
    const item: LedgerItem = {
      decisionId: { S: `d-${index}` },
      entry: { S: 'DECISION' },
      decidedAt: { S: time },
      effect: { S: 'DENY' },
      detail: { S: detail },
      policyIds: { L: [{ S: 'moratorium-forbid' }] },
    };
    return { ...item, contentHash: { S: contentHash(item) } };
  }
  return {
    pk: { S: `arn:aws:iam::111111111111:role/r-${index}` },
    sk: { S: `EVENT#${time}#e-${index}` },
    action: { S: 'DISABLED' },
    recordedAt: { S: time },
    detail: { S: detail },
  };
};

const keysOf = (ledger: LedgerName, item: LedgerItem): LedgerItem =>
  Object.fromEntries(KEY_NAMES[ledger].map((name) => [name, item[name]!]));

let sequence = 100_000_000;
/** The stream record DynamoDB emits for a change (ApproximateCreationDateTime in whole seconds). */
export const streamRecord = (
  ledger: LedgerName,
  change: 'INSERT' | 'MODIFY' | 'REMOVE',
  at: number,
  newImage: LedgerItem | undefined,
  oldImage: LedgerItem | undefined,
): DynamoDBRecord => {
  const item = (newImage ?? oldImage)!;
  sequence += 1;
  return {
    eventID: `ev-${sequence}`,
    eventName: change,
    eventSource: 'aws:dynamodb',
    eventSourceARN: `arn:aws:dynamodb:eu-west-1:111111111111:table/${TABLE_OF[ledger]}/stream/2027-01-01T00:00:00.000`,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(at / 1000),
      Keys: keysOf(ledger, item) as never,
      ...(newImage !== undefined ? { NewImage: newImage as never } : {}),
      ...(oldImage !== undefined ? { OldImage: oldImage as never } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
};

export interface World {
  readonly ledgers: Record<LedgerName, LedgerItem[]>;
  readonly journal: MemoryJournal;
  readonly store: MemoryStore;
  readonly signer: LocalKeySigner;
  /** Feed a stream record through the recorder path (entryFor + journal). */
  record(record: DynamoDBRecord): Promise<void>;
  close(now: number): Promise<ChainHead[]>;
  verify(now: number, from?: number, to?: number): VerificationReport;
}

export const newWorld = (signer = new LocalKeySigner()): World => {
  const journal = new MemoryJournal();
  const store = new MemoryStore();
  const world: World = {
    ledgers: { audit: [], enforcement: [] },
    journal,
    store,
    signer,
    record: (record) => journal.add(entryFor(record, TABLES)),
    close: (now) =>
      closeDuePeriods(
        {
          journal,
          store,
          signer,
          grid: GRID,
          graceSeconds: 300,
          prefix: 'digests/',
          retainUntil: (at) => new Date(at.getTime() + 86_400_000),
          maxPeriods: 1000,
        },
        new Date(now),
      ),
    verify: (now, from = T0, to = now) =>
      verifyLedgers({
        digests: [...store.objects.entries()].map(([key, text]) => ({ key, text })),
        publicKeyPem: signer.publicKeyPem,
        ledgers: world.ledgers,
        keyNames: KEY_NAMES,
        from: new Date(from),
        to: new Date(to),
        now: new Date(now),
        grid: GRID,
        graceSeconds: 300,
        backfillToleranceSeconds: 900,
      }),
  };
  return world;
};

/** Write a record the way the pipeline does: into its ledger, and through the stream. */
export const write = async (world: World, ledger: LedgerName, index: number, at: number, detail = 'ok') => {
  const item = ledgerItem(ledger, index, at, detail);
  world.ledgers[ledger].push(item);
  await world.record(streamRecord(ledger, 'INSERT', at + 200, item, undefined));
  return item;
};
