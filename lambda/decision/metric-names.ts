/**
 * Names of the metrics the policy decision point publishes (namespace `GovernedRecognition`,
 * default dimension `service` = `policy`). The review console's dashboard and alarms import
 * these, so a rename here cannot silently leave an alarm watching a metric nobody emits.
 */
export const POLICY_METRICS = {
  /** Count, one per decision: by {Effect, Reason, Category} together and by each alone. */
  decisions: 'Decisions',
  /** Milliseconds from request to recorded decision, by {Effect, Reason, Category} and undimensioned. */
  decisionLatency: 'DecisionLatency',
  /**
   * Count on every decision, no extra dimension: 1 for an ALLOW to a restricted caller while the
   * moratorium is in force (should be impossible), otherwise 0 so a dashboard shows a real zero.
   */
  restrictedAllowedInWindow: 'RestrictedAllowedInWindow',
  /**
   * Count, no extra dimension: 1 per request refused because the policy set could not be loaded
   * or lacks the moratorium rules. The function answers with an error (the worker keeps the upload
   * and retries); any value above 0 needs a fix and a redeploy.
   */
  policySetUnavailable: 'PolicySetUnavailable',
} as const;

/** Dimension names of {@link POLICY_METRICS}.decisions and decisionLatency. */
export const DECISION_DIMENSIONS = ['Effect', 'Reason', 'Category'] as const;
