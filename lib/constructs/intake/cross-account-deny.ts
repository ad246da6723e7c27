/**
 * Bucket-policy statements that keep restricted organisations' roles in OTHER accounts out of the
 * intake bucket for the moratorium window. The enforcement workflow can only put a deny on roles
 * in this account; a police role that lives elsewhere is stopped at the resource instead, with the
 * same self-expiring date condition, so the ban lapses at `end` even if nothing else runs (under
 * `afterWindow: "deny"` it does not lapse).
 */
import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { parseRoleArn } from '../../../lambda/shared/arn';
import { type GovernanceSettings, isRestrictedCategory } from '../../../lambda/shared/settings';

/** Inputs for {@link crossAccountIntakeDenyStatements}. */
export interface CrossAccountDenyOptions {
  /** Validated governance settings (registry + moratorium window). */
  readonly settings: GovernanceSettings;
  /** ARN of the intake bucket (a token is fine). */
  readonly bucketArn: string;
  /**
   * The account the stack deploys to. Roles in this account are left to the enforcement
   * workflow. When it is an unresolved token (an environment-agnostic stack) every restricted
   * role is denied here too: denying more is the fail-closed choice.
   */
  readonly stackAccount: string;
  /**
   * Objects the deny covers, relative to the bucket.
   * @default '*' (every key: a police upload anywhere in the bucket is refused)
   */
  readonly objectPattern?: string;
  /**
   * Also deny any principal, in any account, whose principal tag marks it restricted
   * (e.g. `govrec:category=police`), registered or not.
   * @default - no tag-based statement
   */
  readonly restrictedTag?: { readonly key: string; readonly value: string };
}

/** The account id inside a role ARN (the settings schema guarantees the shape). */
export const accountOfRoleArn = (roleArn: string): string | undefined => parseRoleArn(roleArn)?.accountId;

/**
 * Registered role ARNs of restricted organisations that live outside `stackAccount`, by
 * organisation id, in registry order. Organisations with no such role are left out.
 */
export const foreignRestrictedRoles = (
  settings: GovernanceSettings,
  stackAccount: string,
): ReadonlyMap<string, readonly string[]> => {
  const accountKnown = !Token.isUnresolved(stackAccount);
  const result = new Map<string, readonly string[]>();
  for (const org of settings.organisations) {
    if (!isRestrictedCategory(settings, org.category)) continue;
    const arns = org.roleArns.filter((arn) => !accountKnown || accountOfRoleArn(arn) !== stackAccount);
    if (arns.length > 0) result.set(org.id, arns);
  }
  return result;
};

const pascal = (slug: string): string =>
  slug
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');

/**
 * Deny statements for the intake bucket policy: restricted roles in other accounts may not
 * `s3:PutObject` while `start <= aws:CurrentTime < end`. IAM date operators take literal dates
 * only, so the window is written into the policy at synth; a changed window needs a redeploy.
 *
 * The principal is matched with `aws:PrincipalArn` rather than listed as `Principal`: S3 rejects a
 * bucket policy naming a role that does not exist (yet), and a listed role that is deleted and
 * re-created would silently fall out of the policy.
 *
 * @example
 * for (const statement of crossAccountIntakeDenyStatements({ settings, bucketArn: bucket.bucketArn, stackAccount: Stack.of(this).account })) {
 *   bucket.addToResourcePolicy(statement);
 * }
 */
export const crossAccountIntakeDenyStatements = (options: CrossAccountDenyOptions): iam.PolicyStatement[] => {
  const { settings, bucketArn, stackAccount, objectPattern = '*', restrictedTag } = options;
  const { start, end, afterWindow } = settings.moratorium;
  // An indefinite moratorium (`afterWindow: "deny"`) keeps the deny after `end`, as the inline
  // deny the enforcement workflow writes on roles in this account does.
  const window =
    afterWindow === 'deny'
      ? { DateGreaterThanEquals: { 'aws:CurrentTime': start } }
      : { DateGreaterThanEquals: { 'aws:CurrentTime': start }, DateLessThan: { 'aws:CurrentTime': end } };
  const deny = (sid: string, principalCondition: Record<string, Record<string, string | string[]>>) =>
    new iam.PolicyStatement({
      sid,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [`${bucketArn}/${objectPattern}`],
      conditions: { ...principalCondition, ...window },
    });

  const statements = [...foreignRestrictedRoles(settings, stackAccount)].map(([orgId, arns]) =>
    deny(`GovrecMoratoriumDeny${pascal(orgId)}`, { ArnEquals: { 'aws:PrincipalArn': [...arns] } }),
  );
  if (restrictedTag !== undefined) {
    statements.push(
      deny('GovrecMoratoriumDenyRestrictedTag', {
        StringEquals: { [`aws:PrincipalTag/${restrictedTag.key}`]: restrictedTag.value },
      }),
    );
  }
  return statements;
};
