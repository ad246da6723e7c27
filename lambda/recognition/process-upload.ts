/**
 * One uploaded object, from its S3 event record to exactly one recorded outcome, as a resumable
 * sequence: recorded outcome? -> recorded intent? -> key -> size -> decision of record ->
 * object -> format -> policy (asked afresh) -> verification -> Rekognition, guarded at call time.
 *
 * Definitive answers (a bad key or image, a denial, a gone object) settle at once. Anything
 * transient (the policy function, S3, DynamoDB or Rekognition throttled, failing or slow) is
 * thrown: the message returns to the queue and the upload stays in intake. Only the queue's final
 * receive records a fail-closed outcome (POLICY_UNAVAILABLE / SERVICE_UNAVAILABLE) instead.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { decisionIdFor } from '../shared/audit';
import { type Decision, MISSING_FIELD, type ObjectRef, type PolicyRequest } from '../shared/decision';
import { findOrganisation, type Organisation } from '../shared/settings';
import { type RecognitionSubject, verifyAllow } from './allow';
import type { UploadDeps, UploadResult } from './deps';
import { PolicyUnavailableError } from './errors';
import { sizeProblem, sniffImageFormat } from './image';
import {
  decodeEventKey,
  type IntakeKey,
  operationSegment,
  orgSegmentOrUnknown,
  parseIntakeKey,
  restOfKey,
} from './key';
import { type LocalDenialInput, localDenial } from './local-decision';
import { callGuardFor } from './moratorium-gate';
import type { S3NotificationRecord } from './notification';
import { askPolicy } from './policy-client';
import { isGoneError } from './quarantine';
import { endUpload, finishRecorded, intentFor, recogniseUpload, settleIntent, type UploadPlace } from './settle';
import { type LoadedUpload, readUpload } from './upload-reader';

/** Which receive of its message this is (SQS `ApproximateReceiveCount`, from 1). */
export interface Delivery {
  readonly receiveCount: number;
}

/** The object an event record names, with the key decoded (the raw key when it cannot be decoded). */
export const objectRefOf = (record: S3NotificationRecord): ObjectRef => {
  const { bucket, object } = record.s3;
  return {
    bucket: bucket.name,
    key: decodeEventKey(object.key) ?? object.key,
    ...(object.versionId !== undefined && object.versionId !== '' ? { versionId: object.versionId } : {}),
  };
};

interface Upload {
  readonly record: S3NotificationRecord;
  readonly object: ObjectRef;
  readonly decisionId: string;
  readonly intake: IntakeKey | undefined;
  readonly organisation: Organisation | undefined;
  readonly principalId: string;
  readonly place: UploadPlace;
  readonly log: Logger;
}

const uploadOf = (record: S3NotificationRecord, deps: UploadDeps): Upload => {
  const object = objectRefOf(record);
  const decisionId = decisionIdFor(object);
  const intake = decodeEventKey(record.s3.object.key) === undefined ? undefined : parseIntakeKey(object.key);
  const orgId = intake?.orgId ?? orgSegmentOrUnknown(object.key);
  return {
    record,
    object,
    decisionId,
    intake,
    organisation: intake === undefined ? undefined : findOrganisation(deps.settings, intake.orgId),
    principalId: record.userIdentity?.principalId || 'unknown',
    place: { object, orgId, rest: restOfKey(object.key), operation: intake?.operation, eventTime: record.eventTime },
    log: deps.logger.createChild({ persistentKeys: { decisionId, orgId, key: object.key } }),
  };
};

/** Record the worker's own denial (the first decision stands) and end the upload on the decision of record. */
const denyLocally = async (
  deps: UploadDeps,
  upload: Upload,
  input: Pick<LocalDenialInput, 'reason' | 'detail' | 'purpose'>,
): Promise<UploadResult> => {
  const denial = localDenial(
    {
      object: upload.object,
      principalId: upload.principalId,
      orgId: upload.place.orgId ?? '_unknown',
      operation: upload.intake?.operation ?? operationSegment(upload.object.key),
      at: upload.record.eventTime,
      ...input,
    },
    deps.settings,
    deps.clock,
  );
  const { decision, created } = await deps.ledger.recordDecision(denial);
  // Counted only when this write made the record, so the console's Decisions match the ledger.
  if (created) deps.metrics.decision?.(decision);
  upload.log.warn('upload denied by the recognition handler', { reason: input.reason, detail: input.detail });
  // A decision already recorded (by an earlier delivery or a late policy answer) is the decision.
  const reason = created || decision.effect === 'ALLOW' ? input.reason : decision.reason;
  return endUpload(deps, upload.log, upload.place, intentFor(deps, upload.place, decision, reason, input.detail));
};

/** End the upload on a recorded denial. */
const endOnDenial = (deps: UploadDeps, upload: Upload, decision: Decision): Promise<UploadResult> =>
  endUpload(deps, upload.log, upload.place, intentFor(deps, upload.place, decision, decision.reason, decision.detail));

const decideAndAct = async (deps: UploadDeps, upload: Upload): Promise<UploadResult> => {
  const { intake, object, record, log } = upload;
  if (intake === undefined)
    return denyLocally(deps, upload, {
      reason: 'INVALID_REQUEST',
      detail: 'key is not incoming/<orgId>/<search|detect|index>/<name>',
      purpose: MISSING_FIELD,
    });
  const eventSize = record.s3.object.size;
  const eventSizeProblem = eventSize === undefined ? undefined : sizeProblem(eventSize);
  if (eventSizeProblem !== undefined)
    return denyLocally(deps, upload, { reason: 'INVALID_IMAGE', detail: eventSizeProblem, purpose: MISSING_FIELD });

  // A denial already recorded (a crash before its intent) is finished without asking again.
  const recorded = await deps.ledger.getDecision(upload.decisionId);
  if (recorded?.effect === 'DENY') return endOnDenial(deps, upload, recorded);

  let loaded: LoadedUpload;
  try {
    loaded = await readUpload(deps.s3, object);
  } catch (error) {
    if (!isGoneError(error)) throw error;
    return denyLocally(deps, upload, {
      reason: 'OBJECT_GONE',
      detail: `the object version was gone before it was read (${(error as Error).name})`,
      purpose: MISSING_FIELD,
    });
  }
  const purpose = loaded.purpose ?? upload.organisation?.purposes[0] ?? MISSING_FIELD;
  const realSizeProblem = sizeProblem(loaded.contentLength);
  if (realSizeProblem !== undefined)
    return denyLocally(deps, upload, { reason: 'INVALID_IMAGE', detail: realSizeProblem, purpose });
  if (sniffImageFormat(loaded.head) === undefined)
    return denyLocally(deps, upload, { reason: 'INVALID_IMAGE', detail: 'not a JPEG or PNG (magic bytes)', purpose });

  const request: PolicyRequest = {
    principalId: upload.principalId,
    orgId: intake.orgId,
    operation: intake.operation,
    purpose,
    at: record.eventTime,
    object,
  };
  // Asked on every delivery, even with an ALLOW on record: the call-time gate judges the caller's
  // restriction as the policy resolves it now, not as it was stored.
  const askedAt = deps.clock.now();
  const answer = await askPolicy(
    deps.lambda,
    { functionName: deps.policyFunctionName, timeoutMs: deps.policyTimeoutMs },
    request,
  );
  if (answer.kind === 'unavailable') throw new PolicyUnavailableError(answer.error.message, { cause: answer.error });
  if (answer.kind === 'error')
    return denyLocally(deps, upload, { reason: 'POLICY_ERROR', detail: answer.error.message, purpose });

  const subject: RecognitionSubject = {
    object,
    orgId: intake.orgId,
    operation: intake.operation,
    principalId: upload.principalId,
    at: record.eventTime,
    purpose,
    organisation: upload.organisation,
    image: loaded.bytes !== undefined ? { kind: 'bytes', bytes: loaded.bytes } : { kind: 's3-object' },
  };
  const first = verifyAllow(answer.decision, subject);
  if (!first.allowed && first.mismatch)
    return denyLocally(deps, upload, { reason: 'POLICY_ERROR', detail: first.detail, purpose });

  // The first decision recorded for an object is the decision: verify the stored one, not the answer.
  const { decision: stored } = await deps.ledger.recordDecision(answer.decision);
  if (stored.effect === 'DENY') {
    log.info('upload denied by policy', { reason: stored.reason });
    return endOnDenial(deps, upload, stored);
  }
  const verdict = stored === answer.decision ? first : verifyAllow(stored, subject);
  if (!verdict.allowed)
    return endUpload(deps, log, upload.place, intentFor(deps, upload.place, stored, 'POLICY_ERROR', verdict.detail));
  if (!first.allowed) {
    // A fresh denial overtakes an ALLOW on record (e.g. decided before the moratorium started):
    // a stored allow is never reused against the policy's answer now.
    log.warn('a fresh denial supersedes the recorded ALLOW', { reason: first.reason });
    return endUpload(deps, log, upload.place, intentFor(deps, upload.place, stored, first.reason, first.detail));
  }
  const guard = callGuardFor(
    stored,
    { caller: answer.decision.caller, askedAt },
    upload.organisation,
    deps.settings,
    deps.clock,
  );
  return recogniseUpload(deps, log, upload.place, verdict.request, guard);
};

/**
 * The final receive could not finish: record a fail-closed ending instead of dead-lettering. A
 * decision already on record stays the decision (an ALLOW is superseded, a denial is finished).
 */
const failClosed = async (deps: UploadDeps, upload: Upload, cause: unknown): Promise<UploadResult> => {
  // The failure may have come after the outcome was written (its answer lost, or the delete after
  // it failed): finish that story instead of starting a second one with a second quarantine copy.
  const recorded = await deps.ledger.getOutcome(upload.decisionId);
  if (recorded !== undefined) return finishRecorded(deps, upload.log, recorded);
  upload.log.error('final receive could not finish the upload; recording a fail-closed outcome', {
    error: `${(cause as Error).name}: ${(cause as Error).message}`,
  });
  const reason = cause instanceof PolicyUnavailableError ? 'POLICY_UNAVAILABLE' : 'SERVICE_UNAVAILABLE';
  return denyLocally(deps, upload, {
    reason,
    detail: `final receive: ${(cause as Error).name}: ${(cause as Error).message}`,
    purpose: MISSING_FIELD,
  });
};

/**
 * Process one S3 object-created record. Throws (so the message is retried) on a transient failure
 * before the final receive; every definitive path returns the one recorded outcome.
 */
export const processUpload = async (
  record: S3NotificationRecord,
  deps: UploadDeps,
  delivery: Delivery = { receiveCount: 1 },
): Promise<UploadResult> => {
  const upload = uploadOf(record, deps);
  const known = await deps.ledger.getOutcome(upload.decisionId);
  if (known !== undefined) return finishRecorded(deps, upload.log, known);
  try {
    const intent = await deps.ledger.getIntent(upload.decisionId);
    if (intent !== undefined) return await settleIntent(deps, upload.log, upload.place, intent);
    return await decideAndAct(deps, upload);
  } catch (error) {
    if (delivery.receiveCount < deps.maxReceiveCount) throw error;
    return failClosed(deps, upload, error);
  }
};
