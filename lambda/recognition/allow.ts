/**
 * The only way to an {@link AllowedRequest}: {@link verifyAllow} checks that a decision is an
 * ALLOW for exactly this object, organisation, operation, uploader, upload time and purpose, and
 * only then issues one. The
 * Rekognition wrapper takes nothing else, so a call without an allow does not type-check, and a
 * forged value (a cast) is refused at run time because it was never issued here.
 */
import { decisionIdFor } from '../shared/audit';
import type { Decision, ObjectRef, ReasonCode } from '../shared/decision';
import type { OperationName, Organisation } from '../shared/settings';

declare const allowedBrand: unique symbol;

/** How the image reaches Rekognition: inline bytes (<= 5 MB) or a reference to the object version. */
export type ImageInput = { readonly kind: 'bytes'; readonly bytes: Uint8Array } | { readonly kind: 's3-object' };

/** What the handler knows about an upload before it asks for a decision. */
export interface RecognitionSubject {
  readonly object: ObjectRef;
  readonly orgId: string;
  readonly operation: OperationName;
  /** The uploader, `userIdentity.principalId` of the S3 event. */
  readonly principalId: string;
  /** The upload's event time, exactly as the event gives it (and as the policy was asked). */
  readonly at: string;
  /** The purpose the policy was asked about. */
  readonly purpose: string;
  /** The registered organisation, when the key names one. */
  readonly organisation: Organisation | undefined;
  readonly image: ImageInput;
}

/** A Rekognition request that an ALLOW decision for this exact object stands behind. */
export type AllowedRequest = {
  readonly decision: Decision;
  readonly object: ObjectRef;
  readonly organisation: Organisation;
  readonly operation: OperationName;
  readonly image: ImageInput;
} & { readonly [allowedBrand]: true };

/** Why a decision does not allow the call. `mismatch` means the answer itself cannot be trusted. */
export interface NotAllowed {
  readonly reason: ReasonCode;
  readonly detail: string;
  readonly mismatch: boolean;
}

export type Verification =
  | { readonly allowed: true; readonly request: AllowedRequest }
  | ({ readonly allowed: false } & NotAllowed);

// Requests issued by verifyAllow; a value not in here was not verified, whatever its type says.
const issued = new WeakSet<object>();

const sameObject = (a: ObjectRef | undefined, b: ObjectRef): boolean =>
  a !== undefined && a.bucket === b.bucket && a.key === b.key && (a.versionId ?? null) === (b.versionId ?? null);

const mismatch = (detail: string): Verification => ({ allowed: false, reason: 'POLICY_ERROR', detail, mismatch: true });

/**
 * Check a decision against the upload it must be about.
 *
 * @example
 * const verdict = verifyAllow(decision, subject);
 * if (verdict.allowed) await rekognition.recognise(verdict.request);
 */
export const verifyAllow = (decision: Decision, subject: RecognitionSubject): Verification => {
  if (decision.decisionId !== decisionIdFor(subject.object))
    return mismatch(`decision ${decision.decisionId} is not the decision id of this object`);
  if (!sameObject(decision.request.object, subject.object))
    return mismatch('decision is about another object (bucket, key or version differ)');
  // A denial for this exact object version is a denial whatever else it says: its reason is the
  // story (an INVALID_REQUEST stays an INVALID_REQUEST), never a POLICY_ERROR about a field.
  if (decision.effect !== 'ALLOW')
    return {
      allowed: false,
      reason: decision.reason,
      detail: decision.detail ?? `denied: ${decision.reason}`,
      mismatch: false,
    };
  if (decision.request.orgId !== subject.orgId)
    return mismatch(`decision is for organisation "${decision.request.orgId}", the key names "${subject.orgId}"`);
  if (decision.request.operation !== subject.operation)
    return mismatch(`decision is for operation "${decision.request.operation}", the key names "${subject.operation}"`);
  // Whoever can invoke the policy function could otherwise store an ALLOW asked for by another
  // principal, at another instant (outside the moratorium) or for another purpose.
  if (decision.request.principalId !== subject.principalId)
    return mismatch(
      `decision is for principal "${decision.request.principalId}", the upload is by "${subject.principalId}"`,
    );
  if (decision.request.at !== subject.at)
    return mismatch(`decision is about the instant ${decision.request.at}, the upload happened at ${subject.at}`);
  if (decision.request.purpose !== subject.purpose)
    return mismatch(`decision is for purpose "${decision.request.purpose}", the upload states "${subject.purpose}"`);
  if (decision.reason !== 'ALLOWED') return mismatch(`an ALLOW must carry reason ALLOWED, got ${decision.reason}`);
  const organisation = subject.organisation;
  if (organisation === undefined || organisation.id !== subject.orgId)
    return mismatch(`organisation "${subject.orgId}" is not registered here`);
  if (!organisation.operations.includes(subject.operation))
    return mismatch(`organisation "${organisation.id}" is not registered for ${subject.operation}`);
  if (subject.operation !== 'detect' && organisation.collectionId === undefined)
    return mismatch(`organisation "${organisation.id}" has no face collection`);
  const request = Object.freeze({
    decision,
    object: subject.object,
    organisation,
    operation: subject.operation,
    image: subject.image,
  }) as AllowedRequest;
  issued.add(request);
  return { allowed: true, request };
};

/** Whether `request` was issued by {@link verifyAllow} in this process. */
export const isIssued = (request: AllowedRequest): boolean => issued.has(request);
