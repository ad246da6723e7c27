import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { synthStack } from '../helpers/cdk-app';

const { app, stack } = synthStack();

/** Every acknowledgement recorded in a construct tree: [construct path, rule id, reason]. */
const acknowledgements = (root: IConstruct): [string, string, string][] =>
  root.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([id, reason]): [string, string, string] => [
            construct.node.path,
            id,
            reason,
          ]),
        ),
    );

describe('AwsSolutions checks on GovernedRecognitionStack', () => {
  it('finds no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges only these findings, each with a reason', () => {
    const found = acknowledgements(stack).map(([path, id, reason]) => {
      expect(reason.length).toBeGreaterThan(40);
      return `${path.replace(/^GovernedRecognition\/GovernedRecognition\//, '')} ${id.replace(/^Annotation::/i, '')}`;
    });
    expect(found.sort()).toEqual(
      [
        'AccessLogs/Bucket AwsSolutions-S1',
        'GovernedRecognition/BucketNotificationsHandler050a0587b7544547bf325f094a3db834 AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'PolicyDecisionPoint/Function AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'PolicyDecisionPoint/Function AwsSolutions-IAM5[Resource::*]',
        'RecognitionWorker/Function AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'RecognitionWorker/Function AwsSolutions-IAM5[Resource::*]',
        'RecognitionWorker/Function AwsSolutions-IAM5[Resource::<GovernedRecognitionIntakeBucket1E508D6E.Arn>/incoming/*]',
        'RecognitionWorker/Function AwsSolutions-IAM5[Resource::<GovernedRecognitionQuarantineBucket3A411999.Arn>/*]',
        'RecognitionWorker/Function AwsSolutions-IAM5[Resource::<GovernedRecognitionResultsBucketF267FE48.Arn>/*]',
        'MoratoriumEnforcer/Triggers/DeadLetterQueue AwsSolutions-SQS3',
        'Evidence/DigesterFailures AwsSolutions-SQS3',
        'Evidence/DigesterFunction AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'Evidence/DigesterFunction AwsSolutions-IAM5[Resource::*]',
        'Evidence/DigesterFunction AwsSolutions-IAM5[Resource::<GovernedRecognitionEvidenceDigestsBucket55A8FA1F.Arn>/digests/*]',
        'Evidence/RecorderFailures AwsSolutions-SQS3',
        'Evidence/RecorderFunction AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'Evidence/RecorderFunction AwsSolutions-IAM5[Resource::*]',
        'MoratoriumEnforcer/TrailGuard/RepairRole AwsSolutions-IAM5[Resource::*]',
        'MoratoriumEnforcer/Workflows/EnforceRolePermissions AwsSolutions-IAM5[Resource::*]',
        'MoratoriumEnforcer/Workflows/EnforceRolePermissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]',
        'MoratoriumEnforcer/Workflows/EnforceRoleWorkflowRole AwsSolutions-IAM5[Resource::*]',
        'MoratoriumEnforcer/Workflows/EnforceRoleWorkflowRole AwsSolutions-IAM5[Resource::<GovernedRecognitionMoratoriumEnforcerWorkflowsEnforcerFunctionEEC1BCE2.Arn>:*]',
        'MoratoriumEnforcer/Workflows/EnforcerFunction AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'MoratoriumEnforcer/Workflows/EnforcerFunction AwsSolutions-IAM5[Resource::*]',
        'MoratoriumEnforcer/Workflows/RestorePermissions AwsSolutions-IAM5[Resource::*]',
        'MoratoriumEnforcer/Workflows/RestorePermissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]',
        'MoratoriumEnforcer/Workflows/RestorePermissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<GovernedRecognitionMoratoriumEnforcerWorkflowsSchedules8877CA80>/govrec-restore-*]',
        'MoratoriumEnforcer/Workflows/RestoreWorkflowRole AwsSolutions-IAM5[Resource::*]',
        'MoratoriumEnforcer/Workflows/RestoreWorkflowRole AwsSolutions-IAM5[Resource::<GovernedRecognitionMoratoriumEnforcerWorkflowsRolesFunctionF4ADB5B7.Arn>:*]',
        'MoratoriumEnforcer/Workflows/RolesFunction AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'MoratoriumEnforcer/Workflows/RolesFunction AwsSolutions-IAM5[Resource::*]',
        'MoratoriumEnforcer/Workflows/RolesFunction AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]',
        'MoratoriumEnforcer/Workflows/SweepWorkflowRole AwsSolutions-IAM5[Resource::*]',
        'MoratoriumEnforcer/Workflows/SweepWorkflowRole AwsSolutions-IAM5[Resource::<GovernedRecognitionMoratoriumEnforcerWorkflowsRolesFunctionF4ADB5B7.Arn>:*]',
      ].sort(),
    );
  });

  it('reports a finding that nobody acknowledged', () => {
    const probe = new Stack(app, 'NagProbe');
    new s3.Bucket(probe, 'Unlogged', { enforceSSL: true });
    const report = new AwsSolutionsChecks(app).validateScope(probe);
    expect(report.success).toBe(false);
    expect(report.violations.map((violation) => violation.ruleName)).toContain('AwsSolutions-S1');
  });
});
