/**
 * What the inline policies on a local role mean for one request at one instant, evaluated by an
 * IAM policy simulator. The offline run uses it to show the effect of the enforcement workflow
 * ("would this police session be allowed SearchFacesByImage now?"), not just the documents.
 *
 * @cloud-copilot/iam-simulate is AGPL-3.0: it is a development dependency used by the offline
 * tooling and tests only, never bundled into a Lambda.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { LocalIamRegistry } from './registry';

export type AccessResult = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface AccessQuestion {
  readonly roleArn: string;
  readonly action: string;
  readonly resource: string;
  /** The instant of the request (`aws:CurrentTime`). */
  readonly at: Date;
  /** When the session's credentials were issued (`aws:TokenIssueTime`). @default at */
  readonly tokenIssuedAt?: Date;
}

/**
 * The permissions an organisation's role holds in its own account before any enforcement: enough
 * to call Rekognition and upload to intake. The question is what the inline denies take away.
 */
export const ORGANISATION_BASELINE_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Recognition', Effect: 'Allow', Action: 'rekognition:*', Resource: '*' },
    { Sid: 'Intake', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: '*' },
  ],
} as const;

export const evaluateAccess = async (registry: LocalIamRegistry, question: AccessQuestion): Promise<AccessResult> => {
  const role = registry.roleByArn(question.roleArn);
  if (role === undefined) throw new Error(`No local role ${question.roleArn}`);
  const sessionArn = `arn:aws:sts::${registry.accountId}:assumed-role/${role.roleName}/govrec-offline`;
  const result = await runSimulation(
    {
      request: {
        principal: sessionArn,
        action: question.action,
        resource: { resource: question.resource, accountId: registry.accountId },
        contextVariables: {
          'aws:CurrentTime': question.at.toISOString(),
          'aws:TokenIssueTime': (question.tokenIssuedAt ?? question.at).toISOString(),
          'aws:PrincipalArn': role.arn,
        },
      },
      identityPolicies: [
        { name: 'baseline', policy: ORGANISATION_BASELINE_POLICY },
        ...Object.entries(role.inlinePolicies).map(([name, document]) => ({ name, policy: JSON.parse(document) })),
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') throw new Error(`IAM simulation failed: ${result.errors.message}`);
  return result.overallResult as AccessResult;
};
