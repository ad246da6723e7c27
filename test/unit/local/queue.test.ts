import { createHash } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { LocalQueueError } from '../../../local/errors';
import { LocalQueue } from '../../../local/queue';

const clock = fixedClock(new Date('2027-06-11T08:00:00.000Z'));
const newQueue = (options: { maxReceiveCount?: number; batchSize?: number } = {}) =>
  new LocalQueue({ name: 'IntakeQueue', clock, accountId: '111111111111', ...options });

describe('LocalQueue', () => {
  it('delivers an SQS event batch with the attributes a handler reads', () => {
    const queue = newQueue();
    const messageId = queue.send('{"Records":[]}');
    const event = queue.receive()!;
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toEqual({
      messageId,
      receiptHandle: Buffer.from(`${messageId}#1`).toString('base64'),
      body: '{"Records":[]}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.parse('2027-06-11T08:00:00.000Z')),
        SenderId: 'AROAS3SERVICEPRINCIPAL:s3',
        ApproximateFirstReceiveTimestamp: String(Date.parse('2027-06-11T08:00:00.000Z')),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update('{"Records":[]}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:IntakeQueue',
      awsRegion: 'eu-west-1',
    });
  });

  it('gives the same message ids on every run', () => {
    expect(newQueue().send('a')).toBe(newQueue().send('a'));
    expect(newQueue().send('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('splits messages into batches of batchSize in send order', () => {
    const queue = newQueue({ batchSize: 2 });
    for (const body of ['1', '2', '3']) queue.send(body);
    expect(queue.receive()!.Records.map((r) => r.body)).toEqual(['1', '2']);
    expect(queue.receive()!.Records.map((r) => r.body)).toEqual(['3']);
    expect(queue.receive()).toBeUndefined();
  });

  it('deletes the batch when the consumer reports no failures', () => {
    const queue = newQueue();
    queue.send('a');
    queue.send('b');
    const event = queue.receive()!;
    expect(queue.settle(event, { response: { batchItemFailures: [] } })).toEqual({
      deleted: event.Records.map((r) => r.messageId),
      returned: [],
      deadLettered: [],
    });
    expect(queue.depth).toBe(0);
  });

  it('returns only the messages listed in batchItemFailures', () => {
    const queue = newQueue();
    queue.send('a');
    queue.send('b');
    const event = queue.receive()!;
    const [a, b] = event.Records.map((r) => r.messageId);
    expect(queue.settle(event, { response: { batchItemFailures: [{ itemIdentifier: b! }] } })).toEqual({
      deleted: [a],
      returned: [b],
      deadLettered: [],
    });
    const again = queue.receive()!;
    expect(again.Records.map((r) => [r.body, r.attributes.ApproximateReceiveCount])).toEqual([['b', '2']]);
  });

  it.each([
    ['a thrown error', { error: new Error('boom') }],
    [
      'a failure naming a message not in the batch',
      { response: { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } },
    ],
    ['a failure with an empty id', { response: { batchItemFailures: [{ itemIdentifier: '' }] } }],
  ])('fails the whole batch on %s', (_label, outcome) => {
    const queue = newQueue();
    queue.send('a');
    queue.send('b');
    const event = queue.receive()!;
    expect(queue.settle(event, outcome).returned).toHaveLength(2);
    expect(queue.depth).toBe(2);
  });

  it.each([1, 2, 3, 5])('dead-letters a message after %i failed receives (maxReceiveCount)', (maxReceiveCount) => {
    const queue = newQueue({ maxReceiveCount });
    queue.send('poison');
    let receives = 0;
    for (let event = queue.receive(); event !== undefined; event = queue.receive()) {
      receives += 1;
      queue.settle(event, { error: new Error('fails every time') });
    }
    expect(receives).toBe(maxReceiveCount);
    expect(queue.deadLetters.map((m) => [m.body, m.receiveCount])).toEqual([['poison', maxReceiveCount]]);
  });

  it('refuses to settle a batch it did not deliver, or to settle one twice', () => {
    const queue = newQueue();
    queue.send('a');
    const event = queue.receive()!;
    queue.settle(event, {});
    expect(() => queue.settle(event, {})).toThrow(LocalQueueError);
    const foreign: SQSEvent = { Records: [{ ...event.Records[0]!, messageId: 'other' }] };
    expect(() => queue.settle(foreign, {})).toThrow(
      'Batch contains messages this queue (IntakeQueue) did not deliver or already settled',
    );
  });

  it('drains through a consumer, retrying failures and counting every end state', async () => {
    const queue = newQueue({ maxReceiveCount: 2, batchSize: 10 });
    queue.send('ok');
    queue.send('flaky');
    queue.send('poison');
    const seen: string[] = [];
    const report = await queue.drain(async (event) => {
      const failures = event.Records.filter((r) => {
        seen.push(`${r.body}#${r.attributes.ApproximateReceiveCount}`);
        return r.body === 'poison' || (r.body === 'flaky' && r.attributes.ApproximateReceiveCount === '1');
      });
      return { batchItemFailures: failures.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    expect(seen).toEqual(['ok#1', 'flaky#1', 'poison#1', 'flaky#2', 'poison#2']);
    expect(report).toEqual({ invocations: 2, deleted: 2, returned: 2, deadLettered: 1, errors: [] });
    expect(queue.deadLetters.map((m) => m.body)).toEqual(['poison']);
  });

  it('records the errors a consumer throws', async () => {
    const queue = newQueue({ maxReceiveCount: 1 });
    queue.send('a');
    const error = new Error('handler crashed');
    const report = await queue.drain(async () => {
      throw error;
    });
    expect(report).toEqual({ invocations: 1, deleted: 0, returned: 0, deadLettered: 1, errors: [error] });
  });
});
