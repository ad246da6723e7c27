/**
 * Helpers that turn what the pipeline did into the scenario's one-line progress and its
 * expectation checks.
 */
import type { AccessResult } from '../iam/effect';
import type { LocalRunResult } from '../stepfunctions';
import type { UploadOutcome } from './pipeline';

/** What an upload step expects. */
export interface UploadExpectation {
  readonly effect: 'ALLOW' | 'DENY';
  readonly reason?: string;
  readonly outcome: 'RECOGNIZED' | 'QUARANTINED' | 'REJECTED';
  /** The face engine must not be called at all. */
  readonly noEngineCall?: boolean;
  /** A match whose ExternalImageId starts with this (the handler appends a suffix) at or above this similarity. */
  readonly matchAtLeast?: { readonly externalImageId: string; readonly similarity: number };
  /** No match at all. */
  readonly noMatch?: boolean;
}

const calls = (outcome: UploadOutcome): string => {
  const entries = Object.entries(outcome.engineCalls);
  return entries.length === 0
    ? 'face engine not called'
    : `face engine: ${entries.map(([op, n]) => `${op} x${n}`).join(', ')}`;
};

/** One line: decision, reason, outcome, matches, engine calls. */
export const describeUpload = (outcome: UploadOutcome): string => {
  const decision =
    outcome.decision === undefined ? 'NO DECISION RECORDED' : `${outcome.decision.effect} ${outcome.decision.reason}`;
  const matches =
    outcome.matches.length > 0
      ? `; matches: ${outcome.matches.map((m) => `${m.externalImageId ?? m.faceId ?? '?'} ${m.similarity.toFixed(1)}%`).join(', ')}`
      : outcome.summary !== undefined && 'matches' in outcome.summary
        ? '; no match'
        : '';
  const faces =
    outcome.summary !== undefined && 'faces' in outcome.summary ? `; ${String(outcome.summary.faces)} face(s)` : '';
  const dead = outcome.deadLettered > 0 ? `; ${outcome.deadLettered} DEAD-LETTERED` : '';
  return `${decision} -> ${outcome.outcome ?? 'NO OUTCOME'}${faces}${matches}; ${calls(outcome)}${dead}`;
};

export const describeExpectation = (expected: UploadExpectation): string =>
  [
    `${expected.effect}${expected.reason !== undefined ? ` ${expected.reason}` : ''} -> ${expected.outcome}`,
    expected.noEngineCall === true ? 'face engine not called' : undefined,
    expected.matchAtLeast !== undefined
      ? `match ${expected.matchAtLeast.externalImageId} >= ${expected.matchAtLeast.similarity}%`
      : undefined,
    expected.noMatch === true ? 'no match' : undefined,
  ]
    .filter((part) => part !== undefined)
    .join('; ');

/** Whether an upload ended as expected. */
export const meetsExpectation = (outcome: UploadOutcome, expected: UploadExpectation): boolean =>
  outcome.decision?.effect === expected.effect &&
  (expected.reason === undefined || outcome.decision.reason === expected.reason) &&
  outcome.outcome === expected.outcome &&
  outcome.deadLettered === 0 &&
  (expected.noEngineCall !== true || Object.keys(outcome.engineCalls).length === 0) &&
  (expected.matchAtLeast === undefined ||
    outcome.matches.some(
      (m) =>
        (m.externalImageId ?? '').startsWith(expected.matchAtLeast!.externalImageId) &&
        m.similarity >= expected.matchAtLeast!.similarity,
    )) &&
  (expected.noMatch !== true || outcome.matches.length === 0);

/** `SUCCEEDED` or `FAILED (name: message)`. */
export const describeRun = (run: LocalRunResult): string =>
  run.status === 'SUCCEEDED' ? 'SUCCEEDED' : `FAILED (${run.error?.name ?? '?'}: ${run.error?.message ?? ''})`;

/** Short role name from an ARN. */
export const roleNameOf = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** `Allowed`, `ExplicitlyDenied`... joined per role. */
export const describeAccess = (checks: readonly { roleArn: string; result: AccessResult }[]): string =>
  checks.map((check) => `${roleNameOf(check.roleArn)} ${check.result}`).join(', ');
