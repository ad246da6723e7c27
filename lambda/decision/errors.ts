/**
 * Errors of the policy decision point. Every one of them ends as a DENY: `decide` turns them into
 * POLICY_ERROR decisions, and the handler throws {@link DecisionNotRecordedError} so the caller
 * treats an unrecorded decision as a policy failure.
 */
import type { Decision } from '../shared/decision';
import { GovrecError } from '../shared/errors';

/** Base class: anything the decision point raises on purpose. */
export class PolicyDecisionError extends GovrecError {}

/** The policy files or the schema cannot be read, parsed or validated. */
export class PolicySetError extends PolicyDecisionError {}

/** Cedar could not evaluate a request, or a policy raised an error while being evaluated. */
export class PolicyEvaluationError extends PolicyDecisionError {}

/** IAM could not confirm any registered role: no caller can be resolved, so nobody is allowed. */
export class IdentityResolutionError extends PolicyDecisionError {}

/** The decision could not be written to the audit ledger; `decision` is the DENY that stands in for it. */
export class DecisionNotRecordedError extends PolicyDecisionError {
  constructor(
    readonly decision: Decision,
    options?: { cause?: unknown },
  ) {
    super(`Decision ${decision.decisionId} could not be recorded; treat it as a denial (POLICY_ERROR)`, options);
  }
}
