/**
 * Decisions and outcomes for the audit ledger tests: one resolved police caller, one caller the
 * decision point could not resolve, and the outcome of an upload.
 */
import { decisionIdFor, type OutcomeRecord } from '../../../lambda/shared/audit';
import type { Decision, ObjectRef } from '../../../lambda/shared/decision';

export const TABLE = 'audit-table';
export const POLICE_ROLE_ARN = 'arn:aws:iam::111111111111:role/govrec-police-investigations';
export const WINDOW = { start: '2027-06-10T00:00:00.000Z', end: '2028-06-10T00:00:00.000Z' } as const;

export const objectAt = (key: string): ObjectRef => ({ bucket: 'intake', key, versionId: 'v1' });

/** A police upload denied in the window; `session` and `decidedAt` vary per call. */
export const policeDenial = (
  session: string,
  decidedAt: string,
  key = `incoming/metro-police/search/${session}.jpg`,
): Decision => {
  const object = objectAt(key);
  const principalId = `AWS:AROAPOLICEINVESTIGATE:${session}`;
  return {
    decisionId: decisionIdFor(object),
    effect: 'DENY',
    reason: 'MORATORIUM_IN_FORCE',
    policyIds: ['moratorium-forbid'],
    request: {
      principalId,
      orgId: 'metro-police',
      operation: 'search',
      purpose: 'criminal-investigation',
      at: decidedAt,
      object,
    },
    caller: {
      principalId,
      roleId: 'AROAPOLICEINVESTIGATE',
      roleArn: POLICE_ROLE_ARN,
      orgId: 'metro-police',
      category: 'police',
      restricted: true,
    },
    moratorium: { ...WINDOW, inForce: true },
    decidedAt,
  };
};

/** A caller the decision point could not resolve: no role, no category. */
export const unknownCallerDenial = (decidedAt: string): Decision => {
  const object = objectAt('incoming/thorn-like/detect/stranger.png');
  const principalId = 'AWS:AROASTRANGER:s';
  return {
    decisionId: decisionIdFor(object),
    effect: 'DENY',
    reason: 'UNKNOWN_PRINCIPAL',
    policyIds: [],
    request: { principalId, orgId: 'thorn-like', operation: 'detect', purpose: 'child-rescue', at: decidedAt, object },
    caller: { principalId, restricted: false },
    moratorium: { ...WINDOW, inForce: true },
    decidedAt,
    detail: 'no registered role has id AROASTRANGER',
  };
};

/** The quarantine outcome of a denied upload. */
export const quarantined = (decision: Decision): OutcomeRecord => ({
  decisionId: decision.decisionId,
  outcome: 'QUARANTINED',
  object: decision.request.object!,
  orgId: decision.request.orgId,
  location: { bucket: 'quarantine', key: decision.request.object!.key, versionId: 'q1' },
  reason: decision.reason,
  recordedAt: '2027-07-01T00:00:02.000Z',
});
