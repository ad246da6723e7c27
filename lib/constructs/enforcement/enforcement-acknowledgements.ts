/**
 * The cdk-nag findings the enforcement workflows raise by construction, acknowledged next to the
 * roles that raise them, each with the reason a reviewer needs. Every IAM *write* on roles is
 * scoped to restricted roles by ARN or by the restricted resource tag; the wildcards left are
 * reads, denies, or services without resource-level permissions.
 */
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { acknowledgeFunctionBaseline } from '../shared/function-acknowledgements';
import type { HouseFunction } from '../shared/house-function';

const ACCOUNT_ROLES = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]';

const logicalIdOf = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

/** The findings of the three state machine roles and their hand-written policies. */
export interface EnforcementNagScope {
  readonly enforcer: HouseFunction;
  readonly roles: HouseFunction;
  readonly enforceRoleRole: IConstruct;
  readonly sweepRole: IConstruct;
  readonly restoreRole: IConstruct;
  readonly enforcePermissions: IConstruct;
  readonly restorePermissions: IConstruct;
  /** Logical id of the schedule group (cdk-nag renders its `Ref` as `<logicalId>`). */
  readonly scheduleGroupLogicalId: string;
}

/** Acknowledge the enforcement findings with their reasons. */
export const acknowledgeEnforcementFindings = (scope: EnforcementNagScope): void => {
  acknowledgeFunctionBaseline(scope.enforcer);
  acknowledgeFunctionBaseline(
    scope.roles,
    'iam:ListRoles has no resource-level permissions; it lists roles, it changes nothing.',
  );
  Validations.of(scope.roles).acknowledge({
    id: ACCOUNT_ROLES,
    reason:
      'iam:ListRoleTags is read-only and must see every role of the account: a role is restricted by its tag, which is only known after reading it.',
  });
  const machineStar =
    'CloudWatch Logs delivery (logs:*LogDelivery, DescribeLogGroups, PutResourcePolicy) and X-Ray tracing actions the CDK grants for state machine logging have no resource-level permissions.';
  const invokeVersions = (fn: HouseFunction) => ({
    id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(fn)}.Arn>:*]`,
    reason:
      'The CDK LambdaInvoke task grants the function and its versions/aliases (ARN:*); it is still this one function only.',
  });
  Validations.of(scope.enforceRoleRole).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: machineStar });
  Validations.of(scope.enforceRoleRole).acknowledge(invokeVersions(scope.enforcer));
  for (const role of [scope.sweepRole, scope.restoreRole]) {
    Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: machineStar });
    Validations.of(role).acknowledge(invokeVersions(scope.roles));
  }
  const taggedRoles =
    'Writes on role/* are allowed only with the condition aws:ResourceTag/<restricted tag> = <value> (restricted roles), and are explicitly denied on the enforcement roles themselves; iam:ListRoleTags is read-only.';
  const denyStar =
    'The only Resource * statements are an explicit Deny (TagRole/UntagRole of any tag key other than govrec:moratorium-*) and cloudwatch:PutMetricData, which has no resource-level permissions and is conditioned on the project namespace.';
  Validations.of(scope.enforcePermissions).acknowledge({ id: ACCOUNT_ROLES, reason: taggedRoles });
  Validations.of(scope.enforcePermissions).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: denyStar });
  Validations.of(scope.restorePermissions).acknowledge({ id: ACCOUNT_ROLES, reason: taggedRoles });
  Validations.of(scope.restorePermissions).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: denyStar });
  Validations.of(scope.restorePermissions).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<${scope.scheduleGroupLogicalId}>/govrec-restore-*]`,
    reason:
      'The restore creates a one-time schedule named after the new end, which is only known when it fires; limited to govrec-restore-* in the enforcement schedule group.',
  });
};
