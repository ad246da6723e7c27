/**
 * The two ways an upload ends: recognised (result written, outcome RECOGNIZED) or moved to
 * quarantine (outcome QUARANTINED after a denial, REJECTED for an input Rekognition cannot take).
 * Each records exactly one OUTCOME entry in the ledger.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Decision, ObjectRef } from '../shared/decision';
import type { AllowedRequest } from './allow';
import type { UploadDeps, UploadResult } from './deps';
import { RekognitionCallBarredError, RekognitionImageRejectedError } from './errors';
import { moratoriumBarAt } from './moratorium-gate';
import { quarantineKeyFor, quarantineObject } from './quarantine';
import type { RecognitionResult } from './rekognition';
import { resultKeyFor, writeResult } from './results';

/** Where the upload sits in the intake layout, as far as the key tells. */
export interface UploadPlace {
  readonly object: ObjectRef;
  readonly orgId?: string;
  readonly rest: string;
  readonly operation?: string;
  /** The upload's event time, for the end-to-end latency. */
  readonly eventTime: string;
}

const recordLatency = (deps: UploadDeps, eventTime: string): void => {
  const started = Date.parse(eventTime);
  if (!Number.isNaN(started)) deps.metrics.endToEndLatency(deps.clock.now().getTime() - started);
};

/** Quarantine the object version and record the outcome. Never calls Rekognition. */
export const quarantineUpload = async (
  deps: UploadDeps,
  log: Logger,
  place: UploadPlace,
  decision: Decision,
  outcome: 'QUARANTINED' | 'REJECTED',
  summary?: Record<string, string | number>,
): Promise<UploadResult> => {
  const location = await quarantineObject(deps.s3, {
    object: place.object,
    quarantineBucket: deps.quarantineBucket,
    quarantineKey: quarantineKeyFor(place.orgId, place.rest),
    decisionId: decision.decisionId,
    reason: decision.reason,
    orgId: place.orgId,
  });
  await deps.ledger.recordOutcome({
    decisionId: decision.decisionId,
    outcome,
    object: place.object,
    ...(place.orgId !== undefined ? { orgId: place.orgId } : {}),
    ...(place.operation !== undefined ? { operation: place.operation } : {}),
    location,
    reason: decision.reason,
    ...(summary !== undefined ? { summary } : {}),
    recordedAt: deps.clock.now().toISOString(),
  });
  deps.metrics.quarantined();
  deps.metrics.upload(outcome);
  recordLatency(deps, place.eventTime);
  log.info('upload quarantined', { outcome, reason: decision.reason, quarantineKey: location.key });
  return { decisionId: decision.decisionId, outcome, duplicate: false, reason: decision.reason, location };
};

/**
 * Run the allowed Rekognition operation, write the result JSON and record the outcome.
 *
 * Before every attempt the moratorium is judged at `deps.clock.now()`: the policy judged the
 * upload's instant, but the call may come much later (backlog, retries, a DLQ redrive, a replayed
 * ALLOW) or a throttling back-off may carry it across the start. A barred call is quarantined;
 * the first decision stands in the ledger, so the bar is the OUTCOME's reason.
 *
 * An image Rekognition refuses is rejected to quarantine (INVALID_IMAGE in the outcome; the
 * ALLOW stays the decision), because a retry would only fail the same way and end in the DLQ.
 */
export const recogniseUpload = async (
  deps: UploadDeps,
  log: Logger,
  place: UploadPlace,
  allowed: AllowedRequest,
): Promise<UploadResult> => {
  const guard = () => moratoriumBarAt(allowed.decision, allowed.organisation, deps.settings, deps.clock.now());
  let result: RecognitionResult;
  try {
    result = await deps.rekognition.recognise(allowed, guard);
  } catch (error) {
    if (error instanceof RekognitionCallBarredError) {
      log.warn('allowed upload not recognised: the moratorium bars its caller now', {
        reason: error.reason,
        eventTime: place.eventTime,
      });
      return quarantineUpload(deps, log, place, { ...allowed.decision, reason: error.reason }, 'QUARANTINED');
    }
    if (!(error instanceof RekognitionImageRejectedError)) throw error;
    log.warn('Rekognition refused the image; rejecting it', { errorName: error.errorName, detail: error.message });
    return quarantineUpload(deps, log, place, { ...allowed.decision, reason: 'INVALID_IMAGE' }, 'REJECTED', {
      errorCode: error.errorName,
    });
  }
  const orgId = allowed.organisation.id;
  const recognisedAt = deps.clock.now().toISOString();
  const location = await writeResult(deps.s3, deps.resultsBucket, resultKeyFor(orgId, place.rest), {
    decisionId: allowed.decision.decisionId,
    recognisedAt,
    orgId,
    operation: result.operation,
    object: allowed.object,
    summary: result.summary,
    response: result.response,
  });
  const summary = Object.fromEntries(
    Object.entries(result.summary).filter(([, value]) => value !== undefined),
  ) as Record<string, string | number>;
  await deps.ledger.recordOutcome({
    decisionId: allowed.decision.decisionId,
    outcome: 'RECOGNIZED',
    object: allowed.object,
    orgId,
    operation: result.operation,
    location,
    summary,
    recordedAt: recognisedAt,
  });
  deps.metrics.upload('RECOGNIZED');
  recordLatency(deps, place.eventTime);
  log.info('upload recognised', { operation: result.operation, ...summary });
  return { decisionId: allowed.decision.decisionId, outcome: 'RECOGNIZED', duplicate: false, location };
};
