/**
 * `govrec decide`: one question to the decision point, in-process, with the policies and the
 * engine the policy Lambda runs. Roles are given the same deterministic role ids the offline
 * run's IAM gives them, so an ARN or an `AROA...` id from a run both work, and, as there, no role
 * carries the restricted tag (restriction comes from the organisation's category). Nothing is
 * recorded.
 */

import type { PolicyInfo } from '../../lambda/decision/cedar-engine';
import { createInProcessDecider } from '../../lambda/decision/in-process';
import { parseRoleArn } from '../../lambda/shared/arn';
import type { Decision } from '../../lambda/shared/decision';
import { fixedClock } from '../../lambda/shared/moratorium';
import { findOrganisation, type GovernanceSettings, type OperationName } from '../../lambda/shared/settings';
import { roleIdFor } from '../iam/registry';
import { OfflineConfigError } from './errors';

export interface DecideQuestion {
  /** A role ARN, an `AROA...` role id, or an S3-event principal id `AWS:AROA...:session`. */
  readonly principal: string;
  readonly orgId: string;
  readonly operation: OperationName;
  /** @default the organisation's first registered purpose, else `unspecified` */
  readonly purpose?: string;
  /** ISO instant. */
  readonly at: string;
}

export interface DecideAnswer {
  readonly decision: Decision;
  /** The policies that determined the decision, with their text. */
  readonly policies: readonly PolicyInfo[];
}

const ROLE_ID = /^AROA[A-Z0-9]{5,}$/;

/** The principal id an S3 event would carry for the given principal. */
export const principalIdFor = (principal: string): string => {
  if (principal.startsWith('AWS:')) return principal;
  if (parseRoleArn(principal) !== undefined) return `AWS:${roleIdFor(principal)}:govrec-decide`;
  if (ROLE_ID.test(principal)) return `AWS:${principal}:govrec-decide`;
  throw new OfflineConfigError(
    `--as must be a role ARN (arn:aws:iam::<account>:role/<name>), a role id (AROA...) or a principal id (AWS:AROA...:<session>); got "${principal}"`,
  );
};

/**
 * @example
 * const { decision, policies } = await decideOffline(settings, { principal: 'arn:aws:iam::111111111111:role/govrec-police-analysts', orgId: 'metro-police', operation: 'search', at: '2027-07-01T00:00:00Z' });
 */
export const decideOffline = async (settings: GovernanceSettings, question: DecideQuestion): Promise<DecideAnswer> => {
  if (Number.isNaN(Date.parse(question.at)))
    throw new OfflineConfigError(`--at must be an ISO 8601 instant, e.g. 2027-07-01T09:00:00Z; got "${question.at}"`);
  // As in the offline run's IAM, no role carries the restricted tag: a registered role is
  // restricted by its organisation's category, which the moratorium rules check themselves.
  const roles = settings.organisations.flatMap((org) =>
    org.roleArns.map((roleArn) => ({ roleArn, roleId: roleIdFor(roleArn), taggedRestricted: false })),
  );
  // `--at` is both the upload time and the decision time: the question is "what if asked then?".
  const pdp = createInProcessDecider(settings, roles, { clock: fixedClock(question.at) });
  const purpose = question.purpose ?? findOrganisation(settings, question.orgId)?.purposes[0] ?? 'unspecified';
  const decision = await pdp.decide({
    principalId: principalIdFor(question.principal),
    orgId: question.orgId,
    operation: question.operation,
    purpose,
    at: new Date(question.at).toISOString(),
  });
  const policies = decision.policyIds.flatMap((id) => {
    const policy = pdp.engine.policy(id);
    return policy === undefined ? [] : [policy];
  });
  return { decision, policies };
};
