/**
 * The stack for the AWS Organizations management account (or a delegated administrator for
 * Organizations policies): the moratorium's preventive guardrails. `bin/app.ts` creates it only
 * when a restricted organisation lists `accounts` or `organizationalUnits`.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type GovernanceSettings, guardrailTargets } from '../lambda/shared/settings';
import { MoratoriumGuardrails } from './constructs/guardrails/moratorium-guardrails';

/** Region the guardrails stack deploys to: the home region of the AWS Organizations API. */
export const GUARDRAILS_REGION = 'us-east-1';

export interface GovernedRecognitionGuardrailsStackProps extends StackProps {
  /** Validated governance settings (window and registry). */
  readonly settings: GovernanceSettings;
  /** The account the pipeline (and its intake bucket) runs in. */
  readonly pipelineAccount: string;
  /**
   * The one role exempt from the guardrails.
   * @default - no exemption
   */
  readonly breakGlassPrincipalArn?: string;
}

/**
 * @example
 * new GovernedRecognitionGuardrailsStack(app, 'GovernedRecognitionGuardrails', {
 *   settings: config.governance, pipelineAccount: '111111111111',
 *   env: { account: '999999999999', region: GUARDRAILS_REGION },
 * });
 */
export class GovernedRecognitionGuardrailsStack extends Stack {
  /** The SCP and RCP. */
  public readonly guardrails: MoratoriumGuardrails;

  constructor(scope: Construct, id: string, props: GovernedRecognitionGuardrailsStackProps) {
    super(scope, id, props);
    this.guardrails = new MoratoriumGuardrails(this, 'MoratoriumGuardrails', {
      settings: props.settings,
      ...guardrailTargets(props.settings),
      pipelineAccount: props.pipelineAccount,
      breakGlassPrincipalArn: props.breakGlassPrincipalArn,
    });
    new CfnOutput(this, 'ServiceControlPolicyId', {
      value: this.guardrails.scp.attrId,
      description: 'The moratorium SCP (attached to the restricted accounts and OUs)',
    });
    if (this.guardrails.rcp !== undefined) {
      new CfnOutput(this, 'ResourceControlPolicyId', {
        value: this.guardrails.rcp.attrId,
        description: 'The moratorium RCP (attached to the pipeline account)',
      });
    }
  }
}
