/**
 * The Organizations guardrails, evaluated offline: the SCP and RCP the guardrails stack attaches
 * (the same documents, from `guardrail-policies.ts`) are run through an IAM evaluator
 * (@cloud-copilot/iam-simulate, AGPL-3.0: offline tooling only, never bundled) for a police
 * account's role calling Rekognition in several regions and writing to the intake bucket, at the
 * instants given. Standalone: `govrec run` does not call it yet.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { type GovernanceSettings, guardrailTargets } from '../../lambda/shared/settings';
import {
  type GuardrailInputs,
  moratoriumRcp,
  moratoriumScp,
  type PolicyDocument,
} from '../../lib/constructs/guardrails/guardrail-policies';

/** One evaluated request. */
export interface GuardrailDecision {
  readonly at: string;
  readonly principal: string;
  readonly action: string;
  readonly region: string;
  readonly result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
}

const FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const ROOT = 'r-offline';

/** The requests shown: Rekognition in three regions, and an upload to the intake bucket. */
const REQUESTS = (policeAccount: string, pipelineAccount: string) => [
  { action: 'rekognition:DetectFaces', region: 'us-east-1', resource: '*', resourceAccount: policeAccount },
  {
    action: 'rekognition:SearchFacesByImage',
    region: 'eu-west-1',
    resource: `arn:aws:rekognition:eu-west-1:${policeAccount}:collection/mugshots`,
    resourceAccount: policeAccount,
  },
  {
    action: 'rekognition:IndexFaces',
    region: 'ap-southeast-2',
    resource: `arn:aws:rekognition:ap-southeast-2:${policeAccount}:collection/mugshots`,
    resourceAccount: policeAccount,
  },
  {
    action: 's3:PutObject',
    region: 'us-east-1',
    resource: 'arn:aws:s3:::intake/incoming/police/detect/face.jpg',
    resourceAccount: pipelineAccount,
  },
];

const evaluate = async (
  scp: PolicyDocument,
  rcp: PolicyDocument,
  principal: string,
  request: ReturnType<typeof REQUESTS>[number],
  at: string,
): Promise<GuardrailDecision['result']> => {
  const principalAccount = principal.split(':')[4] ?? '';
  const result = await runSimulation(
    {
      request: {
        principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        // The evaluator fills no context key: pass every one the policies read.
        contextVariables: {
          'aws:CurrentTime': at,
          'aws:PrincipalArn': principal,
          'aws:PrincipalAccount': principalAccount,
          'aws:ResourceAccount': request.resourceAccount,
          'aws:RequestedRegion': request.region,
          'aws:SecureTransport': 'true',
        },
      },
      identityPolicies: [{ name: 'police-admin', policy: FULL_ACCESS }],
      serviceControlPolicies: [
        { orgIdentifier: ROOT, policies: [{ name: 'FullAWSAccess', policy: FULL_ACCESS }] },
        {
          orgIdentifier: principalAccount,
          policies: [
            { name: 'FullAWSAccess', policy: FULL_ACCESS },
            { name: 'govrec-moratorium-scp', policy: scp },
          ],
        },
      ],
      resourceControlPolicies:
        request.resourceAccount === principalAccount
          ? []
          : [
              { orgIdentifier: ROOT, policies: [] },
              { orgIdentifier: request.resourceAccount, policies: [{ name: 'govrec-moratorium-rcp', policy: rcp }] },
            ],
      // The intake bucket would let the role write: only the guardrails stand in the way here.
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: principal }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::intake/*' },
        ],
      },
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') throw new Error(`guardrail simulation failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
};

/**
 * Evaluate a police account's role against the guardrails at each instant.
 *
 * @example
 * await guardrailDecisions(settings, '111111111111', ['2027-06-01T00:00:00Z', '2027-12-01T00:00:00Z'])
 */
export const guardrailDecisions = async (
  settings: GovernanceSettings,
  pipelineAccount: string,
  instants: readonly string[],
  breakGlassPrincipalArn?: string,
): Promise<GuardrailDecision[]> => {
  const targets = guardrailTargets(settings);
  const policeAccount = targets.accounts[0];
  if (policeAccount === undefined) return [];
  const inputs: GuardrailInputs = {
    settings,
    ...targets,
    pipelineAccount,
    ...(breakGlassPrincipalArn === undefined ? {} : { breakGlassPrincipalArn }),
  };
  const scp = moratoriumScp(inputs);
  const rcp = moratoriumRcp(inputs);
  const principal = `arn:aws:iam::${policeAccount}:role/police-analysts`;
  const decisions: GuardrailDecision[] = [];
  for (const at of instants) {
    for (const request of REQUESTS(policeAccount, pipelineAccount)) {
      decisions.push({
        at,
        principal,
        action: request.action,
        region: request.region,
        result: await evaluate(scp, rcp, principal, request, at),
      });
    }
  }
  return decisions;
};
