/**
 * The policy Lambda: resolves the caller to a registered role, evaluates the Cedar policies
 * (compiled-in settings, moratorium included) and appends the decision to the audit ledger.
 * Its role can read exactly the registered roles and append to the ledger; nothing else, and
 * in particular no Rekognition.
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { accountOfArn } from '../../../lambda/shared/arn';
import { DEFAULTS, ENV } from '../../../lambda/shared/contracts';
import type { GovernanceSettings } from '../../../lambda/shared/settings';
import { acknowledgeFunctionBaseline } from '../shared/function-acknowledgements';
import { HouseFunction } from '../shared/house-function';
import type { AuditLedgerTable } from './audit-ledger-table';

export interface PolicyDecisionPointProps {
  /** The validated governance settings, compiled into the bundle. */
  readonly governance: GovernanceSettings;
  /** The ledger every decision is appended to. */
  readonly auditLedger: AuditLedgerTable;
  /** The role tag that marks a role restricted even when it is not registered. */
  readonly restrictedTag: { readonly key: string; readonly value: string };
  /**
   * How long a resolved role unique id is cached in the function.
   * @default DEFAULTS.identityCacheTtlSeconds (300)
   */
  readonly identityCacheTtlSeconds?: number;
}

/**
 * The registered role ARNs that the function can resolve: those in the stack's account. A role
 * of another account cannot be read with this role's credentials, so its callers resolve to
 * unknown and are denied (fail closed) rather than granted a cross-account read.
 */
export const resolvableRoleArns = (governance: GovernanceSettings, account: string): string[] => {
  const arns = [...new Set(governance.organisations.flatMap((org) => org.roleArns))].sort();
  if (Token.isUnresolved(account)) return arns;
  return arns.filter((arn) => accountOfArn(arn) === account);
};

/**
 * @example
 * const pdp = new PolicyDecisionPoint(this, 'PolicyDecisionPoint', { governance, auditLedger, restrictedTag: { key: 'govrec:category', value: 'police' } });
 * pdp.function.grantInvoke(worker);
 */
export class PolicyDecisionPoint extends Construct {
  /** The policy function. */
  public readonly function: HouseFunction;

  constructor(scope: Construct, id: string, props: PolicyDecisionPointProps) {
    super(scope, id);
    this.function = new HouseFunction(this, 'Function', {
      handlerDir: 'decision',
      serviceName: 'policy',
      description: 'governed-recognition policy decision point (Cedar, moratorium, audit ledger)',
      settings: props.governance,
      withCedar: true,
      environment: {
        [ENV.auditTable]: props.auditLedger.table.tableName,
        [ENV.restrictedTagKey]: props.restrictedTag.key,
        [ENV.restrictedTagValue]: props.restrictedTag.value,
        [ENV.identityCacheTtlSeconds]: String(props.identityCacheTtlSeconds ?? DEFAULTS.identityCacheTtlSeconds),
      },
    });
    const roleArns = resolvableRoleArns(props.governance, Stack.of(this).account);
    if (roleArns.length > 0) {
      this.function.addToRolePolicy(
        new iam.PolicyStatement({ sid: 'ResolveRegisteredRoles', actions: ['iam:GetRole'], resources: roleArns }),
      );
    }
    // Above DEFAULTS.listRolesAbove registered roles the identity load pages through ListRoles
    // (about 10 calls for 10,000 roles instead of one GetRole each); small registries never list.
    const listsRoles = roleArns.length > DEFAULTS.listRolesAbove;
    if (listsRoles) {
      this.function.addToRolePolicy(
        new iam.PolicyStatement({ sid: 'ListRolesForLargeRegistries', actions: ['iam:ListRoles'], resources: ['*'] }),
      );
    }
    props.auditLedger.grantAppend(this.function);
    acknowledgeFunctionBaseline(
      this.function,
      listsRoles
        ? 'iam:ListRoles has no resource-level permissions; it returns role names, ids and ARNs only (no policies, no tags).'
        : undefined,
    );
  }
}
