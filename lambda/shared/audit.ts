/**
 * The append-only audit ledger. Each upload gets one DECISION entry and at most one OUTCOME
 * entry under the same `decisionId`; both are written with a conditional put, so nothing is ever
 * overwritten, and no function holds update or delete rights on the table.
 *
 * Table: partition key `decisionId` (S), sort key `entry` (S: `DECISION` | `OUTCOME`).
 * Sparse GSIs for reviewers (only DECISION entries carry their keys):
 *   byOrganisation   (orgId, decidedAt)
 *   byRole           (roleArn, decidedAt): only decisions whose caller was resolved to a
 *                    registered role, across all of that role's sessions
 *   byPrincipal      (principalId = `AWS:<role id>:<session>`, decidedAt): one session, also
 *                    of callers that were never resolved (they have no roleArn, so no byRole entry)
 *   byEffectCategory (effectCategory = `<EFFECT>#<category|unknown>`, decidedAt)
 */
import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { seal } from '../evidence/seal';
import type { Decision, ObjectRef } from './decision';
import { GovrecError } from './errors';

export { AUDIT_INDEXES, AUDIT_KEYS } from './contracts';

/** The one decision id an upload (bucket, key, version) gets, so retries converge on one record. */
export const decisionIdFor = (object: ObjectRef): string =>
  `d-${createHash('sha256')
    .update(`${object.bucket}\n${object.key}\n${object.versionId ?? 'null'}`)
    .digest('hex')
    .slice(0, 32)}`;

/** A decision id for a question that is not about an uploaded object. */
export const adHocDecisionId = (): string => `q-${randomUUID()}`;

/**
 * How an upload ended. RECOGNIZED: result written. QUARANTINED: denied. REJECTED: an input
 * Rekognition cannot take. GONE: the object version was deleted before it could be processed
 * (nothing to keep). UNAVAILABLE: fail-closed on the queue's final receive, when the policy
 * function or a service stayed unavailable; the object is kept in quarantine for a redrive by hand.
 */
export type OutcomeKind = 'RECOGNIZED' | 'QUARANTINED' | 'REJECTED' | 'GONE' | 'UNAVAILABLE';

/** The outcome a denial reason ends in, so a decision and its outcome always tell one story. */
export const outcomeKindFor = (reason: string): Exclude<OutcomeKind, 'RECOGNIZED'> => {
  if (reason === 'INVALID_REQUEST' || reason === 'INVALID_IMAGE') return 'REJECTED';
  if (reason === 'OBJECT_GONE') return 'GONE';
  if (reason === 'POLICY_UNAVAILABLE' || reason === 'SERVICE_UNAVAILABLE') return 'UNAVAILABLE';
  return 'QUARANTINED';
};

/**
 * Set on an outcome that does not follow from the recorded decision alone: an ALLOW that was not
 * acted on (the moratorium bars the caller at call time, a fresh DENY, a refused image, a gone
 * object, a service unavailable until the final receive). It names the decision it overrides.
 */
export interface Supersession {
  readonly effect: 'ALLOW' | 'DENY';
  readonly reason: string;
  readonly decidedAt: string;
  /** The caller's category in the superseded decision (for the reviewer index). */
  readonly category?: string;
}

export interface OutcomeRecord {
  readonly decisionId: string;
  readonly outcome: OutcomeKind;
  readonly object: ObjectRef;
  readonly orgId?: string;
  /** Where the result JSON or the quarantined copy is. */
  readonly location?: { readonly bucket: string; readonly key: string; readonly versionId?: string };
  readonly operation?: string;
  /** A short summary of the Rekognition result (e.g. face or match count). */
  readonly summary?: Record<string, string | number | boolean>;
  readonly reason?: string;
  readonly recordedAt: string;
  readonly supersedes?: Supersession;
}

/**
 * The outcome the worker is about to bring about, recorded before the first step that moves the
 * object, so a redelivery after a crash finishes the same ending rather than deciding again.
 */
export interface IntentRecord {
  readonly decisionId: string;
  readonly outcome: Exclude<OutcomeKind, 'RECOGNIZED'>;
  readonly reason: string;
  readonly object: ObjectRef;
  readonly orgId?: string;
  readonly operation?: string;
  /** The quarantine key the copy goes to (absent for GONE). */
  readonly quarantineKey?: string;
  /** The decision of record this intent was derived from. */
  readonly decision: Supersession;
  readonly supersedes?: Supersession;
  readonly detail?: string;
  /** Carried into the outcome, e.g. the Rekognition error code of a refused image. */
  readonly summary?: Record<string, string | number | boolean>;
  readonly recordedAt: string;
}

export class AuditWriteError extends GovrecError {}

const decisionItem = (decision: Decision) => ({
  decisionId: decision.decisionId,
  entry: 'DECISION',
  effect: decision.effect,
  reason: decision.reason,
  policyIds: [...decision.policyIds],
  decidedAt: decision.decidedAt,
  requestedAt: decision.request.at,
  orgId: decision.request.orgId,
  principalId: decision.caller.principalId,
  // The byRole partition key: absent (not empty, which an index key refuses) for unresolved callers.
  roleArn: decision.caller.roleArn === '' ? undefined : decision.caller.roleArn,
  callerOrgId: decision.caller.orgId,
  category: decision.caller.category ?? 'unknown',
  restricted: decision.caller.restricted,
  effectCategory: `${decision.effect}#${decision.caller.category ?? 'unknown'}`,
  operation: decision.request.operation,
  purpose: decision.request.purpose,
  object: decision.request.object,
  moratorium: decision.moratorium,
  detail: decision.detail,
  decision,
});

/**
 * Every ledger item carries `contentHash` over its canonical form (`lambda/evidence/canonical.ts`),
 * computed from the attribute values the document client will write.
 */
const sealed = <T extends Record<string, unknown>>(item: T) => seal(item, AUDIT_TRANSLATE_CONFIG.marshallOptions);

export class AuditLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Append a decision. When the upload already has one (a retried event), the stored decision is
   * returned unchanged and `created` is false: the first decision for an object is the decision.
   */
  async recordDecision(decision: Decision): Promise<{ decision: Decision; created: boolean }> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: sealed(decisionItem(decision)),
          ConditionExpression: 'attribute_not_exists(decisionId)',
          // The ledger never stores `undefined`; optional fields are simply absent.
        }),
      );
      return { decision, created: true };
    } catch (error) {
      if (
        !(error instanceof ConditionalCheckFailedException) &&
        (error as Error).name !== 'ConditionalCheckFailedException'
      ) {
        throw new AuditWriteError(`Could not record decision ${decision.decisionId}`, { cause: error });
      }
      const stored = await this.getDecision(decision.decisionId);
      if (stored === undefined)
        throw new AuditWriteError(`Decision ${decision.decisionId} exists but could not be read`, { cause: error });
      return { decision: stored, created: false };
    }
  }

  async getDecision(decisionId: string): Promise<Decision | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { decisionId, entry: 'DECISION' }, ConsistentRead: true }),
    );
    return result.Item?.decision as Decision | undefined;
  }

  async getOutcome(decisionId: string): Promise<OutcomeRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { decisionId, entry: 'OUTCOME' }, ConsistentRead: true }),
    );
    return result.Item?.record as OutcomeRecord | undefined;
  }

  async getIntent(decisionId: string): Promise<IntentRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { decisionId, entry: 'INTENT' }, ConsistentRead: true }),
    );
    return result.Item?.record as IntentRecord | undefined;
  }

  /**
   * Append the intended ending of an upload. The first intent stands: a retry gets the stored one
   * back and finishes it.
   */
  async recordIntent(record: IntentRecord): Promise<IntentRecord> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: sealed({
            decisionId: record.decisionId,
            entry: 'INTENT',
            outcome: record.outcome,
            recordedAt: record.recordedAt,
            record,
          }),
          ConditionExpression: 'attribute_not_exists(decisionId)',
        }),
      );
      return record;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException')
        throw new AuditWriteError(`Could not record the intent for ${record.decisionId}`, { cause: error });
      const stored = await this.getIntent(record.decisionId);
      if (stored === undefined)
        throw new AuditWriteError(`Intent ${record.decisionId} exists but could not be read`, { cause: error });
      return stored;
    }
  }

  /** Append the outcome of an upload. Returns false when it was already recorded (a retry). */
  async recordOutcome(record: OutcomeRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: sealed({
            decisionId: record.decisionId,
            entry: 'OUTCOME',
            outcome: record.outcome,
            outcomeOrgId: record.orgId,
            recordedAt: record.recordedAt,
            // An ALLOW that was not acted on is listed next to its decision in byEffectCategory,
            // so a reviewer's query for ALLOW decisions also shows why that upload was not recognised.
            ...(record.supersedes?.effect === 'ALLOW'
              ? {
                  effectCategory: `ALLOW#${record.supersedes.category ?? 'unknown'}`,
                  decidedAt: record.supersedes.decidedAt,
                  supersededReason: record.reason,
                }
              : {}),
            record,
          }),
          ConditionExpression: 'attribute_not_exists(decisionId)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw new AuditWriteError(`Could not record outcome for ${record.decisionId}`, { cause: error });
    }
  }
}

/** Marshalling options the ledger's document client needs (optional fields are left out, not stored as null). */
export const AUDIT_TRANSLATE_CONFIG = {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
} as const;
