/**
 * The enforcement roles' IAM, written out statement by statement so it can be asserted exactly:
 * changes only on restricted roles (their registered ARNs, or any role of this account that
 * carries the restricted tag), only the moratorium tags, and never on the enforcement roles.
 */
import * as iam from 'aws-cdk-lib/aws-iam';

/** The IAM actions enforcement may take on a restricted role, at most. */
export type RestrictedRoleAction =
  | 'iam:PutRolePolicy'
  | 'iam:DeleteRolePolicy'
  | 'iam:GetRolePolicy'
  | 'iam:TagRole'
  | 'iam:UntagRole';

/** Where restricted roles are and how they are recognised. */
export interface RestrictedRoleScope {
  /** Registered role ARNs of restricted organisations in this account. */
  readonly registeredArns: readonly string[];
  /** `arn:<partition>:iam::<account>:role/*`. */
  readonly accountRolesArn: string;
  readonly restrictedTag: { readonly key: string; readonly value: string };
}

/** Tag keys enforcement writes; anything else (such as the restricted tag itself) it may not touch. */
export const MORATORIUM_TAG_PATTERN = 'govrec:moratorium-*';

/**
 * Allow `actions` on restricted roles only.
 *
 * @example
 * role.addToPrincipalPolicy(...restrictedRoleStatements(['iam:PutRolePolicy'], scope));
 */
export const restrictedRoleStatements = (
  actions: readonly RestrictedRoleAction[],
  scope: RestrictedRoleScope,
): iam.PolicyStatement[] => {
  const statements: iam.PolicyStatement[] = [];
  if (scope.registeredArns.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'RegisteredRestrictedRoles',
        actions: [...actions],
        resources: [...scope.registeredArns],
      }),
    );
  }
  statements.push(
    new iam.PolicyStatement({
      sid: 'TaggedRestrictedRoles',
      actions: [...actions],
      resources: [scope.accountRolesArn],
      // Tag keys match whatever their case (IAM); the value ignoring case too, as the enforcer
      // Lambda compares it, so a role tagged `POLICE` is as restricted as one tagged `police`.
      conditions: {
        StringEqualsIgnoreCase: { [`aws:ResourceTag/${scope.restrictedTag.key}`]: scope.restrictedTag.value },
      },
    }),
  );
  if (actions.includes('iam:TagRole') || actions.includes('iam:UntagRole')) {
    // Otherwise the enforcer could strip the restricted tag and release a role.
    statements.push(
      new iam.PolicyStatement({
        sid: 'OnlyMoratoriumTags',
        effect: iam.Effect.DENY,
        actions: ['iam:TagRole', 'iam:UntagRole'],
        resources: ['*'],
        conditions: { 'ForAnyValue:StringNotLike': { 'aws:TagKeys': [MORATORIUM_TAG_PATTERN] } },
      }),
    );
  }
  return statements;
};

/** Every IAM write on a role (PassRole and reads stay possible: the restore passes the scheduler role). */
export const ROLE_WRITE_ACTIONS = [
  'iam:Put*',
  'iam:Delete*',
  'iam:Tag*',
  'iam:Untag*',
  'iam:Attach*',
  'iam:Detach*',
  'iam:Update*',
];

/**
 * Explicit deny of IAM writes on the app's own roles (the enforcement roles and every other role
 * of the stack): a restricted tag on one of them must not make it a target.
 */
export const denyOwnRolesStatement = (ownRoleArns: readonly string[]): iam.PolicyStatement =>
  new iam.PolicyStatement({
    sid: 'NeverOwnRoles',
    effect: iam.Effect.DENY,
    actions: [...ROLE_WRITE_ACTIONS],
    resources: [...ownRoleArns],
  });

/** Read-only tag listing on the account's roles (the EnforceRole check and the role-listing Lambda). */
export const listRoleTagsStatement = (accountRolesArn: string): iam.PolicyStatement =>
  new iam.PolicyStatement({ sid: 'ReadRoleTags', actions: ['iam:ListRoleTags'], resources: [accountRolesArn] });

/** Read-only listing of roles and their tags (the role-listing Lambda). */
export const listRolesStatements = (accountRolesArn: string): iam.PolicyStatement[] => [
  new iam.PolicyStatement({ sid: 'ListRoles', actions: ['iam:ListRoles'], resources: ['*'] }),
  listRoleTagsStatement(accountRolesArn),
];

/** The enforcement metrics (tamper, disabled, restored, re-applied), only into the project's namespace. */
export const putEnforcementMetricsStatement = (namespace: string): iam.PolicyStatement =>
  new iam.PolicyStatement({
    sid: 'PutEnforcementMetrics',
    actions: ['cloudwatch:PutMetricData'],
    resources: ['*'],
    conditions: { StringEquals: { 'cloudwatch:namespace': namespace } },
  });
