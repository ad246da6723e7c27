/**
 * Reading what verification needs: every item of both ledgers (raw attribute values, consistent
 * scans), the digest files of a time range, and the signing key's public half. The same code reads
 * a deployed stack and the offline run's stand-ins (only the clients' endpoints differ), and an
 * exported folder lets an auditor verify with no AWS access at all.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { LedgerItem } from '../../lambda/evidence/canonical';
import { EVIDENCE_DEFAULTS } from '../../lambda/evidence/contract';
import { KmsDigestSigner } from '../../lambda/evidence/digest';
import type { PeriodGrid } from '../../lambda/evidence/periods';
import type { LedgerName } from '../../lambda/evidence/types';
import { AUDIT_KEYS } from '../../lambda/shared/audit';

/** Key attribute names of each ledger. */
export const LEDGER_KEY_NAMES: Readonly<Record<LedgerName, readonly string[]>> = {
  audit: [AUDIT_KEYS.partition, AUDIT_KEYS.sort],
  enforcement: ['pk', 'sk'],
};

/** Everything `verifyLedgers` reads, in a form that can be written to and read from a folder. */
export interface EvidenceBundle {
  readonly grid: PeriodGrid;
  readonly publicKeyPem: string;
  readonly ledgers: Record<LedgerName, LedgerItem[]>;
  readonly digests: { readonly key: string; readonly text: string }[];
  /** When it was read (ISO 8601): the offline run's simulated time, or the wall clock. */
  readonly asOf?: string;
}

export interface DeployedEvidence {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  /** To fetch the public key; not needed when `publicKeyPem` is given. */
  readonly kms?: KMSClient;
  readonly tables: Readonly<Record<LedgerName, string>>;
  readonly digestBucket: string;
  readonly signingKeyId: string;
  readonly grid: PeriodGrid;
  readonly publicKeyPem?: string;
}

const scanAll = async (client: DynamoDBClient, table: string): Promise<LedgerItem[]> => {
  const items: LedgerItem[] = [];
  for await (const page of paginateScan({ client }, { TableName: table, ConsistentRead: true }))
    items.push(...((page.Items ?? []) as LedgerItem[]));
  return items;
};

/** Digests whose period may overlap `[from, to)`: keys are `digests/<period start>.json`. */
const readDigests = async (s3: S3Client, bucket: string, from: Date, to: Date, periodMs: number) => {
  const digests: { key: string; text: string }[] = [];
  const prefix = EVIDENCE_DEFAULTS.digestPrefix;
  const startAfter = `${prefix}${new Date(from.getTime() - 2 * periodMs).toISOString()}`;
  for await (const page of paginateListObjectsV2(
    { client: s3 },
    { Bucket: bucket, Prefix: prefix, StartAfter: startAfter },
  )) {
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? '';
      if (key.slice(prefix.length) >= to.toISOString()) continue;
      const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      digests.push({ key, text: (await result.Body?.transformToString('utf8')) ?? '' });
    }
  }
  return digests;
};

/** Read the ledgers, the digests of `[from, to)` and the public key from a deployment. */
export const readDeployedEvidence = async (source: DeployedEvidence, from: Date, to: Date): Promise<EvidenceBundle> => {
  const publicKeyPem =
    source.publicKeyPem ??
    (source.kms !== undefined ? await new KmsDigestSigner(source.kms, source.signingKeyId).publicKeyPem() : undefined);
  if (publicKeyPem === undefined) throw new Error('a public key is needed: pass --public-key <file.pem>');
  const [audit, enforcement, digests] = await Promise.all([
    scanAll(source.dynamodb, source.tables.audit),
    scanAll(source.dynamodb, source.tables.enforcement),
    readDigests(source.s3, source.digestBucket, from, to, source.grid.periodMinutes * 60_000),
  ]);
  return { grid: source.grid, publicKeyPem, ledgers: { audit, enforcement }, digests };
};

/** Write a bundle to `dir` (ledgers/*.json, digests/*.json as stored, public-key.pem, bundle.json). */
export const writeEvidenceDir = (dir: string, bundle: EvidenceBundle): void => {
  mkdirSync(path.join(dir, 'ledgers'), { recursive: true });
  mkdirSync(path.join(dir, 'digests'), { recursive: true });
  writeFileSync(path.join(dir, 'public-key.pem'), bundle.publicKeyPem);
  writeFileSync(
    path.join(dir, 'bundle.json'),
    `${JSON.stringify({ grid: bundle.grid, ...(bundle.asOf !== undefined ? { asOf: bundle.asOf } : {}) }, null, 2)}\n`,
  );
  for (const ledger of Object.keys(bundle.ledgers) as LedgerName[])
    writeFileSync(
      path.join(dir, 'ledgers', `${ledger}.json`),
      // Binary attribute values as base64, the form a stream record carries them in.
      `${JSON.stringify(bundle.ledgers[ledger], (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v), 1)}\n`,
    );
  // Exactly the stored bytes: the chain hashes them.
  for (const { key, text } of bundle.digests)
    writeFileSync(path.join(dir, 'digests', path.basename(key).replace(/:/g, '_')), text);
};

/** Read a bundle written by {@link writeEvidenceDir}; `publicKeyPem` overrides the folder's key. */
export const readEvidenceDir = (dir: string, publicKeyPem?: string): EvidenceBundle => {
  const read = (...parts: string[]) => readFileSync(path.join(dir, ...parts), 'utf8');
  const prefix = EVIDENCE_DEFAULTS.digestPrefix;
  const { grid, asOf } = JSON.parse(read('bundle.json')) as { grid: PeriodGrid; asOf?: string };
  return {
    grid,
    ...(asOf !== undefined ? { asOf } : {}),
    publicKeyPem: publicKeyPem ?? read('public-key.pem'),
    ledgers: {
      audit: JSON.parse(read('ledgers', 'audit.json')) as LedgerItem[],
      enforcement: JSON.parse(read('ledgers', 'enforcement.json')) as LedgerItem[],
    },
    digests: readdirSync(path.join(dir, 'digests'))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => ({ key: `${prefix}${name.replace(/_/g, ':')}`, text: read('digests', name) })),
  };
};
