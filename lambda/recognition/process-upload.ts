/**
 * One uploaded object, from its S3 event record to exactly one recorded outcome. The order is
 * the point: known outcome -> key -> size and format -> policy -> verification -> the moratorium
 * at the processing instant -> Rekognition.
 * Every exit before the last step quarantines the object, so nothing reaches Rekognition
 * without an ALLOW for this exact object version.
 */
import { decisionIdFor } from '../shared/audit';
import type { Decision, ObjectRef, PolicyRequest } from '../shared/decision';
import { findOrganisation } from '../shared/settings';
import { type RecognitionSubject, verifyAllow } from './allow';
import type { UploadDeps, UploadResult } from './deps';
import { sizeProblem, sniffImageFormat } from './image';
import { decodeEventKey, operationSegment, orgSegmentOrUnknown, parseIntakeKey, restOfKey } from './key';
import { type LocalDenialInput, localDenial } from './local-decision';
import type { S3NotificationRecord } from './notification';
import { askPolicy } from './policy-client';
import { quarantineUpload, recogniseUpload, type UploadPlace } from './settle';
import { readUpload } from './upload-reader';

/** The object an event record names, with the key decoded (the raw key when it cannot be decoded). */
export const objectRefOf = (record: S3NotificationRecord): ObjectRef => {
  const { bucket, object } = record.s3;
  return {
    bucket: bucket.name,
    key: decodeEventKey(object.key) ?? object.key,
    ...(object.versionId !== undefined && object.versionId !== '' ? { versionId: object.versionId } : {}),
  };
};

/**
 * Process one S3 object-created record. Throws (so the message is retried, then dead-lettered)
 * only when S3, the ledger or a throttled Rekognition fail; every decision path returns.
 */
export const processUpload = async (record: S3NotificationRecord, deps: UploadDeps): Promise<UploadResult> => {
  const object = objectRefOf(record);
  const decisionId = decisionIdFor(object);
  const intake = decodeEventKey(record.s3.object.key) === undefined ? undefined : parseIntakeKey(object.key);
  const orgId = intake?.orgId ?? orgSegmentOrUnknown(object.key);
  const log = deps.logger.createChild({ persistentKeys: { decisionId, orgId, key: object.key } });

  const known = await deps.ledger.getOutcome(decisionId);
  if (known !== undefined) {
    log.info('outcome already recorded; nothing to do', { outcome: known.outcome });
    deps.metrics.upload('DUPLICATE');
    return {
      decisionId,
      outcome: known.outcome,
      duplicate: true,
      ...(known.reason !== undefined ? { reason: known.reason } : {}),
    };
  }

  const principalId = record.userIdentity?.principalId || 'unknown';
  const place: UploadPlace = {
    object,
    orgId,
    rest: restOfKey(object.key),
    operation: intake?.operation,
    eventTime: record.eventTime,
  };
  const organisation = intake === undefined ? undefined : findOrganisation(deps.settings, intake.orgId);
  const denialBase = {
    object,
    principalId,
    orgId,
    operation: intake?.operation ?? operationSegment(object.key),
    at: record.eventTime,
    purpose: '',
  };

  const deny = async (
    input: Pick<LocalDenialInput, 'reason' | 'detail' | 'purpose'>,
    outcome: 'QUARANTINED' | 'REJECTED',
  ): Promise<UploadResult> => {
    const { decision, created } = await deps.ledger.recordDecision(
      localDenial({ ...denialBase, ...input }, deps.settings, deps.clock),
    );
    // Counted only when this write made the record, so the console's Decisions match the ledger.
    if (created) deps.metrics.decision?.(decision);
    log.warn('upload denied by the recognition handler', { reason: input.reason, detail: input.detail });
    return quarantineUpload(deps, log, place, { ...decision, reason: input.reason }, outcome);
  };

  if (intake === undefined) {
    return deny(
      { reason: 'INVALID_REQUEST', detail: 'key is not incoming/<orgId>/<search|detect|index>/<name>', purpose: '' },
      'REJECTED',
    );
  }
  const eventSize = record.s3.object.size;
  const eventSizeProblem = eventSize === undefined ? undefined : sizeProblem(eventSize);
  if (eventSizeProblem !== undefined)
    return deny({ reason: 'INVALID_IMAGE', detail: eventSizeProblem, purpose: '' }, 'REJECTED');

  const upload = await readUpload(deps.s3, object);
  const purpose = upload.purpose ?? organisation?.purposes[0] ?? '';
  const realSizeProblem = sizeProblem(upload.contentLength);
  if (realSizeProblem !== undefined)
    return deny({ reason: 'INVALID_IMAGE', detail: realSizeProblem, purpose }, 'REJECTED');
  if (sniffImageFormat(upload.head) === undefined)
    return deny({ reason: 'INVALID_IMAGE', detail: 'not a JPEG or PNG (magic bytes)', purpose }, 'REJECTED');

  const request: PolicyRequest = {
    principalId,
    orgId: intake.orgId,
    operation: intake.operation,
    purpose,
    at: record.eventTime,
    object,
  };
  const answer = await askPolicy(
    deps.lambda,
    { functionName: deps.policyFunctionName, timeoutMs: deps.policyTimeoutMs },
    request,
  );
  if (answer.kind === 'timeout')
    return deny({ reason: 'POLICY_TIMEOUT', detail: answer.error.message, purpose }, 'QUARANTINED');
  if (answer.kind === 'error')
    return deny({ reason: 'POLICY_ERROR', detail: answer.error.message, purpose }, 'QUARANTINED');

  const subject: RecognitionSubject = {
    object,
    orgId: intake.orgId,
    operation: intake.operation,
    principalId,
    at: record.eventTime,
    purpose,
    organisation,
    image: upload.bytes !== undefined ? { kind: 'bytes', bytes: upload.bytes } : { kind: 's3-object' },
  };
  const first = verifyAllow(answer.decision, subject);
  if (!first.allowed && first.mismatch)
    return deny({ reason: 'POLICY_ERROR', detail: first.detail, purpose }, 'QUARANTINED');

  // The first decision recorded for an object is the decision: verify the stored one, not the answer.
  const { decision: stored } = await deps.ledger.recordDecision(answer.decision);
  const verdict = stored === answer.decision ? first : verifyAllow(stored, subject);
  // recogniseUpload judges the moratorium again at the instant of each Rekognition attempt.
  if (verdict.allowed) return recogniseUpload(deps, log, place, verdict.request);
  log.info('upload denied by policy', { reason: verdict.reason, detail: verdict.detail });
  return quarantineUpload(
    deps,
    log,
    place,
    stored.effect === 'DENY' ? stored : ({ ...stored, reason: verdict.reason } as Decision),
    'QUARANTINED',
  );
};
