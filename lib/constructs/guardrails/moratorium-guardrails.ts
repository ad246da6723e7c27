/**
 * The preventive half of the moratorium for AWS Organizations users: an SCP on the restricted
 * accounts and OUs and an RCP on the pipeline account (documents in `guardrail-policies.ts`).
 * They act before a call, in every region, with no detection latency, and lapse by themselves at
 * the moratorium end; the detective enforcement in the pipeline account stays as the second line.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { accountOfArn } from '../../../lambda/shared/arn';
import { GuardrailPolicyTooLargeError, GuardrailTargetError } from './errors';
import {
  type GuardrailInputs,
  moratoriumRcp,
  moratoriumScp,
  ORGANIZATIONS_POLICY_MAX_CHARS,
  type PolicyDocument,
  policySize,
} from './guardrail-policies';

/** Properties of {@link MoratoriumGuardrails}. */
export interface MoratoriumGuardrailsProps extends GuardrailInputs {}

/**
 * Creates the SCP (attached to the restricted accounts and OUs) and the RCP (attached to the
 * pipeline account). Must be in a stack of the Organizations management account or of a delegated
 * administrator for policy management, with SCPs and RCPs enabled in the organisation.
 *
 * @example
 * new MoratoriumGuardrails(stack, 'MoratoriumGuardrails', {
 *   settings, ...guardrailTargets(settings), pipelineAccount: '111111111111',
 * });
 */
export class MoratoriumGuardrails extends Construct {
  /** The service control policy on the restricted accounts and OUs. */
  public readonly scp: organizations.CfnPolicy;
  /** The resource control policy on the pipeline account; absent when that account is the deploying one. */
  public readonly rcp?: organizations.CfnPolicy;
  /** The SCP document as attached. */
  public readonly scpDocument: PolicyDocument;
  /** The RCP document as attached. */
  public readonly rcpDocument: PolicyDocument;

  constructor(scope: Construct, id: string, props: MoratoriumGuardrailsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const targets = [...props.accounts, ...props.organizationalUnits];
    if (targets.length === 0) {
      throw new GuardrailTargetError(
        'MoratoriumGuardrails needs at least one restricted account or OU: list accounts or organizationalUnits on a restricted organisation',
      );
    }
    if (Token.isUnresolved(props.pipelineAccount) || !/^\d{12}$/.test(props.pipelineAccount)) {
      throw new GuardrailTargetError(
        'The guardrails need the pipeline account id as a literal (set CDK_DEFAULT_ACCOUNT or use a profile when synthesizing)',
      );
    }
    if (props.accounts.includes(props.pipelineAccount)) {
      throw new GuardrailTargetError(
        `Account ${props.pipelineAccount} runs the pipeline and is also listed as restricted: the SCP would stop its recognition worker for every organisation. Move the restricted roles to an account of their own, or register them by roleArns`,
      );
    }
    const deploying = stack.account;
    if (!Token.isUnresolved(deploying) && props.accounts.includes(deploying)) {
      throw new GuardrailTargetError(
        `Account ${deploying} deploys the guardrails and is listed as restricted: SCPs never restrict the management account. Deploy the pipeline and the police roles in member accounts`,
      );
    }

    const breakGlassAccount =
      props.breakGlassPrincipalArn === undefined ? undefined : accountOfArn(props.breakGlassPrincipalArn);
    if (breakGlassAccount !== undefined && props.accounts.includes(breakGlassAccount)) {
      // Any principal of a restricted account that may change or assume the exempt role would be
      // exempt too, and its calls there never reach the pipeline account's break-glass alarm.
      throw new GuardrailTargetError(
        `The break-glass role ${props.breakGlassPrincipalArn} is in restricted account ${breakGlassAccount}: anyone there who can change or assume it would escape the guardrails unseen. Put the break-glass role in an account that is not restricted (e.g. a security account)`,
      );
    }

    this.scpDocument = moratoriumScp(props);
    this.rcpDocument = moratoriumRcp(props);
    for (const [policy, document] of [
      ['SCP', this.scpDocument],
      ['RCP', this.rcpDocument],
    ] as const) {
      const size = policySize(document);
      if (size > ORGANIZATIONS_POLICY_MAX_CHARS)
        throw new GuardrailPolicyTooLargeError(policy, size, ORGANIZATIONS_POLICY_MAX_CHARS);
    }

    const { start, end, afterWindow } = props.settings.moratorium;
    const window = afterWindow === 'deny' ? `from ${start} (no end)` : `${start} to ${end}`;
    this.scp = new organizations.CfnPolicy(this, 'ServiceControlPolicy', {
      name: `${stack.stackName}-moratorium-scp`,
      type: 'SERVICE_CONTROL_POLICY',
      description: `governed-recognition moratorium ${window}: no Rekognition, no pipeline-account S3 or roles`,
      content: this.scpDocument,
      targetIds: targets,
    });
    if (!Token.isUnresolved(deploying) && deploying === props.pipelineAccount) {
      // RCPs never apply to resources of the management account.
      Validations.of(this).addWarning(
        'govrec:rcp-management-account',
        `The pipeline account ${deploying} is the account deploying the guardrails: RCPs do not apply to the management account's resources, so no RCP is created and the intake bucket relies on its bucket policy. Run the pipeline in a member account to get the RCP.`,
      );
      return;
    }
    this.rcp = new organizations.CfnPolicy(this, 'ResourceControlPolicy', {
      name: `${stack.stackName}-moratorium-rcp`,
      type: 'RESOURCE_CONTROL_POLICY',
      description: `governed-recognition moratorium ${window}: restricted principals may not use the pipeline account's S3 or roles`,
      content: this.rcpDocument,
      targetIds: [props.pipelineAccount],
    });
  }
}
