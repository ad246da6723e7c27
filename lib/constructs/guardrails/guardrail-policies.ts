/**
 * The AWS Organizations policy documents of the moratorium guardrails, as plain JSON (no CDK
 * tokens), so their size can be checked at synth and the same documents can be evaluated by an
 * IAM simulator in tests and in the offline run.
 *
 * - The service control policy (SCP) is attached to the restricted organisations' accounts and
 *   OUs. It denies their principals every Rekognition action, in every region, and every S3 and
 *   STS role-assumption action on resources of the pipeline account, while the moratorium is in
 *   force: `aws:CurrentTime` conditions make it lapse at `end` by itself (no end under
 *   `afterWindow: "deny"`).
 * - The resource control policy (RCP) is attached to the pipeline account (the intake bucket's
 *   account). It denies the restricted accounts' and OUs' principals the account's S3 resources
 *   and `sts:AssumeRole*` on its roles for the same window, whoever granted them access. RCPs
 *   cover only some services (S3, STS, KMS, SQS, Secrets Manager and a few more): Rekognition is
 *   not among them, which is why the SCP carries the Rekognition deny.
 *
 * IAM date operators take literal dates, so the window is written into the documents: extending or
 * lifting the moratorium is a config change and a redeploy of the guardrails stack.
 */
import type { GovernanceSettings } from '../../../lambda/shared/settings';

/** Organizations' maximum size of an SCP or RCP document, in characters (white space included). */
export const ORGANIZATIONS_POLICY_MAX_CHARS = 5120;

/** What the guardrails need to know. */
export interface GuardrailInputs {
  /** Validated governance settings: the window and `afterWindow`. */
  readonly settings: GovernanceSettings;
  /** Restricted account ids (SCP targets; RCP principals by `aws:PrincipalAccount`). */
  readonly accounts: readonly string[];
  /** Restricted OU ids (SCP targets; RCP principals by `aws:PrincipalOrgPaths`). */
  readonly organizationalUnits: readonly string[];
  /** The account of the intake bucket and the pipeline: never restricted, the RCP's target. */
  readonly pipelineAccount: string;
  /**
   * A single role exempt from both policies (break glass); every use in the pipeline account alarms.
   * @default - no exemption
   */
  readonly breakGlassPrincipalArn?: string;
}

/** An IAM policy document as Organizations stores it. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

/** STS actions that assume a role or shape the session that does (RCP-supported for STS). */
export const ASSUME_ROLE_ACTIONS = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'] as const;

/**
 * The `aws:CurrentTime` conditions of the window: from `start`, until `end` unless the moratorium
 * has no end (`afterWindow: "deny"`).
 */
export const windowConditions = (settings: GovernanceSettings): Record<string, Record<string, string>> => ({
  DateGreaterThanEquals: { 'aws:CurrentTime': settings.moratorium.start },
  ...(settings.moratorium.afterWindow === 'deny'
    ? {}
    : { DateLessThan: { 'aws:CurrentTime': settings.moratorium.end } }),
});

const breakGlassCondition = (arn: string | undefined): Record<string, Record<string, string>> =>
  arn === undefined ? {} : { ArnNotEquals: { 'aws:PrincipalArn': arn } };

/** `aws:PrincipalOrgPaths` pattern of every account under `ou` (OU ids are unique in a partition). */
export const orgPathPattern = (ou: string): string => `o-*/*/${ou}/*`;

/**
 * The SCP: restricted principals get no Rekognition anywhere, and nothing of the pipeline
 * account's S3 or roles, during the window. The pipeline account's own principals are exempt (it
 * may sit in a listed OU: its recognition role must keep working for the other organisations).
 *
 * @example
 * const scp = moratoriumScp({ settings, accounts: ['222222222222'], organizationalUnits: [], pipelineAccount: '111111111111' });
 */
export const moratoriumScp = (inputs: GuardrailInputs): PolicyDocument => {
  const when = {
    ...windowConditions(inputs.settings),
    ...breakGlassCondition(inputs.breakGlassPrincipalArn),
    StringNotEquals: { 'aws:PrincipalAccount': inputs.pipelineAccount },
  };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'MoratoriumNoRekognition', Effect: 'Deny', Action: 'rekognition:*', Resource: '*', Condition: when },
      {
        Sid: 'MoratoriumNoPipelineAccount',
        Effect: 'Deny',
        Action: ['s3:*', ...ASSUME_ROLE_ACTIONS],
        Resource: '*',
        Condition: {
          ...when,
          StringEquals: { 'aws:ResourceAccount': inputs.pipelineAccount },
        },
      },
    ],
  };
};

/**
 * The RCP for the pipeline account: its S3 resources (the intake bucket among them) and its roles
 * refuse the restricted accounts' and OUs' principals during the window, whatever a bucket or
 * trust policy says. One statement per way of naming them, since conditions in a statement AND.
 *
 * @example
 * const rcp = moratoriumRcp({ settings, accounts: [], organizationalUnits: ['ou-ab12-34cd56ef'], pipelineAccount: '111111111111' });
 */
export const moratoriumRcp = (inputs: GuardrailInputs): PolicyDocument => {
  const base = {
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:*', ...ASSUME_ROLE_ACTIONS],
    Resource: '*',
  };
  const when = { ...windowConditions(inputs.settings), ...breakGlassCondition(inputs.breakGlassPrincipalArn) };
  const statements: Record<string, unknown>[] = [];
  if (inputs.accounts.length > 0) {
    statements.push({
      Sid: 'MoratoriumRestrictedAccounts',
      ...base,
      Condition: { ...when, StringEquals: { 'aws:PrincipalAccount': [...inputs.accounts] } },
    });
  }
  if (inputs.organizationalUnits.length > 0) {
    statements.push({
      Sid: 'MoratoriumRestrictedOUs',
      ...base,
      Condition: {
        ...when,
        'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': inputs.organizationalUnits.map(orgPathPattern) },
        // The pipeline account may sit in a listed OU; its own roles are not restricted.
        StringNotEquals: { 'aws:PrincipalAccount': inputs.pipelineAccount },
      },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
};

/** Characters Organizations counts for a document stored without insignificant white space. */
export const policySize = (document: PolicyDocument): number => JSON.stringify(document).length;
