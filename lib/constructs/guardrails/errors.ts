/**
 * Synth-time errors of the Organizations guardrails. Each says how to fix the configuration.
 */
import { InfrastructureError } from '../../errors';

/** A guardrail policy document is larger than Organizations accepts. */
export class GuardrailPolicyTooLargeError extends InfrastructureError {
  constructor(
    readonly policy: 'SCP' | 'RCP',
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      `The moratorium ${policy} would be ${size} characters, over the ${limit}-character limit of AWS Organizations: list OUs instead of their accounts, or fewer accounts per restricted organisation`,
    );
    this.name = 'GuardrailPolicyTooLargeError';
  }
}

/** The guardrail targets include an account the guardrails must not or cannot restrict. */
export class GuardrailTargetError extends InfrastructureError {
  constructor(message: string) {
    super(message);
    this.name = 'GuardrailTargetError';
  }
}
