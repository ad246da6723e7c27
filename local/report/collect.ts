/**
 * Gathering the report's input from where the run left it: the audit table (scanned in full),
 * the result documents the outcomes point to, the quarantine bucket's listing and tags. The
 * report then reads the same records a reviewer would read in the console.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, GetObjectTaggingCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ReportError } from '../errors';
import type { EnforcementEntry, QuarantinedObjectInput, ReportInput, ResultDocumentInput } from './types';

export interface CollectSources {
  readonly dynamodb: DynamoDBClient;
  readonly auditTable: string;
  readonly s3: S3Client;
  readonly quarantineBucket: string;
  /**
   * Keep only the decisions about instants in [from, to) (ISO instants) and their outcomes;
   * result documents are read for the kept outcomes only.
   * @default every decision
   */
  readonly within?: { readonly from: string; readonly to: string };
}

/** S3 error names that mean the object (or that version of it) is not there. */
const ABSENT = new Set(['NoSuchKey', 'NoSuchVersion', 'NotFound']);

const atOf = (item: Record<string, unknown>): unknown =>
  (item.decision as { request?: { at?: unknown } } | undefined)?.request?.at;

/** The ledger items of the decisions about instants in [from, to), with their outcomes. */
export const ledgerItemsWithin = (
  items: readonly Record<string, unknown>[],
  within: { readonly from: string; readonly to: string },
): Record<string, unknown>[] => {
  const inRange = (at: unknown): boolean =>
    typeof at === 'string' && Date.parse(at) >= Date.parse(within.from) && Date.parse(at) < Date.parse(within.to);
  const kept = new Set(
    items.filter((item) => item.entry === 'DECISION' && inRange(atOf(item))).map((item) => String(item.decisionId)),
  );
  return items.filter((item) => kept.has(String(item.decisionId)));
};

/** Every item of a table (paginated Scan; the local tables are small). */
export const scanAll = async (dynamodb: DynamoDBClient, tableName: string): Promise<Record<string, unknown>[]> => {
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
};

/**
 * The result documents the RECOGNIZED outcomes point to. A document that is gone (expired by the
 * results bucket's lifecycle rule, or deleted) is returned as `missing` for that upload; any other
 * read error fails the report.
 */
const readResults = async (
  s3: S3Client,
  ledgerItems: readonly Record<string, unknown>[],
): Promise<ResultDocumentInput[]> => {
  const outcomes = ledgerItems.filter((item) => item.entry === 'OUTCOME' && item.outcome === 'RECOGNIZED');
  const results: ResultDocumentInput[] = [];
  for (const item of outcomes) {
    const location = (item.record as { location?: { bucket: string; key: string; versionId?: string } } | undefined)
      ?.location;
    if (location === undefined) continue;
    try {
      const got = await s3.send(
        new GetObjectCommand({ Bucket: location.bucket, Key: location.key, VersionId: location.versionId }),
      );
      const document = JSON.parse(await got.Body!.transformToString()) as ResultDocumentInput;
      results.push({ ...document, decisionId: String(item.decisionId) });
    } catch (error) {
      if (ABSENT.has((error as Error).name)) {
        results.push({ decisionId: String(item.decisionId), missing: true });
        continue;
      }
      throw new ReportError(
        `Result document s3://${location.bucket}/${location.key} of ${String(item.decisionId)} could not be read`,
        { cause: error },
      );
    }
  }
  return results;
};

/** Every object in the quarantine bucket with its tags. */
const listQuarantine = async (s3: S3Client, bucket: string): Promise<QuarantinedObjectInput[]> => {
  const found: QuarantinedObjectInput[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      const tagging = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: object.Key! }));
      const tags = Object.fromEntries((tagging.TagSet ?? []).map((tag) => [tag.Key!, tag.Value!]));
      found.push({
        bucket,
        key: object.Key!,
        ...(tagging.VersionId !== undefined ? { versionId: tagging.VersionId } : {}),
        size: object.Size ?? 0,
        tags,
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return found;
};

/**
 * Read the ledger, the result documents and the quarantine bucket into a report input; the
 * caller adds what only it knows (settings, clock, images it uploaded, enforcement records).
 *
 * @example
 * const collected = await collectReportInput({ dynamodb: ddb.client, auditTable, s3: s3.client, quarantineBucket });
 * writeReviewReport('output', { ...collected, generatedAt, settings, images, enforcement });
 */
export const collectReportInput = async (
  sources: CollectSources,
): Promise<Pick<ReportInput, 'ledgerItems' | 'results' | 'quarantine'>> => {
  const scanned = await scanAll(sources.dynamodb, sources.auditTable);
  const ledgerItems = sources.within !== undefined ? ledgerItemsWithin(scanned, sources.within) : scanned;
  return {
    ledgerItems,
    results: await readResults(sources.s3, ledgerItems),
    quarantine: await listQuarantine(sources.s3, sources.quarantineBucket),
  };
};

/** `workflow <state machine name>` from an execution ARN (`arn:aws:states:<region>:<account>:execution:<machine>:<id>`). */
const workflowOf = (execution: string | undefined): string | undefined => {
  const machine = execution?.split(':')[6];
  return machine !== undefined && machine !== '' ? `workflow ${machine}` : undefined;
};

/** The enforcement workflow's record (`lambda/enforcement/enforcer/types.ts` EnforcementRecord), as a timeline entry. */
export const enforcementEntryOf = (record: {
  readonly roleArn: string;
  readonly action: string;
  readonly eventAt: string;
  readonly until?: string;
  readonly triggerSource?: string;
  readonly triggerEventName?: string;
  readonly detail?: string;
  readonly category?: string;
  /** The Step Functions execution that wrote the record (the restore writes no trigger of its own). */
  readonly execution?: string;
}): EnforcementEntry => ({
  role: record.roleArn,
  action: record.action,
  at: record.eventAt,
  ...(record.until !== undefined ? { until: record.until } : {}),
  trigger:
    [record.triggerSource, record.triggerEventName].filter((part) => part !== undefined && part !== '').join(': ') ||
    workflowOf(record.execution) ||
    'unknown',
  ...(record.detail !== undefined ? { detail: record.detail } : {}),
  ...(record.category !== undefined ? { category: record.category } : {}),
});

/**
 * The enforcement ledger's items (as scanned) as timeline entries; items without an `action`
 * (the open/closed window records) are not events.
 */
export const enforcementEntriesOf = (items: readonly Record<string, unknown>[]): EnforcementEntry[] =>
  items
    .filter((item) => typeof item.action === 'string')
    .map((item) => {
      const text = (key: string): string | undefined =>
        typeof item[key] === 'string' && item[key] !== '' ? (item[key] as string) : undefined;
      return enforcementEntryOf({
        roleArn: text('roleArn') ?? text('pk') ?? 'unknown',
        action: text('action') ?? 'unknown',
        eventAt: text('eventAt') ?? text('recordedAt') ?? text('at') ?? '',
        ...(text('until') !== undefined ? { until: text('until') } : {}),
        ...(text('triggerSource') !== undefined ? { triggerSource: text('triggerSource') } : {}),
        ...(text('triggerEventName') !== undefined ? { triggerEventName: text('triggerEventName') } : {}),
        ...(text('detail') !== undefined ? { detail: text('detail') } : {}),
        ...(text('category') !== undefined ? { category: text('category') } : {}),
        ...(text('execution') !== undefined ? { execution: text('execution') } : {}),
      });
    });
