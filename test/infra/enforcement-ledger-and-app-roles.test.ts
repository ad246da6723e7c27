/**
 * The enforcement ledger's protection, and the enforcer's exclusion of every role of the app,
 * proved on the synthesized stack with an IAM evaluator (@cloud-copilot/iam-simulate). Every app
 * role is tagged restricted in the request context: the enforcer may still write to none of them.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { resolveTemplateValue } from '../../local/stepfunctions/extract';
import { EXAMPLE_ACCOUNT, logicalIdOf, synthStack } from '../helpers/cdk-app';

const { stack, template } = synthStack();
const enforcer = stack.pipeline.enforcer;
type Resource = { Type: string; Properties: Record<string, any> };
const resources = template.toJSON().Resources as Record<string, Resource>;
const env = { account: EXAMPLE_ACCOUNT, region: 'eu-west-1', partition: 'aws' };
const resolve = (value: unknown) => resolveTemplateValue(value, resources as never, env as never);
const roleArnOf = (logicalId: string) => resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }) as string;

const AT = { 'aws:CurrentTime': '2027-09-01T10:00:00Z', 'aws:TokenIssueTime': '2027-09-01T09:00:00Z' };

/** The identity policies (inline and AWS::IAM::Policy) attached to a role, resolved. */
const policiesOf = (roleLogicalId: string) =>
  Object.entries(resources)
    .filter(
      ([, resource]) =>
        resource.Type === 'AWS::IAM::Policy' &&
        (resource.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleLogicalId),
    )
    .map(([name, resource]) => ({ name, policy: resolve(resource.Properties.PolicyDocument) }));

const simulate = async (
  principal: string,
  policies: { name: string; policy: unknown }[],
  action: string,
  resource: string,
  context: Record<string, string | string[]>,
  resourcePolicy?: unknown,
) => {
  const result = await runSimulation(
    {
      request: { principal, action, resource: { resource, accountId: EXAMPLE_ACCOUNT }, contextVariables: context },
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy === undefined ? {} : { resourcePolicy }),
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
};

describe('the enforcement ledger', () => {
  const ledger = resources[logicalIdOf(enforcer.ledger)]!;

  it('has deletion protection, point-in-time recovery and its own customer-managed key, and is retained', () => {
    expect(ledger.Properties).toMatchObject({
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    expect((ledger as unknown as { DeletionPolicy: string }).DeletionPolicy).toBe('Retain');
  });

  it.each([
    ['dynamodb:UpdateItem', 'ExplicitlyDenied'],
    ['dynamodb:DeleteItem', 'ExplicitlyDenied'],
    ['dynamodb:BatchWriteItem', 'ExplicitlyDenied'],
    ['dynamodb:PartiQLUpdate', 'ExplicitlyDenied'],
    ['dynamodb:PartiQLDelete', 'ExplicitlyDenied'],
    ['dynamodb:PutItem', 'Allowed'],
    ['dynamodb:Query', 'Allowed'],
  ])('gives even a dynamodb:* administrator %s: %s', async (action, expected) => {
    const admin = [
      {
        name: 'admin',
        policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] },
      },
    ];
    const table = `arn:aws:dynamodb:eu-west-1:${EXAMPLE_ACCOUNT}:table/EnforcementLedger`;
    await expect(
      simulate(
        `arn:aws:iam::${EXAMPLE_ACCOUNT}:role/administrator`,
        admin,
        action,
        table,
        {},
        ledger.Properties.ResourcePolicy.PolicyDocument,
      ),
    ).resolves.toBe(expected);
  });

  it('lets the EnforceRole and Restore workflows (writers) and the evidence recorder (its stream) use its key, and no other role', () => {
    const keyArn = resolve({ 'Fn::GetAtt': [logicalIdOf(enforcer.workflows.ledgerTable.key), 'Arn'] });
    const withKey = Object.keys(resources).filter(
      (id) =>
        resources[id]!.Type === 'AWS::IAM::Role' &&
        policiesOf(id).some((policy) => JSON.stringify(policy.policy).includes(JSON.stringify(keyArn))),
    );
    expect(withKey.sort()).toEqual(
      [enforcer.workflows.machineRoles[0]!, enforcer.workflows.machineRoles[2]!, stack.pipeline.evidence.recorder.role!]
        .map((role) => logicalIdOf(role))
        .sort(),
    );
  });
});

describe("the enforcer's roles and the app's own roles", () => {
  const appRoles = Object.keys(resources).filter((id) => resources[id]!.Type === 'AWS::IAM::Role');
  const writers = enforcer.enforcerRoles.map((role) => logicalIdOf(role));
  const WRITES = ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:TagRole', 'iam:UntagRole', 'iam:AttachRolePolicy'];
  const restrictedTagged = {
    ...AT,
    'aws:ResourceTag/govrec:category': 'police',
    'aws:TagKeys': ['govrec:moratorium-status'],
  };

  it('covers every role of the stack: the pipeline functions, CDK handlers, rules, schedules and enforcement', () => {
    const pipeline = [stack.pipeline.policyFunction.role!, stack.pipeline.recognitionFunction.role!];
    expect(appRoles).toEqual(expect.arrayContaining([...pipeline.map((role) => logicalIdOf(role)), ...writers]));
    expect(appRoles.some((id) => id.startsWith('BucketNotificationsHandler'))).toBe(true);
    expect(appRoles.length).toBeGreaterThan(writers.length + pipeline.length);
  });

  it('can disable a tagged police role, so the proof below is not vacuous', async () => {
    const enforceRole = logicalIdOf(enforcer.workflows.machineRoles[0]!);
    await expect(
      simulate(
        roleArnOf(enforceRole),
        policiesOf(enforceRole),
        'iam:PutRolePolicy',
        `arn:aws:iam::${EXAMPLE_ACCOUNT}:role/county-sheriff`,
        restrictedTagged,
      ),
    ).resolves.toBe('Allowed');
  });

  it('never lets an enforcement role write to any role of the app, even one tagged restricted', async () => {
    const granted: string[] = [];
    for (const writer of writers) {
      const policies = policiesOf(writer);
      for (const target of appRoles) {
        for (const action of WRITES) {
          const result = await simulate(roleArnOf(writer), policies, action, roleArnOf(target), restrictedTagged);
          if (result === 'Allowed') granted.push(`${writer} ${action} ${target}`);
        }
      }
    }
    expect(granted).toEqual([]);
  }, 120_000);
});
