/**
 * BENCH-ONLY: the recognition handler's per-upload path with the policy step taken out, built
 * from the recognition module's exported functions so the product code gains no bypass. It
 * reads and checks the upload exactly as `processUpload` does, then stands in for the policy
 * Lambda with an ALLOW built locally (no Invoke, no Cedar, no DECISION record), verifies it with
 * the real `verifyAllow`, and ends with the real `recogniseUpload` (result + OUTCOME record).
 * What `processUpload` does beyond this is the cost of governance.
 */

import { verifyAllow } from '../../lambda/recognition/allow';
import type { UploadDeps, UploadResult } from '../../lambda/recognition/deps';
import { sizeProblem, sniffImageFormat } from '../../lambda/recognition/image';
import { parseIntakeKey, restOfKey } from '../../lambda/recognition/key';
import type { S3NotificationRecord } from '../../lambda/recognition/notification';
import { objectRefOf } from '../../lambda/recognition/process-upload';
import { recogniseUpload } from '../../lambda/recognition/settle';
import { readUpload } from '../../lambda/recognition/upload-reader';
import { decisionIdFor } from '../../lambda/shared/audit';
import type { Decision } from '../../lambda/shared/decision';
import { findOrganisation } from '../../lambda/shared/settings';
import { BenchSanityError } from '../lib/errors';

/** Process one upload without asking the policy Lambda. Throws on anything but a recognisable upload. */
export const processUploadUngoverned = async (
  record: S3NotificationRecord,
  deps: UploadDeps,
): Promise<UploadResult> => {
  const object = objectRefOf(record);
  const intake = parseIntakeKey(object.key);
  const organisation = intake === undefined ? undefined : findOrganisation(deps.settings, intake.orgId);
  if (intake === undefined || organisation === undefined)
    throw new BenchSanityError(`ungoverned variant got an upload it cannot place: ${object.key}`);
  const upload = await readUpload(deps.s3, object);
  const problem =
    sizeProblem(upload.contentLength) ??
    (sniffImageFormat(upload.head) === undefined ? 'not a JPEG or PNG' : undefined);
  if (problem !== undefined)
    throw new BenchSanityError(`ungoverned variant got an unusable image ${object.key}: ${problem}`);
  const at = record.eventTime;
  const request = {
    principalId: record.userIdentity?.principalId ?? 'unknown',
    orgId: intake.orgId,
    operation: intake.operation,
    purpose: organisation.purposes[0]!,
    at,
    object,
  };
  const allow: Decision = {
    decisionId: decisionIdFor(object),
    effect: 'ALLOW',
    reason: 'ALLOWED',
    policyIds: ['bench-ungoverned'],
    request,
    caller: { principalId: request.principalId, orgId: intake.orgId, restricted: false },
    moratorium: { start: deps.settings.moratorium.start, end: deps.settings.moratorium.end, inForce: false },
    decidedAt: deps.clock.now().toISOString(),
  };
  const verdict = verifyAllow(allow, {
    object,
    orgId: intake.orgId,
    operation: intake.operation,
    principalId: request.principalId,
    at,
    purpose: request.purpose,
    organisation,
    image: upload.bytes !== undefined ? { kind: 'bytes', bytes: upload.bytes } : { kind: 's3-object' },
  });
  if (!verdict.allowed) throw new BenchSanityError(`the local ALLOW did not verify: ${verdict.detail}`);
  const log = deps.logger.createChild({ persistentKeys: { decisionId: allow.decisionId } });
  return recogniseUpload(
    deps,
    log,
    { object, orgId: intake.orgId, rest: restOfKey(object.key), operation: intake.operation, eventTime: at },
    verdict.request,
    // The ungoverned variant measures the pipeline without the call-time gate.
    () => undefined,
  );
};
