/**
 * Reading an SQS message body as an S3 notification. S3 sends `{ Records: [...] }` for uploads and
 * a one-off `s3:TestEvent` when the notification is configured; anything else is a poison
 * message that should end in the dead-letter queue.
 */
import { z } from 'zod';
import { MalformedMessageError } from './errors';

const s3RecordSchema = z.object({
  eventName: z.string(),
  eventTime: z.string(),
  userIdentity: z.object({ principalId: z.string() }).optional(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().nonnegative().optional(),
      versionId: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

/** The fields of an S3 event record the handler uses (the key still URL-encoded). */
export type S3NotificationRecord = z.infer<typeof s3RecordSchema>;

const notificationSchema = z.object({ Records: z.array(s3RecordSchema) });
const testEventSchema = z.object({ Event: z.literal('s3:TestEvent') });

export type ParsedNotification =
  | { readonly kind: 'test-event' }
  | { readonly kind: 'records'; readonly records: readonly S3NotificationRecord[] };

/** Parse an SQS body. Throws {@link MalformedMessageError} for anything that is not an S3 notification. */
export const parseNotification = (body: string): ParsedNotification => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new MalformedMessageError('SQS body is not JSON', { cause: error });
  }
  if (testEventSchema.safeParse(json).success) return { kind: 'test-event' };
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success)
    throw new MalformedMessageError(`SQS body is not an S3 notification: ${parsed.error.message}`, {
      cause: parsed.error,
    });
  return { kind: 'records', records: parsed.data.Records };
};

/** Only object-created events start a recognition; the queue may also see others if misconfigured. */
export const isObjectCreated = (record: S3NotificationRecord): boolean => record.eventName.startsWith('ObjectCreated:');
