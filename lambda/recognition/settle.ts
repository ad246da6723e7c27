/**
 * How an upload ends, as resumable steps. Every ending but RECOGNIZED goes:
 * intent recorded -> quarantine copy (idempotent) -> OUTCOME recorded -> intake version deleted.
 * The destructive step is last, so a crash anywhere leaves either the recorded intent (a
 * redelivery finishes it) or the recorded outcome (a redelivery only repeats the delete). The
 * allowed path goes Rekognition -> result JSON -> OUTCOME RECOGNIZED; the intake object stays.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type IntentRecord, type OutcomeRecord, outcomeKindFor, type Supersession } from '../shared/audit';
import type { Decision, ObjectRef, ReasonCode } from '../shared/decision';
import type { AllowedRequest } from './allow';
import type { UploadDeps, UploadResult } from './deps';
import { RekognitionCallBarredError, RekognitionImageRejectedError } from './errors';
import { copyToQuarantine, deleteIntakeVersion, isGoneError, quarantineKeyFor } from './quarantine';
import type { CallGuard } from './rekognition';
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

/** The decision an ending overrides, when the ending does not follow from it alone. */
export const supersessionOf = (decision: Decision): Supersession => ({
  effect: decision.effect,
  reason: decision.reason,
  decidedAt: decision.decidedAt,
  ...(decision.caller.category !== undefined ? { category: decision.caller.category } : {}),
});

/**
 * The intent for ending an upload with `reason`, given the decision of record. When the reason is
 * the decision's own (a denial), the outcome follows from it; otherwise it supersedes it (an ALLOW
 * that is not acted on, or an earlier denial overtaken by a gone object) and says so.
 */
export const intentFor = (
  deps: UploadDeps,
  place: UploadPlace,
  decision: Decision,
  reason: ReasonCode,
  detail?: string,
  summary?: IntentRecord['summary'],
): IntentRecord => {
  const outcome = outcomeKindFor(reason);
  const follows = decision.effect === 'DENY' && decision.reason === reason;
  return {
    decisionId: decision.decisionId,
    outcome,
    reason,
    object: place.object,
    ...(place.orgId !== undefined ? { orgId: place.orgId } : {}),
    ...(place.operation !== undefined ? { operation: place.operation } : {}),
    ...(outcome !== 'GONE' ? { quarantineKey: quarantineKeyFor(place.orgId, place.rest) } : {}),
    decision: supersessionOf(decision),
    ...(follows ? {} : { supersedes: supersessionOf(decision) }),
    ...(detail !== undefined ? { detail: detail.slice(0, 1000) } : {}),
    ...(summary !== undefined ? { summary } : {}),
    recordedAt: deps.clock.now().toISOString(),
  };
};

const outcomeOf = (deps: UploadDeps, intent: IntentRecord, location?: OutcomeRecord['location']): OutcomeRecord => ({
  decisionId: intent.decisionId,
  outcome: intent.outcome,
  object: intent.object,
  ...(intent.orgId !== undefined ? { orgId: intent.orgId } : {}),
  ...(intent.operation !== undefined ? { operation: intent.operation } : {}),
  ...(location !== undefined ? { location } : {}),
  reason: intent.reason,
  ...(intent.summary !== undefined ? { summary: intent.summary } : {}),
  ...(intent.supersedes !== undefined ? { supersedes: intent.supersedes } : {}),
  recordedAt: deps.clock.now().toISOString(),
});

/**
 * Finish a recorded intent: copy to quarantine, record the OUTCOME, delete the intake version.
 * An object already gone when it is copied settles as GONE (it can no longer be kept).
 */
export const settleIntent = async (
  deps: UploadDeps,
  log: Logger,
  place: UploadPlace,
  intent: IntentRecord,
): Promise<UploadResult> => {
  let outcome: OutcomeRecord;
  if (intent.outcome === 'GONE' || intent.quarantineKey === undefined) {
    outcome = outcomeOf(deps, { ...intent, outcome: 'GONE' });
  } else {
    try {
      const location = await copyToQuarantine(deps.s3, {
        object: intent.object,
        quarantineBucket: deps.quarantineBucket,
        quarantineKey: intent.quarantineKey,
        decisionId: intent.decisionId,
        reason: intent.reason as ReasonCode,
        orgId: intent.orgId,
      });
      outcome = outcomeOf(deps, intent, location);
    } catch (error) {
      if (!isGoneError(error)) throw error;
      log.warn('the upload was gone before it could be quarantined', { intended: intent.outcome });
      outcome = outcomeOf(deps, {
        ...intent,
        outcome: 'GONE',
        reason: 'OBJECT_GONE',
        supersedes: intent.decision,
      });
    }
  }
  if (!(await deps.ledger.recordOutcome(outcome))) {
    // Another delivery recorded the outcome first: that record is the story; finish it.
    const stored = await deps.ledger.getOutcome(outcome.decisionId);
    if (stored !== undefined) return finishRecorded(deps, log, stored);
  }
  if (outcome.location !== undefined) {
    await deleteIntakeVersion(deps.s3, intent.object);
    deps.metrics.quarantined();
  }
  deps.metrics.upload(outcome.outcome);
  recordLatency(deps, place.eventTime);
  log.info('upload settled', { outcome: outcome.outcome, reason: outcome.reason, supersedes: outcome.supersedes });
  return {
    decisionId: outcome.decisionId,
    outcome: outcome.outcome,
    duplicate: false,
    ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
    ...(outcome.location !== undefined ? { location: outcome.location } : {}),
  };
};

/** Record the intent (the first one stands) and finish it. */
export const endUpload = async (
  deps: UploadDeps,
  log: Logger,
  place: UploadPlace,
  intent: IntentRecord,
): Promise<UploadResult> => settleIntent(deps, log, place, await deps.ledger.recordIntent(intent));

/** Back-offs of the retries after a Rekognition call (ms): about 2 s in all, within a message budget. */
export const AFTER_CALL_BACKOFF_MS = [200, 600, 1200] as const;

const afterTheCall = async <T>(step: () => Promise<T>): Promise<T> => {
  for (const delay of AFTER_CALL_BACKOFF_MS) {
    try {
      return await step();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return step();
};

/**
 * Run the allowed Rekognition operation, write the result JSON and record the outcome.
 *
 * `guard` is asked before every attempt (see moratorium-gate.ts): a bar quarantines the upload with
 * the ALLOW superseded; a stale judgement throws and the message is retried. An image Rekognition
 * refuses is rejected (INVALID_IMAGE), because a retry would only fail the same way. Anything else
 * (throttling that outlasted the retries, a 5xx, a timeout) is thrown: the upload stays in intake.
 */
export const recogniseUpload = async (
  deps: UploadDeps,
  log: Logger,
  place: UploadPlace,
  allowed: AllowedRequest,
  guard: CallGuard,
): Promise<UploadResult> => {
  let result: Awaited<ReturnType<UploadDeps['rekognition']['recognise']>>;
  try {
    result = await deps.rekognition.recognise(allowed, guard);
  } catch (error) {
    if (error instanceof RekognitionCallBarredError) {
      log.warn('allowed upload not recognised: the moratorium bars its caller now', { reason: error.reason });
      return endUpload(deps, log, place, intentFor(deps, place, allowed.decision, error.reason, error.message));
    }
    if (!(error instanceof RekognitionImageRejectedError)) throw error;
    log.warn('Rekognition refused the image; rejecting it', { errorName: error.errorName, detail: error.message });
    return endUpload(
      deps,
      log,
      place,
      intentFor(deps, place, allowed.decision, 'INVALID_IMAGE', error.message, { errorCode: error.errorName }),
    );
  }
  const orgId = allowed.organisation.id;
  const recognisedAt = deps.clock.now().toISOString();
  // Rekognition has run: a failure from here on would mean a repeat call on the redelivery, so
  // the two writes are retried here first (beyond the SDK's own retries).
  const location = await afterTheCall(() =>
    writeResult(deps.s3, deps.resultsBucket, resultKeyFor(orgId, place.rest), {
      decisionId: allowed.decision.decisionId,
      recognisedAt,
      orgId,
      operation: result.operation,
      object: allowed.object,
      summary: result.summary,
      response: result.response,
    }),
  );
  const summary = Object.fromEntries(
    Object.entries(result.summary).filter(([, value]) => value !== undefined),
  ) as Record<string, string | number>;
  await afterTheCall(() =>
    deps.ledger.recordOutcome({
      decisionId: allowed.decision.decisionId,
      outcome: 'RECOGNIZED',
      object: allowed.object,
      orgId,
      operation: result.operation,
      location,
      summary,
      recordedAt: recognisedAt,
    }),
  );
  deps.metrics.upload('RECOGNIZED');
  recordLatency(deps, place.eventTime);
  log.info('upload recognised', { operation: result.operation, ...summary });
  return { decisionId: allowed.decision.decisionId, outcome: 'RECOGNIZED', duplicate: false, location };
};

/**
 * A redelivery that finds the OUTCOME recorded: only the last step may be missing (a crash between
 * the outcome and the delete), so the intake version of a quarantined upload is deleted again.
 */
export const finishRecorded = async (deps: UploadDeps, log: Logger, known: OutcomeRecord): Promise<UploadResult> => {
  if (known.outcome !== 'RECOGNIZED' && known.location !== undefined) await deleteIntakeVersion(deps.s3, known.object);
  log.info('outcome already recorded; nothing else to do', { outcome: known.outcome });
  deps.metrics.upload('DUPLICATE');
  return {
    decisionId: known.decisionId,
    outcome: known.outcome,
    duplicate: true,
    ...(known.reason !== undefined ? { reason: known.reason } : {}),
  };
};
