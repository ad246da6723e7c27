import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { parseGovernance } from '../../lambda/shared/settings';
import {
  crossAccountIntakeDenyStatements,
  foreignRestrictedRoles,
} from '../../lib/constructs/intake/cross-account-deny';

const HOME = '111111111111';
const FOREIGN = '222222222222';
const BUCKET_ARN = 'arn:aws:s3:::govrec-intake';
const FOREIGN_POLICE = `arn:aws:iam::${FOREIGN}:role/regional-police-analysts`;
const FOREIGN_NGO = `arn:aws:iam::${FOREIGN}:role/ngo-uploader`;
const HOME_POLICE = `arn:aws:iam::${HOME}:role/govrec-police-investigations`;

const settings = parseGovernance({
  moratorium: { start: '2027-06-10T00:00:00Z', end: '2028-06-10T00:00:00Z' },
  organisations: [
    {
      id: 'thorn-like',
      displayName: 'NGO',
      category: 'ngo',
      roleArns: [FOREIGN_NGO],
      purposes: ['child-rescue'],
      operations: ['detect'],
    },
    {
      id: 'metro-police',
      displayName: 'Police here',
      category: 'police',
      roleArns: [HOME_POLICE],
      purposes: ['criminal-investigation'],
      operations: ['detect'],
    },
    {
      id: 'regional-police',
      displayName: 'Police elsewhere',
      category: 'police',
      roleArns: [FOREIGN_POLICE, HOME_POLICE.replace('investigations', 'analysts')],
      purposes: ['criminal-investigation'],
      operations: ['detect'],
    },
  ],
});

/** Resolve statements the way the intake construct would: add them to a bucket policy document. */
const bucketPolicy = (statements: iam.PolicyStatement[]): unknown => {
  const stack = new Stack(new App());
  const allowRegisteredWriters = new iam.PolicyStatement({
    sid: 'AllowRegisteredWriters',
    principals: [new iam.ArnPrincipal(FOREIGN_POLICE), new iam.ArnPrincipal(FOREIGN_NGO)],
    actions: ['s3:PutObject'],
    resources: [`${BUCKET_ARN}/*`],
  });
  return stack.resolve(new iam.PolicyDocument({ statements: [allowRegisteredWriters, ...statements] }).toJSON());
};

const putObject = async (
  principalArn: string,
  at: string,
  policy: unknown,
  principalTags: Record<string, string> = {},
) => {
  const tagContext = Object.fromEntries(
    Object.entries(principalTags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value]),
  );
  const result = await runSimulation(
    {
      request: {
        principal: principalArn,
        action: 's3:PutObject',
        resource: { resource: `${BUCKET_ARN}/incoming/regional-police/face.jpg`, accountId: HOME },
        contextVariables: {
          'aws:CurrentTime': at,
          'aws:PrincipalArn': principalArn,
          'aws:SecureTransport': 'true',
          ...tagContext,
        },
      },
      identityPolicies: [
        {
          name: 'uploader',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType !== 'single') throw new Error(`unexpected simulation result ${JSON.stringify(result)}`);
  return result.overallResult;
};

describe('foreignRestrictedRoles', () => {
  it('lists only restricted roles outside the stack account, by organisation', () => {
    expect([...foreignRestrictedRoles(settings, HOME)]).toEqual([['regional-police', [FOREIGN_POLICE]]]);
  });

  it('lists every restricted role when the stack account is an unresolved token', () => {
    const unresolved = Token.asString({ Ref: 'AWS::AccountId' });
    expect([...foreignRestrictedRoles(settings, unresolved)]).toEqual([
      ['metro-police', [HOME_POLICE]],
      ['regional-police', [FOREIGN_POLICE, HOME_POLICE.replace('investigations', 'analysts')]],
    ]);
  });
});

describe('crossAccountIntakeDenyStatements', () => {
  const statements = crossAccountIntakeDenyStatements({ settings, bucketArn: BUCKET_ARN, stackAccount: HOME });

  it('writes one self-expiring deny per restricted organisation with foreign roles', () => {
    expect(statements.map((statement) => statement.toStatementJson())).toEqual([
      {
        Sid: 'GovrecMoratoriumDenyRegionalPolice',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: `${BUCKET_ARN}/*`,
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': [FOREIGN_POLICE] },
          DateGreaterThanEquals: { 'aws:CurrentTime': '2027-06-10T00:00:00.000Z' },
          DateLessThan: { 'aws:CurrentTime': '2028-06-10T00:00:00.000Z' },
        },
      },
    ]);
  });

  it.each([
    ['before the window', '2027-06-09T23:59:59Z', 'Allowed'],
    ['at the start', '2027-06-10T00:00:00Z', 'ExplicitlyDenied'],
    ['inside the window', '2027-12-01T12:00:00Z', 'ExplicitlyDenied'],
    ['one second before the end', '2028-06-09T23:59:59Z', 'ExplicitlyDenied'],
    ['at the end', '2028-06-10T00:00:00Z', 'Allowed'],
    ['after the end', '2029-01-01T00:00:00Z', 'Allowed'],
  ])('gives a foreign police role uploading %s (%s): %s', async (_label, at, expected) => {
    await expect(putObject(FOREIGN_POLICE, at, bucketPolicy(statements))).resolves.toBe(expected);
  });

  it('leaves a foreign NGO role allowed inside the window', async () => {
    await expect(putObject(FOREIGN_NGO, '2027-12-01T12:00:00Z', bucketPolicy(statements))).resolves.toBe('Allowed');
  });

  describe('with a restricted tag', () => {
    const tagged = crossAccountIntakeDenyStatements({
      settings,
      bucketArn: BUCKET_ARN,
      stackAccount: HOME,
      restrictedTag: { key: 'govrec:category', value: 'police' },
    });

    it('adds a tag-based deny after the per-organisation ones', () => {
      expect(tagged.map((statement) => statement.sid)).toEqual([
        'GovrecMoratoriumDenyRegionalPolice',
        'GovrecMoratoriumDenyRestrictedTag',
      ]);
    });

    it.each([
      ['inside the window', '2027-12-01T12:00:00Z', 'ExplicitlyDenied'],
      ['after the end', '2028-06-10T00:00:01Z', 'Allowed'],
    ])('gives an unregistered role tagged police uploading %s (%s): %s', async (_label, at, expected) => {
      await expect(putObject(FOREIGN_NGO, at, bucketPolicy(tagged), { 'govrec:category': 'police' })).resolves.toBe(
        expected,
      );
    });
  });

  describe('with an indefinite moratorium (afterWindow: "deny")', () => {
    const indefinite = crossAccountIntakeDenyStatements({
      settings: { ...settings, moratorium: { ...settings.moratorium, afterWindow: 'deny' } },
      bucketArn: BUCKET_ARN,
      stackAccount: HOME,
    });

    it('writes the deny without an end', () => {
      expect(indefinite.map((statement) => statement.toStatementJson().Condition)).toEqual([
        {
          ArnEquals: { 'aws:PrincipalArn': [FOREIGN_POLICE] },
          DateGreaterThanEquals: { 'aws:CurrentTime': '2027-06-10T00:00:00.000Z' },
        },
      ]);
    });

    it.each([
      ['before the window', '2027-06-09T23:59:59Z', 'Allowed'],
      ['at the end', '2028-06-10T00:00:00Z', 'ExplicitlyDenied'],
      ['years after the end', '2031-01-01T00:00:00Z', 'ExplicitlyDenied'],
    ])('gives a foreign police role uploading %s (%s): %s', async (_label, at, expected) => {
      await expect(putObject(FOREIGN_POLICE, at, bucketPolicy(indefinite))).resolves.toBe(expected);
    });
  });
});
