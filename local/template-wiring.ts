/**
 * How the template wires events: which bucket notifies which queue, for which keys. The offline
 * run routes an upload's event by these rules, so a prefix filter in the stack is honoured
 * offline too (an upload outside `incoming/` reaches no queue, as on AWS).
 */
import { TemplateError } from './errors';
import type { LocalTemplate } from './template';

/** One queue configuration of a bucket's notification configuration. */
export interface BucketQueueNotification {
  readonly bucketLogicalId: string;
  readonly queueLogicalId: string;
  /** E.g. `s3:ObjectCreated:*`. */
  readonly events: readonly string[];
  readonly prefix?: string;
  readonly suffix?: string;
}

interface QueueConfiguration {
  Events?: string[];
  QueueArn?: { 'Fn::GetAtt'?: [string, string] };
  Filter?: { Key?: { FilterRules?: { Name: string; Value: string }[] } };
}

const logicalIdOfRef = (value: unknown): string | undefined => (value as { Ref?: string } | undefined)?.Ref;

/**
 * Queue notifications declared in the template, from `AWS::S3::Bucket` NotificationConfiguration
 * and from CDK's `Custom::S3BucketNotifications` resources.
 *
 * @example
 * const [intake] = bucketQueueNotifications(stack); // { bucketLogicalId, queueLogicalId, prefix: 'incoming/' }
 */
export const bucketQueueNotifications = (stack: LocalTemplate): BucketQueueNotification[] => {
  const sources = [
    ...stack
      .resourcesOfType('AWS::S3::Bucket')
      .map((b) => ({ bucket: b.logicalId, config: b.resource.Properties?.NotificationConfiguration })),
    ...stack.resourcesOfType('Custom::S3BucketNotifications').map((n) => ({
      bucket: logicalIdOfRef(n.resource.Properties?.BucketName),
      config: n.resource.Properties?.NotificationConfiguration,
    })),
  ];
  return sources.flatMap(({ bucket, config }) => {
    const queues = (config as { QueueConfigurations?: QueueConfiguration[] } | undefined)?.QueueConfigurations ?? [];
    if (queues.length > 0 && bucket === undefined)
      throw new TemplateError('A bucket notification names a bucket outside this stack');
    return queues.map((q) => {
      const queue = q.QueueArn?.['Fn::GetAtt']?.[0];
      if (queue === undefined)
        throw new TemplateError(`A notification of ${bucket} targets a queue outside this stack`);
      const rules = q.Filter?.Key?.FilterRules ?? [];
      const rule = (name: string) => rules.find((r) => r.Name.toLowerCase() === name)?.Value;
      const prefix = rule('prefix');
      const suffix = rule('suffix');
      return {
        bucketLogicalId: bucket!,
        queueLogicalId: queue,
        events: q.Events ?? [],
        ...(prefix !== undefined ? { prefix } : {}),
        ...(suffix !== undefined ? { suffix } : {}),
      };
    });
  });
};

/** Whether an event (`ObjectCreated:Put`) for a raw key matches a notification's rules. */
export const notificationMatches = (notification: BucketQueueNotification, eventName: string, key: string): boolean =>
  notification.events.some((pattern) => {
    const wanted = pattern.replace(/^s3:/, '');
    return wanted.endsWith(':*') ? eventName.startsWith(wanted.slice(0, -1)) : wanted === eventName;
  }) &&
  (notification.prefix === undefined || key.startsWith(notification.prefix)) &&
  (notification.suffix === undefined || key.endsWith(notification.suffix));

/** What a {@link LocalQueue} needs from the template: its name, redrive and consumer settings. */
export interface QueueWiring {
  readonly queueLogicalId: string;
  readonly name: string;
  /** @default 3 when the queue has no redrive policy (nothing is ever dropped silently offline) */
  readonly maxReceiveCount: number;
  readonly deadLetterQueueLogicalId?: string;
  /** The function the event source mapping feeds, when there is one. */
  readonly functionLogicalId?: string;
  readonly batchSize: number;
  readonly reportBatchItemFailures: boolean;
}

/**
 * The settings of a template queue for the offline run.
 *
 * @example
 * const wiring = queueWiring(stack, notification.queueLogicalId);
 * const queue = new LocalQueue({ name: wiring.name, maxReceiveCount: wiring.maxReceiveCount, batchSize: wiring.batchSize, clock });
 */
export const queueWiring = (stack: LocalTemplate, queueLogicalId: string): QueueWiring => {
  const redrive = stack.redrivePolicy(queueLogicalId);
  const mapping = stack.sqsEventSourceMappings().find((m) => m.queueLogicalId === queueLogicalId);
  return {
    queueLogicalId,
    name: stack.nameOf(queueLogicalId),
    maxReceiveCount: redrive?.maxReceiveCount ?? 3,
    ...(redrive !== undefined ? { deadLetterQueueLogicalId: redrive.deadLetterQueueLogicalId } : {}),
    ...(mapping !== undefined ? { functionLogicalId: mapping.functionLogicalId } : {}),
    batchSize: mapping?.batchSize ?? 10,
    reportBatchItemFailures: mapping?.reportBatchItemFailures ?? false,
  };
};

/**
 * The queues (logical ids) an event for a raw key in a bucket (local name) is delivered to;
 * empty when no notification matches, as for an upload outside `incoming/`.
 */
export const queuesForEvent = (stack: LocalTemplate, bucketName: string, eventName: string, key: string): string[] =>
  bucketQueueNotifications(stack)
    .filter((n) => stack.nameOf(n.bucketLogicalId) === bucketName && notificationMatches(n, eventName, key))
    .map((n) => n.queueLogicalId);
