/**
 * CloudWatch Logs Insights saved queries (query definitions) a reviewer runs from the console.
 * The time range is picked in the console; the values to look for are placeholders in capitals
 * (`ORG_ID`, `PRINCIPAL`, `ROLE_NAME`) that the reviewer replaces before running.
 *
 * The fields are those the handlers log: the policy function logs each decision as
 * `message = "Decision"` with `effect`, `reason`, `policyIds`, `caller` (principalId, roleArn,
 * orgId, category, restricted) and the appended `decisionId`; its EMF lines carry
 * `RestrictedAllowedInWindow` (and `decisionId` when it is 1). The enforcer logs
 * `message = "enforcer step"` with `roleArn`, `action`, `recordAction`, `next`; the state
 * machines log execution events (`type`, `execution_arn`, `details` with the role in the input).
 */
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Fields of the policy function's `Decision` log line the queries show (a unit test checks the handler logs each). */
export const DECISION_LOG_FIELDS = [
  '@timestamp',
  'decisionId',
  'effect',
  'reason',
  'policyIds.0',
  'caller.orgId',
  'caller.category',
  'caller.roleArn',
  'caller.principalId',
] as const;

/** The query texts, exported so tests and the runbook can quote them exactly. */
export const reviewQueryStrings = (restrictedCategories: readonly string[]) => {
  const categories = restrictedCategories.map((c) => `"${c}"`).join(', ');
  // A caller is restricted by category or by tag; the decision records both (`restricted` is a JSON boolean, 1 in Logs Insights).
  const restricted = `(caller.restricted = 1 or caller.category in [${categories}])`;
  return {
    decisionsOfOrganisation: new logs.QueryString({
      fields: [...DECISION_LOG_FIELDS],
      filterStatements: ['message = "Decision"', 'caller.orgId = "ORG_ID"'],
      sort: '@timestamp asc',
      limit: 10000,
    }),
    decisionsOfPrincipal: new logs.QueryString({
      fields: [...DECISION_LOG_FIELDS],
      filterStatements: ['message = "Decision"', 'caller.roleArn = "PRINCIPAL" or caller.principalId like "PRINCIPAL"'],
      sort: '@timestamp asc',
      limit: 10000,
    }),
    restrictedDenials: new logs.QueryString({
      fields: [...DECISION_LOG_FIELDS],
      filterStatements: ['message = "Decision"', 'effect = "DENY"', restricted],
      sort: '@timestamp asc',
      limit: 10000,
    }),
    restrictedAllows: new logs.QueryString({
      fields: [...DECISION_LOG_FIELDS],
      filterStatements: ['message = "Decision"', 'effect = "ALLOW"', restricted],
      sort: '@timestamp asc',
      limit: 10000,
    }),
    restrictedAllowedInWindow: new logs.QueryString({
      fields: ['@timestamp', 'decisionId', 'RestrictedAllowedInWindow'],
      filterStatements: ['RestrictedAllowedInWindow > 0'],
      sort: '@timestamp asc',
    }),
    enforcementTimelineOfRole: new logs.QueryString({
      fields: ['@timestamp', '@log', 'type', 'execution_arn', 'action', 'recordAction', 'next', 'roleArn'],
      filterStatements: ['@message like "ROLE_NAME"'],
      sort: '@timestamp asc',
      limit: 10000,
    }),
  };
};

/** The saved-query names as they appear in the Logs Insights "Saved queries" list. */
export const REVIEW_QUERY_NAMES = {
  decisionsOfOrganisation: 'Decisions of one organisation (replace ORG_ID)',
  decisionsOfPrincipal: 'Decisions of one principal (replace PRINCIPAL by a role ARN or role id)',
  restrictedDenials: 'Denials of restricted callers',
  restrictedAllows: 'Allows of restricted callers (inside the window: must be empty)',
  restrictedAllowedInWindow: 'Restricted requests allowed in the window (must be empty)',
  enforcementTimelineOfRole: 'Enforcement timeline of one role (replace ROLE_NAME)',
} as const;

export interface ReviewQueriesProps {
  /** The policy decision point's log group. */
  readonly policyLogGroup: logs.ILogGroup;
  /** Log groups of the enforcement workflows and enforcer functions. @default - no timeline query */
  readonly enforcementLogGroups?: readonly logs.ILogGroup[];
  readonly restrictedCategories: readonly string[];
  /** Prefix of every saved-query name, so two deployments in one account stay apart. */
  readonly namePrefix: string;
}

/**
 * @example
 * new ReviewQueries(this, 'Queries', { policyLogGroup: policyFn.logGroup, restrictedCategories: ['police'], namePrefix: 'govrec/' });
 */
export class ReviewQueries extends Construct {
  /** By key of {@link REVIEW_QUERY_NAMES}. */
  public readonly definitions: Readonly<Partial<Record<keyof typeof REVIEW_QUERY_NAMES, logs.QueryDefinition>>>;

  constructor(scope: Construct, id: string, props: ReviewQueriesProps) {
    super(scope, id);
    const strings = reviewQueryStrings(props.restrictedCategories);
    const define = (key: keyof typeof REVIEW_QUERY_NAMES, logGroups: readonly logs.ILogGroup[]) =>
      new logs.QueryDefinition(this, key.charAt(0).toUpperCase() + key.slice(1), {
        queryDefinitionName: `${props.namePrefix}${REVIEW_QUERY_NAMES[key]}`,
        queryString: strings[key],
        logGroups: [...logGroups],
      });
    const policy = [props.policyLogGroup];
    const definitions: Partial<Record<keyof typeof REVIEW_QUERY_NAMES, logs.QueryDefinition>> = {
      decisionsOfOrganisation: define('decisionsOfOrganisation', policy),
      decisionsOfPrincipal: define('decisionsOfPrincipal', policy),
      restrictedDenials: define('restrictedDenials', policy),
      restrictedAllows: define('restrictedAllows', policy),
      restrictedAllowedInWindow: define('restrictedAllowedInWindow', policy),
    };
    if (props.enforcementLogGroups !== undefined && props.enforcementLogGroups.length > 0) {
      definitions.enforcementTimelineOfRole = define('enforcementTimelineOfRole', props.enforcementLogGroups);
    }
    this.definitions = definitions;
  }
}
