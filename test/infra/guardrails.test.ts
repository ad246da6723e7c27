/**
 * The moratorium guardrails (SCP + RCP), proved with an IAM evaluator (@cloud-copilot/iam-simulate,
 * which evaluates SCPs and RCPs level by level). It fills no context key, so every request passes
 * aws:CurrentTime, aws:PrincipalArn, aws:PrincipalAccount and, for OU members, aws:PrincipalOrgPaths.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type GovernanceSettings, guardrailTargets, parseGovernance } from '../../lambda/shared/settings';
import { GuardrailPolicyTooLargeError, GuardrailTargetError } from '../../lib/constructs/guardrails/errors';
import {
  type GuardrailInputs,
  moratoriumRcp,
  moratoriumScp,
  ORGANIZATIONS_POLICY_MAX_CHARS,
  type PolicyDocument,
  policySize,
} from '../../lib/constructs/guardrails/guardrail-policies';
import { GovernedRecognitionGuardrailsStack, GUARDRAILS_REGION } from '../../lib/governed-recognition-guardrails-stack';

const PIPELINE = '111111111111';
const POLICE_ACCOUNT = '222222222222';
const OTHER_ACCOUNT = '444444444444';
const MANAGEMENT = '999999999999';
const POLICE_OU = 'ou-ab12-34cd56ef';
const ORG_PATH = `o-a1b2c3d4e5/r-ab12/${POLICE_OU}/`;
// The break-glass role lives in a security account; synth refuses one in a listed restricted
// account (anyone there could take it over). The SCP's exemption is still proved by ARN below.
const SECURITY_ACCOUNT = '777777777777';
const BREAK_GLASS = `arn:aws:iam::${SECURITY_ACCOUNT}:role/incident-break-glass`;
const POLICE_ROLE = `arn:aws:iam::${POLICE_ACCOUNT}:role/analysts`;
const OU_POLICE_ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/county-analysts`;
const PIPELINE_ROLE = `arn:aws:iam::${PIPELINE}:role/GovernedRecognition-RecognitionWorker`;
const INTAKE_OBJECT = 'arn:aws:s3:::governedrecognition-intake/incoming/metro-police/detect/face.jpg';

const BEFORE = '2027-06-09T23:59:59Z';
const START = '2027-06-10T00:00:00Z';
const INSIDE = '2027-12-01T12:00:00Z';
const LAST_SECOND = '2028-06-09T23:59:59Z';
const END = '2028-06-10T00:00:00Z';
const AFTER = '2029-03-01T00:00:00Z';

const settingsWith = (afterWindow: 'normal-rules' | 'deny' = 'normal-rules'): GovernanceSettings =>
  parseGovernance({
    moratorium: { start: START, end: END, afterWindow },
    organisations: [
      {
        id: 'thorn-like',
        displayName: 'NGO',
        category: 'ngo',
        roleArns: [`arn:aws:iam::${PIPELINE}:role/ngo-uploader`],
        purposes: ['child-rescue'],
        operations: ['detect'],
      },
      {
        id: 'metro-police',
        displayName: 'Police',
        category: 'police',
        accounts: [POLICE_ACCOUNT],
        organizationalUnits: [POLICE_OU],
        purposes: ['criminal-investigation'],
        operations: ['detect'],
      },
    ],
  });

const inputsFor = (settings: GovernanceSettings, breakGlass?: string): GuardrailInputs => ({
  settings,
  ...guardrailTargets(settings),
  pipelineAccount: PIPELINE,
  ...(breakGlass === undefined ? {} : { breakGlassPrincipalArn: breakGlass }),
});

const FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const allowAll = [{ name: 'admin', policy: FULL_ACCESS }];

interface Call {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly at: string;
  readonly region?: string;
  /** Organisation path of the principal's account, when it is in an OU. */
  readonly orgPath?: string;
}

const accountOf = (arn: string): string => arn.split(':')[4]!;

const simulate = async (call: Call, scps: unknown[], rcps: unknown[], resourcePolicy?: unknown) => {
  const principalAccount = accountOf(call.principal);
  const result = await runSimulation(
    {
      request: {
        principal: call.principal,
        action: call.action,
        resource: { resource: call.resource, accountId: call.resourceAccount },
        contextVariables: {
          'aws:CurrentTime': call.at,
          'aws:PrincipalArn': call.principal,
          'aws:PrincipalAccount': principalAccount,
          'aws:ResourceAccount': call.resourceAccount,
          'aws:RequestedRegion': call.region ?? 'us-east-1',
          'aws:SecureTransport': 'true',
          ...(call.orgPath === undefined ? {} : { 'aws:PrincipalOrgPaths': [call.orgPath] }),
        },
      },
      identityPolicies: allowAll,
      serviceControlPolicies: scps as never,
      resourceControlPolicies: rcps as never,
      ...(resourcePolicy === undefined ? {} : { resourcePolicy }),
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
};

/** The SCP as Organizations applies it: root and every level keep FullAWSAccess; the moratorium SCP sits on `level`. */
const scpLevels = (scp: PolicyDocument, level: 'account' | 'ou') => [
  { orgIdentifier: 'r-ab12', policies: [{ name: 'FullAWSAccess', policy: FULL_ACCESS }] },
  {
    orgIdentifier: POLICE_OU,
    policies: [
      { name: 'FullAWSAccess', policy: FULL_ACCESS },
      ...(level === 'ou' ? [{ name: 'moratorium', policy: scp }] : []),
    ],
  },
  {
    orgIdentifier: 'account',
    policies: [
      { name: 'FullAWSAccess', policy: FULL_ACCESS },
      ...(level === 'account' ? [{ name: 'moratorium', policy: scp }] : []),
    ],
  },
];
const noScps = [{ orgIdentifier: 'r-ab12', policies: [{ name: 'FullAWSAccess', policy: FULL_ACCESS }] }];
/** The RCP attached to the pipeline account (RCPFullAWSAccess is added by the simulator). */
const rcpLevels = (rcp: PolicyDocument) => [
  { orgIdentifier: 'r-ab12', policies: [] },
  { orgIdentifier: PIPELINE, policies: [{ name: 'moratorium', policy: rcp }] },
];
/** A bucket policy that lets anyone write: only the guardrails stand in the way in these proofs. */
const openBucket = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::governedrecognition-intake/*' },
  ],
};

const TIMES: [string, string, 'denied' | 'allowed'][] = [
  ['before the window', BEFORE, 'allowed'],
  ['at the start', START, 'denied'],
  ['inside the window', INSIDE, 'denied'],
  ['in the last second', LAST_SECOND, 'denied'],
  ['at the end', END, 'allowed'],
  ['after the end', AFTER, 'allowed'],
];
const expected = (outcome: 'denied' | 'allowed') => (outcome === 'denied' ? 'ExplicitlyDenied' : 'Allowed');

const REKOGNITION_CALLS: [string, string, string][] = [
  ['rekognition:DetectFaces', 'us-east-1', '*'],
  [
    'rekognition:SearchFacesByImage',
    'eu-west-1',
    `arn:aws:rekognition:eu-west-1:${POLICE_ACCOUNT}:collection/mugshots`,
  ],
  [
    'rekognition:IndexFaces',
    'ap-southeast-2',
    `arn:aws:rekognition:ap-southeast-2:${POLICE_ACCOUNT}:collection/mugshots`,
  ],
  ['rekognition:CreateCollection', 'ca-central-1', '*'],
];

describe('moratorium SCP', () => {
  const scp = moratoriumScp(inputsFor(settingsWith(), BREAK_GLASS));

  describe.each(REKOGNITION_CALLS)('%s in %s', (action, region, resource) => {
    it.each(TIMES)('is %s for a police account role %s', async (_label, at, outcome) => {
      const call = { principal: POLICE_ROLE, action, resource, resourceAccount: POLICE_ACCOUNT, at, region };
      await expect(simulate(call, scpLevels(scp, 'account'), [])).resolves.toBe(expected(outcome));
    });

    it('is denied inside the window to a role of an account under a restricted OU', async () => {
      const call = {
        principal: OU_POLICE_ROLE,
        action,
        resource: resource.replace(POLICE_ACCOUNT, OTHER_ACCOUNT),
        resourceAccount: OTHER_ACCOUNT,
        at: INSIDE,
        region,
      };
      await expect(simulate(call, scpLevels(scp, 'ou'), [])).resolves.toBe('ExplicitlyDenied');
    });
  });

  it.each(TIMES)('keeps a police role out of the intake bucket %s: %s', async (_label, at, outcome) => {
    const call = {
      principal: POLICE_ROLE,
      action: 's3:PutObject',
      resource: INTAKE_OBJECT,
      resourceAccount: PIPELINE,
      at,
    };
    await expect(simulate(call, scpLevels(scp, 'account'), [], openBucket)).resolves.toBe(expected(outcome));
  });

  it('denies a police role assuming a role of the pipeline account inside the window', async () => {
    const call = {
      principal: POLICE_ROLE,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${PIPELINE}:role/unregistered-helper`,
      resourceAccount: PIPELINE,
      at: INSIDE,
    };
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: POLICE_ROLE }, Action: 'sts:AssumeRole' }],
    };
    await expect(simulate(call, scpLevels(scp, 'account'), [], trust)).resolves.toBe('ExplicitlyDenied');
  });

  it('leaves the police account its own S3 buckets inside the window', async () => {
    const call = {
      principal: POLICE_ROLE,
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::police-evidence/case.pdf',
      resourceAccount: POLICE_ACCOUNT,
      at: INSIDE,
    };
    await expect(simulate(call, scpLevels(scp, 'account'), [])).resolves.toBe('Allowed');
  });

  it('exempts the break-glass role inside the window', async () => {
    const call = {
      principal: BREAK_GLASS,
      action: 'rekognition:DetectFaces',
      resource: '*',
      resourceAccount: SECURITY_ACCOUNT,
      at: INSIDE,
    };
    await expect(simulate(call, scpLevels(scp, 'account'), [])).resolves.toBe('Allowed');
  });

  it('exempts the pipeline account when it sits in a restricted OU', async () => {
    const call = {
      principal: PIPELINE_ROLE,
      action: 'rekognition:DetectFaces',
      resource: '*',
      resourceAccount: PIPELINE,
      at: INSIDE,
    };
    await expect(simulate(call, scpLevels(scp, 'ou'), [])).resolves.toBe('Allowed');
  });

  it.each([
    ['inside the window', INSIDE],
    ['years after the end', '2031-01-01T00:00:00Z'],
  ])('has no end under afterWindow "deny": denied %s', async (_label, at) => {
    const forever = moratoriumScp(inputsFor(settingsWith('deny')));
    const call = {
      principal: POLICE_ROLE,
      action: 'rekognition:DetectFaces',
      resource: '*',
      resourceAccount: POLICE_ACCOUNT,
      at,
    };
    await expect(simulate(call, scpLevels(forever, 'account'), [])).resolves.toBe('ExplicitlyDenied');
  });
});

describe('moratorium RCP', () => {
  const rcp = moratoriumRcp(inputsFor(settingsWith(), BREAK_GLASS));
  const put = (principal: string, at: string, orgPath?: string): Call => ({
    principal,
    action: 's3:PutObject',
    resource: INTAKE_OBJECT,
    resourceAccount: PIPELINE,
    at,
    ...(orgPath === undefined ? {} : { orgPath }),
  });

  it.each(TIMES)('keeps a police account role out of the intake bucket %s: %s', async (_label, at, outcome) => {
    await expect(simulate(put(POLICE_ROLE, at), noScps, rcpLevels(rcp), openBucket)).resolves.toBe(expected(outcome));
  });

  it.each(TIMES)('keeps a role of an account under a restricted OU out %s: %s', async (_label, at, outcome) => {
    await expect(simulate(put(OU_POLICE_ROLE, at, ORG_PATH), noScps, rcpLevels(rcp), openBucket)).resolves.toBe(
      expected(outcome),
    );
  });

  it('matches an account in an OU nested under the restricted OU', async () => {
    const nested = `o-a1b2c3d4e5/r-ab12/${POLICE_OU}/ou-ab12-99999999/`;
    await expect(simulate(put(OU_POLICE_ROLE, INSIDE, nested), noScps, rcpLevels(rcp), openBucket)).resolves.toBe(
      'ExplicitlyDenied',
    );
  });

  it('denies a police role assuming a pipeline-account role whatever its trust policy says', async () => {
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: POLICE_ROLE }, Action: 'sts:AssumeRole' }],
    };
    const call = {
      principal: POLICE_ROLE,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${PIPELINE}:role/unregistered-helper`,
      resourceAccount: PIPELINE,
      at: INSIDE,
    };
    await expect(simulate(call, noScps, rcpLevels(rcp), trust)).resolves.toBe('ExplicitlyDenied');
  });

  it.each([
    ['the break-glass role', BREAK_GLASS, undefined],
    ['the pipeline account in a restricted OU', PIPELINE_ROLE, ORG_PATH],
    [
      'an unrestricted account',
      `arn:aws:iam::${OTHER_ACCOUNT}:role/ngo-uploader`,
      'o-a1b2c3d4e5/r-ab12/ou-ab12-ngo00000/',
    ],
  ])('lets %s write inside the window', async (_label, principal, orgPath) => {
    await expect(simulate(put(principal, INSIDE, orgPath), noScps, rcpLevels(rcp), openBucket)).resolves.toBe(
      'Allowed',
    );
  });

  it('never allows: every statement is a Deny with Principal "*", as RCPs require', () => {
    expect(rcp.Statement.map((statement) => [statement.Effect, statement.Principal])).toEqual([
      ['Deny', '*'],
      ['Deny', '*'],
    ]);
  });
});

describe('guardrail policy size', () => {
  const manyAccounts = (count: number): GuardrailInputs => ({
    ...inputsFor(settingsWith(), BREAK_GLASS),
    accounts: Array.from({ length: count }, (_, index) => String(300000000000 + index)),
  });
  const largestThatFits = (() => {
    let count = 1;
    while (policySize(moratoriumRcp(manyAccounts(count + 1))) <= ORGANIZATIONS_POLICY_MAX_CHARS) count += 1;
    return count;
  })();

  it('keeps the documents of a typical registry far under the limit', () => {
    const inputs = inputsFor(settingsWith(), BREAK_GLASS);
    expect(policySize(moratoriumScp(inputs))).toBeLessThan(1500);
    expect(policySize(moratoriumRcp(inputs))).toBeLessThan(1500);
  });

  it('fits a few hundred restricted accounts in the RCP', () => {
    expect(largestThatFits).toBeGreaterThanOrEqual(250);
  });

  it('refuses at synth a registry whose RCP would exceed the limit', () => {
    const stack = () =>
      new GovernedRecognitionGuardrailsStack(new App(), 'Guardrails', {
        settings: settingsWith(),
        pipelineAccount: PIPELINE,
        env: { account: MANAGEMENT, region: GUARDRAILS_REGION },
      }).guardrails;
    expect(stack).not.toThrow();
    const over = manyAccounts(largestThatFits + 1);
    expect(policySize(moratoriumRcp(over))).toBeGreaterThan(ORGANIZATIONS_POLICY_MAX_CHARS);
    const settings = parseGovernance({
      ...settingsWith(),
      organisations: [{ ...settingsWith().organisations[1]!, accounts: [...over.accounts] }],
    });
    expect(
      () =>
        new GovernedRecognitionGuardrailsStack(new App(), 'Guardrails', {
          settings,
          pipelineAccount: PIPELINE,
          breakGlassPrincipalArn: BREAK_GLASS,
          env: { account: MANAGEMENT, region: GUARDRAILS_REGION },
        }),
    ).toThrow(GuardrailPolicyTooLargeError);
  });
});

describe('GovernedRecognitionGuardrailsStack', () => {
  const settings = settingsWith();
  const stack = new GovernedRecognitionGuardrailsStack(new App(), 'GovernedRecognitionGuardrails', {
    settings,
    pipelineAccount: PIPELINE,
    breakGlassPrincipalArn: BREAK_GLASS,
    env: { account: MANAGEMENT, region: GUARDRAILS_REGION },
  });
  const template = Template.fromStack(stack);

  it('attaches the SCP to the restricted accounts and OUs', () => {
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: [POLICE_ACCOUNT, POLICE_OU],
      Content: moratoriumScp(inputsFor(settings, BREAK_GLASS)),
    });
  });

  it('attaches the RCP to the pipeline account', () => {
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'RESOURCE_CONTROL_POLICY',
      TargetIds: [PIPELINE],
      Content: moratoriumRcp(inputsFor(settings, BREAK_GLASS)),
    });
  });

  it('stores each document within the Organizations limit as rendered', () => {
    const policies = Object.values(template.findResources('AWS::Organizations::Policy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties.Content).length).toBeLessThanOrEqual(ORGANIZATIONS_POLICY_MAX_CHARS);
    }
  });

  it.each([
    [
      'lists the pipeline account as restricted',
      PIPELINE,
      MANAGEMENT,
      'runs the pipeline and is also listed as restricted',
    ],
    [
      'lists the management account as restricted',
      MANAGEMENT,
      MANAGEMENT,
      'SCPs never restrict the management account',
    ],
  ])('refuses a configuration that %s', (_label, listed, deployer, message) => {
    const bad = parseGovernance({
      ...settings,
      organisations: [{ ...settings.organisations[1]!, accounts: [listed] }],
    });
    const build = () =>
      new GovernedRecognitionGuardrailsStack(new App(), 'Guardrails', {
        settings: bad,
        pipelineAccount: PIPELINE,
        env: { account: deployer, region: GUARDRAILS_REGION },
      });
    expect(build).toThrow(GuardrailTargetError);
    expect(build).toThrow(message);
  });

  it('refuses a break-glass role that lives in a restricted account', () => {
    const police = POLICE_ACCOUNT;
    const bad = parseGovernance({
      ...settings,
      organisations: [{ ...settings.organisations[1]!, accounts: [police] }],
    });
    const build = () =>
      new GovernedRecognitionGuardrailsStack(new App(), 'Guardrails', {
        settings: bad,
        pipelineAccount: PIPELINE,
        breakGlassPrincipalArn: `arn:aws:iam::${police}:role/break-glass`,
        env: { account: MANAGEMENT, region: GUARDRAILS_REGION },
      });
    expect(build).toThrow(GuardrailTargetError);
    expect(build).toThrow(`is in restricted account ${police}`);
  });
});
