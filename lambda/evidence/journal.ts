/**
 * The evidence journal: a small DynamoDB table (not a ledger) holding the entries the recorder
 * saw and the closer has not yet put in a digest, and the head of the digest chain.
 *
 *   PENDING / `<at>#<ledger>#<sequence>`   one entry (sort keys order by time)
 *   HEAD / HEAD                            the last digest: period, S3 key, file hash
 */
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import { DigestWriteError } from './errors';
import type { DigestEntry, Period } from './types';

/** The last digest of the chain. */
export interface ChainHead {
  readonly period: Period;
  readonly key: string;
  readonly hash: string;
}

const PENDING = 'PENDING';
const HEAD = 'HEAD';
const BATCH = 25;

const pendingKey = (entry: DigestEntry) => ({ pk: PENDING, sk: `${entry.at}#${entry.ledger}#${entry.sequence}` });

export class EvidenceJournal {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Journal one entry. Idempotent: a redelivered stream record overwrites its own entry. */
  async add(entry: DigestEntry): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...pendingKey(entry), entry } }));
  }

  /** Every pending entry that happened before `end` (late entries of earlier periods included). */
  async pendingBefore(end: string): Promise<DigestEntry[]> {
    const entries: DigestEntry[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :end',
        ExpressionAttributeValues: { ':pk': PENDING, ':end': end },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) entries.push(item.entry as DigestEntry);
    return entries;
  }

  /** Drop entries a stored digest lists. */
  async forget(entries: readonly DigestEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string] = entries
        .slice(i, i + BATCH)
        .map((entry) => ({ DeleteRequest: { Key: pendingKey(entry) } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt === 5) throw new DigestWriteError(`journal kept ${requests.length} unprocessed deletes`);
        const result = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = result.UnprocessedItems?.[this.tableName] ?? [];
        if (requests.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  async head(): Promise<ChainHead | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: HEAD, sk: HEAD }, ConsistentRead: true }),
    );
    return Item?.head as ChainHead | undefined;
  }

  /** Move the head to `next`, only from `expected` (so two closers can never fork the chain). */
  async moveHead(next: ChainHead, expected: ChainHead | undefined): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: HEAD, sk: HEAD, head: next },
          ...(expected === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'head.#hash = :hash',
                ExpressionAttributeNames: { '#hash': 'hash' },
                ExpressionAttributeValues: { ':hash': expected.hash },
              }),
        }),
      );
    } catch (error) {
      throw new DigestWriteError(`the chain head moved while digest ${next.key} was being written`, { cause: error });
    }
  }
}
