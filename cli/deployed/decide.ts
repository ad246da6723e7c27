/** `govrec decide --stack`: the question as the recognition worker asks it, to the deployed policy function. */
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { Decision, PolicyRequest } from '../../lambda/shared/decision';
import type { DeployedStack } from './stack';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/;

/** `AWS:<role id>:govrec-decide` for a role ARN (its id from IAM), `AWS:<id>:govrec-decide` for a role id. */
export const deployedPrincipalId = async (stack: DeployedStack, principal: string): Promise<string> => {
  if (principal.startsWith('AWS:')) return principal;
  const name = ROLE_ARN.exec(principal)?.[1];
  if (name === undefined) return `AWS:${principal}:govrec-decide`;
  const role = await stack.clients.iam.send(new GetRoleCommand({ RoleName: name }));
  return `AWS:${role.Role?.RoleId ?? name}:govrec-decide`;
};

/**
 * The deployed function records the decision in the audit ledger, as it does for every question.
 *
 * @example
 * const decision = await decideDeployed(stack, { principalId, orgId, operation: 'search', purpose, at });
 */
export const decideDeployed = async (stack: DeployedStack, request: PolicyRequest): Promise<Decision> => {
  const response = await stack.clients.lambda.send(
    new InvokeCommand({
      FunctionName: stack.output('PolicyFunctionName'),
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(request)),
    }),
  );
  const text = response.Payload === undefined ? '' : new TextDecoder().decode(response.Payload);
  if (response.FunctionError !== undefined)
    throw new Error(`The policy function failed (${response.FunctionError}): ${text.slice(0, 500)}`);
  return JSON.parse(text) as Decision;
};
