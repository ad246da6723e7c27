/**
 * A DynamoDB stream record -> the digest entry of the change it reports.
 */
import { parse } from '@aws-sdk/util-arn-parser';
import type { DynamoDBRecord } from 'aws-lambda';
import { canonicalForm, carriedHash, contentHash, type LedgerItem } from './canonical';
import { EvidenceError } from './errors';
import type { ChangeKind, DigestEntry, LedgerName } from './types';

/** Table name -> ledger. */
export type LedgerTables = Readonly<Record<string, LedgerName>>;

/** The table a stream ARN belongs to (`arn:…:table/<name>/stream/<label>`). */
export const tableOfStream = (streamArn: string): string => {
  const { resource } = parse(streamArn);
  const match = /^table\/([^/]+)\/stream\//.exec(resource);
  if (match === null) throw new EvidenceError(`${streamArn} is not a DynamoDB stream ARN`);
  return match[1] as string;
};

/**
 * @example
 * entryFor(record, { [auditTableName]: 'audit', [enforcementTableName]: 'enforcement' })
 */
export const entryFor = (record: DynamoDBRecord, tables: LedgerTables): DigestEntry => {
  const change = record.eventName as ChangeKind | undefined;
  const stream = record.dynamodb;
  if (change === undefined || stream?.Keys === undefined || stream.SequenceNumber === undefined)
    throw new EvidenceError(`stream record ${record.eventID ?? '?'} lacks eventName, Keys or SequenceNumber`);
  const table = tableOfStream(record.eventSourceARN ?? '');
  const ledger = tables[table];
  if (ledger === undefined) throw new EvidenceError(`stream record from table ${table}, which is not a ledger`);
  const created = stream.ApproximateCreationDateTime;
  if (created === undefined) throw new EvidenceError(`stream record ${record.eventID ?? '?'} has no creation time`);
  const newImage = stream.NewImage as LedgerItem | undefined;
  const oldImage = stream.OldImage as LedgerItem | undefined;
  const hash = newImage !== undefined ? contentHash(newImage) : undefined;
  const carried = newImage !== undefined ? carriedHash(newImage) : undefined;
  return {
    ledger,
    key: canonicalForm(stream.Keys as LedgerItem),
    change,
    ...(hash !== undefined ? { hash } : {}),
    ...(oldImage !== undefined ? { previousHash: contentHash(oldImage) } : {}),
    ...(carried !== undefined && carried !== hash ? { carriedHashMismatch: true as const } : {}),
    at: new Date(created * 1000).toISOString(),
    sequence: stream.SequenceNumber,
  };
};
