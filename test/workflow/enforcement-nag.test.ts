/** cdk-nag AwsSolutions checks on the enforcement workflows: every finding acknowledged with a reason. */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthEnforcement } from '../helpers/asl';

const { stack, workflows } = synthEnforcement();

describe('EnforcementWorkflows under AwsSolutions checks', () => {
  it('leaves no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks(stack.node.root as never).validateScope(stack);

    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgement a reason of at least a sentence', () => {
    const reasons = workflows.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
      )
      .flatMap((entry) => Object.values(entry.data as Record<string, string>));

    expect(reasons.length).toBeGreaterThanOrEqual(12);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(60);
  });
});
