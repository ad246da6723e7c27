/**
 * The shape a PolicyRequest must have before anything is evaluated. A request that does not
 * parse is a DENY (INVALID_REQUEST), recorded like every other decision.
 */
import { z } from 'zod';
import { MISSING_FIELD, type PolicyRequest } from '../shared/decision';
import { OPERATION_NAMES, type OperationName } from '../shared/settings';

const nonEmpty = z.string().min(1).max(1024);

export const policyRequestSchema = z.object({
  principalId: nonEmpty,
  orgId: nonEmpty,
  operation: z.enum(OPERATION_NAMES as [OperationName, ...OperationName[]]),
  purpose: nonEmpty,
  at: z.iso.datetime({ offset: true }),
  object: z.object({ bucket: nonEmpty, key: z.string().min(1).max(2048), versionId: nonEmpty.optional() }).optional(),
});

/** Placeholder for a field a malformed request did not carry (audit index keys cannot be empty). */
export const MISSING = MISSING_FIELD;

const text = (value: unknown): string => (typeof value === 'string' && value !== '' ? value : MISSING);

/**
 * What a malformed request asked, as far as it can be read, so the denial records it honestly.
 * Fields that are absent or not strings become {@link MISSING}.
 */
export const salvageRequest = (raw: unknown): PolicyRequest => {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const o = (typeof r.object === 'object' && r.object !== null ? r.object : undefined) as
    | Record<string, unknown>
    | undefined;
  return {
    principalId: text(r.principalId),
    orgId: text(r.orgId),
    // Recorded as given: the ledger shows what was asked, even when it is not an operation.
    operation: text(r.operation) as OperationName,
    purpose: text(r.purpose),
    at: text(r.at),
    ...(o !== undefined && typeof o.bucket === 'string' && typeof o.key === 'string'
      ? {
          object: {
            bucket: o.bucket,
            key: o.key,
            ...(typeof o.versionId === 'string' ? { versionId: o.versionId } : {}),
          },
        }
      : {}),
  };
};

/** Summarise zod issues in one line for the decision's `detail`. */
export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(request)'}: ${i.message}`).join('; ');
