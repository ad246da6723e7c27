/**
 * The names and defaults that the infrastructure (lib/) and the functions (lambda/) must agree
 * on, written once: environment variable names, metric names and namespace, the audit ledger's
 * keys, the IAM names and tags enforcement writes, and the defaults a construct deploys and a
 * handler falls back to.
 *
 * Imports nothing, so `cdk synth` loading this module loads no SDK client or handler code.
 */

/** The CloudWatch namespace every function and state machine publishes to. */
export const METRICS_NAMESPACE = 'GovernedRecognition';

/** Names of the environment variables the CDK app sets and the functions read. */
export const ENV = {
  settings: 'GOVREC_SETTINGS',
  auditTable: 'AUDIT_TABLE_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  quarantineBucket: 'QUARANTINE_BUCKET_NAME',
  resultsBucket: 'RESULTS_BUCKET_NAME',
  policyFunction: 'POLICY_FUNCTION_NAME',
  policyTimeoutMs: 'POLICY_TIMEOUT_MS',
  /** The worker: the intake queue's maxReceiveCount (the final receive settles fail-closed). */
  maxReceiveCount: 'MAX_RECEIVE_COUNT',
  identityCacheTtlSeconds: 'IDENTITY_CACHE_TTL_SECONDS',
  /** Optional: registered roles above which the identity load pages through ListRoles. */
  identityListRolesAbove: 'IDENTITY_LIST_ROLES_ABOVE',
  restrictedTagKey: 'RESTRICTED_TAG_KEY',
  restrictedTagValue: 'RESTRICTED_TAG_VALUE',
  /** The enforcer: the account whose roles it may change. */
  accountId: 'GOVREC_ACCOUNT_ID',
  /** The enforcer: the intake bucket whose uploads it watches. */
  intakeBucketArn: 'INTAKE_BUCKET_ARN',
} as const;

/** Defaults a construct deploys and a handler falls back to when its variable is unset. */
export const DEFAULTS = {
  /** Lifetime of the policy function's RoleId map: a re-registered role is seen within it. */
  identityCacheTtlSeconds: 300,
  /**
   * Registered roles above which the identity load pages through ListRoles (about 10 calls for
   * 10,000 roles instead of one GetRole each); the policy role may ListRoles only then.
   */
  listRolesAbove: 100,
  /** The role tag that marks a role restricted even when it is not registered. */
  restrictedTag: { key: 'govrec:category', value: 'police' },
  /** How long the recognition worker waits for a decision before treating the call as a deny. */
  policyTimeoutMs: 5000,
  /** The principal tag whose value must name the organisation in the upload key. */
  orgPrincipalTag: 'govrec:org',
  /** Concurrent recognition invocations: the default Rekognition image TPS in most Regions. */
  recognitionMaxConcurrency: 5,
} as const;

/**
 * Names of the metrics the policy decision point publishes (default dimension `service` =
 * `policy`). The review console's dashboard and alarms use these, so a rename cannot silently
 * leave an alarm watching a metric nobody emits.
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

/** The audit ledger's primary key. */
export const AUDIT_KEYS = { partition: 'decisionId', sort: 'entry' } as const;

/**
 * The reviewer indexes (global, projecting all attributes), in the order the table declares them.
 * Every key attribute is a string; the table construct and the local tables are built from this.
 */
export const AUDIT_INDEXES = {
  byOrganisation: { partition: 'orgId', sort: 'decidedAt' },
  byRole: { partition: 'roleArn', sort: 'decidedAt' },
  byPrincipal: { partition: 'principalId', sort: 'decidedAt' },
  byEffectCategory: { partition: 'effectCategory', sort: 'decidedAt' },
} as const;

/** Inline policy that disables a restricted role for the window. */
export const DENY_POLICY_NAME = 'govrec-moratorium-deny';
/** Inline policy that invalidates sessions issued before the enforcement (AWSRevokeOlderSessions pattern). */
export const REVOKE_POLICY_NAME = 'govrec-moratorium-revoke-sessions';
/** Role tag holding the instant the deny lapses, or `indefinite`. */
export const UNTIL_TAG = 'govrec:moratorium-disabled-until';
/** Role tag holding `disabled` or `restored`. */
export const STATUS_TAG = 'govrec:moratorium-status';

/**
 * Time one message may need (policy call plus reads, Rekognition and writes): the worker starts a
 * message only with this much left, so a slow batch returns its tail to the queue instead of being
 * killed part-way. The worker construct checks at synth that the function timeout covers it.
 */
export const messageBudgetMs = (policyTimeoutMs: number): number => policyTimeoutMs + 15_000;
