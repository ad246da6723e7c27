/**
 * An in-process queue with the SQS semantics the recognition handler relies on, driven step by
 * step so the offline run and its tests are deterministic: no timers, no visibility timeout that
 * runs on the wall clock. A message that is not acknowledged goes back to the end of the queue;
 * after `maxReceiveCount` failed receives it moves to the dead-letter list, as a redrive policy
 * would move it.
 */
import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Clock } from '../lambda/shared/moratorium';
import { LocalQueueError } from './errors';

export interface LocalQueueOptions {
  /** Queue name (the local name of the template's queue). */
  readonly name: string;
  readonly region?: string;
  readonly accountId?: string;
  /** Receives before a message is dead-lettered (the redrive policy's maxReceiveCount). @default 3 */
  readonly maxReceiveCount?: number;
  /** Messages per Lambda invocation (the event source mapping's BatchSize). @default 10 */
  readonly batchSize?: number;
  /** Source of the SentTimestamp / ApproximateFirstReceiveTimestamp attributes. */
  readonly clock: Clock;
}

/** A message as the queue holds it. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
}

/** What happened to one delivered batch. */
export interface SettleResult {
  readonly deleted: readonly string[];
  readonly returned: readonly string[];
  readonly deadLettered: readonly string[];
}

/** A Lambda-style consumer: resolves a partial batch response, resolves nothing, or throws. */
export type SqsConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined | undefined>;

/** Totals of a {@link LocalQueue.drain}. */
export interface DrainReport {
  readonly invocations: number;
  readonly deleted: number;
  readonly returned: number;
  readonly deadLettered: number;
  /** Errors the consumer threw, in order (a throw fails the whole batch, as Lambda does). */
  readonly errors: readonly unknown[];
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** A UUID-shaped id derived from a counter, so runs repeat exactly. */
const deterministicUuid = (seed: string): string => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/**
 * @example
 * const queue = new LocalQueue({ name: 'IntakeQueue', clock, maxReceiveCount: 3 });
 * queue.send(s3EventMessageBody([record]));
 * const report = await queue.drain((event) => recognitionHandler(event, context));
 */
export class LocalQueue {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  private readonly region: string;
  private readonly maxReceiveCount: number;
  private readonly batchSize: number;
  private readonly clock: Clock;
  private readonly visible: QueuedMessage[] = [];
  private readonly inFlight = new Map<string, QueuedMessage>();
  private readonly dead: QueuedMessage[] = [];
  private sequence = 0;

  constructor(options: LocalQueueOptions) {
    const accountId = options.accountId ?? '000000000000';
    this.name = options.name;
    this.region = options.region ?? 'eu-west-1';
    this.arn = `arn:aws:sqs:${this.region}:${accountId}:${options.name}`;
    this.url = `https://sqs.${this.region}.amazonaws.com/${accountId}/${options.name}`;
    this.maxReceiveCount = options.maxReceiveCount ?? 3;
    this.batchSize = options.batchSize ?? 10;
    this.clock = options.clock;
    if (this.maxReceiveCount < 1 || this.batchSize < 1)
      throw new LocalQueueError('maxReceiveCount and batchSize must be at least 1');
  }

  /** Enqueue a message; returns its id. */
  send(body: string): string {
    this.sequence += 1;
    const messageId = deterministicUuid(`${this.arn}#${this.sequence}`);
    this.visible.push({ messageId, body, sentAt: this.clock.now().getTime(), receiveCount: 0 });
    return messageId;
  }

  /** Messages waiting to be received. */
  get depth(): number {
    return this.visible.length;
  }

  /** Messages moved to the dead-letter list, oldest first. */
  get deadLetters(): readonly QueuedMessage[] {
    return this.dead;
  }

  /** Take the next batch, as the event source mapping would; undefined when the queue is empty. */
  receive(): SQSEvent | undefined {
    if (this.visible.length === 0) return undefined;
    const messages = this.visible.splice(0, this.batchSize);
    const now = this.clock.now().getTime();
    const Records = messages.map((message): SQSRecord => {
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      this.inFlight.set(message.messageId, message);
      return {
        messageId: message.messageId,
        receiptHandle: Buffer.from(`${message.messageId}#${message.receiveCount}`).toString('base64'),
        body: message.body,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          SenderId: 'AROAS3SERVICEPRINCIPAL:s3',
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
        },
        messageAttributes: {},
        md5OfBody: md5(message.body),
        eventSource: 'aws:sqs',
        eventSourceARN: this.arn,
        awsRegion: this.region,
      };
    });
    return { Records };
  }

  /**
   * Apply the consumer's answer to a delivered batch, as Lambda's SQS integration with
   * `ReportBatchItemFailures` does: listed messages fail, the rest are deleted. A throw, or a
   * response naming a message that is not in the batch (or an empty id), fails the whole batch.
   */
  settle(event: SQSEvent, outcome: { response?: SQSBatchResponse | undefined; error?: unknown }): SettleResult {
    const ids = event.Records.map((record) => record.messageId);
    if (ids.some((id) => !this.inFlight.has(id)))
      throw new LocalQueueError(`Batch contains messages this queue (${this.name}) did not deliver or already settled`);
    const failures = outcome.response?.batchItemFailures ?? [];
    const wholeBatchFails =
      'error' in outcome ||
      failures.some((failure) => !failure.itemIdentifier || !ids.includes(failure.itemIdentifier));
    const failed = new Set(wholeBatchFails ? ids : failures.map((failure) => failure.itemIdentifier));
    const result = { deleted: [] as string[], returned: [] as string[], deadLettered: [] as string[] };
    for (const id of ids) {
      const message = this.inFlight.get(id)!;
      this.inFlight.delete(id);
      if (!failed.has(id)) result.deleted.push(id);
      else if (message.receiveCount >= this.maxReceiveCount) {
        this.dead.push(message);
        result.deadLettered.push(id);
      } else {
        this.visible.push(message);
        result.returned.push(id);
      }
    }
    return result;
  }

  /** Deliver batches to the consumer until the queue is empty (failures are retried, then dead-lettered). */
  async drain(consumer: SqsConsumer): Promise<DrainReport> {
    const totals = { invocations: 0, deleted: 0, returned: 0, deadLettered: 0, errors: [] as unknown[] };
    for (let event = this.receive(); event !== undefined; event = this.receive()) {
      totals.invocations += 1;
      let outcome: { response?: SQSBatchResponse | undefined; error?: unknown };
      try {
        outcome = { response: await consumer(event) };
      } catch (error) {
        outcome = { error };
        totals.errors.push(error);
      }
      const settled = this.settle(event, outcome);
      totals.deleted += settled.deleted.length;
      totals.returned += settled.returned.length;
      totals.deadLettered += settled.deadLettered.length;
    }
    return totals;
  }
}
