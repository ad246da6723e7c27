/**
 * A runtime schema for the Decision the policy Lambda returns. The payload crosses a process
 * boundary, so its shape is checked before anything trusts it.
 */
import { z } from 'zod';
import { type Decision, REASONS } from '../shared/decision';
import { OPERATION_NAMES, type OperationName } from '../shared/settings';

const objectRefSchema = z.object({ bucket: z.string(), key: z.string(), versionId: z.string().optional() });

const decisionSchema = z.object({
  decisionId: z.string().min(1),
  effect: z.enum(['ALLOW', 'DENY']),
  reason: z.enum(REASONS),
  policyIds: z.array(z.string()),
  request: z.object({
    principalId: z.string(),
    orgId: z.string(),
    operation: z.enum(OPERATION_NAMES as [OperationName, ...OperationName[]]),
    purpose: z.string(),
    at: z.string(),
    object: objectRefSchema.optional(),
  }),
  caller: z.object({
    principalId: z.string(),
    roleId: z.string().optional(),
    roleArn: z.string().optional(),
    orgId: z.string().optional(),
    category: z.string().optional(),
    restricted: z.boolean(),
  }),
  moratorium: z.object({ start: z.string(), end: z.string(), inForce: z.boolean() }),
  decidedAt: z.string(),
  detail: z.string().optional(),
});

/** The decision in `value`, or undefined when it does not have the Decision shape. */
export const parseDecision = (value: unknown): Decision | undefined => {
  const result = decisionSchema.safeParse(value);
  return result.success ? (result.data as Decision) : undefined;
};
