import { runSimulation } from '@cloud-copilot/iam-simulate';
import { logicalIdOf, synthStack } from '../helpers/cdk-app';

// The synthesized intake bucket policy, evaluated by an IAM policy simulator (test-only, AGPL):
// the prefix binding is proved on requests, not just read off the template.
const { stack, template } = synthStack();
const BUCKET = 'arn:aws:s3:::govrec-intake-example';
const ACCOUNT = '111111111111';
const UPLOADER = 'arn:aws:iam::111111111111:role/govrec-ngo-child-rescue-uploader';
const UNREGISTERED = 'arn:aws:iam::111111111111:role/someone-else';

/** Replace the template's intrinsic functions with the literal values of a deployed stack. */
const literal = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(literal);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if ('Fn::Join' in record) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map(literal).join(separator);
  }
  if ('Fn::GetAtt' in record) {
    const [id, attribute] = record['Fn::GetAtt'] as [string, string];
    if (id === logicalIdOf(stack.pipeline.intakeBucket) && attribute === 'Arn') return BUCKET;
    throw new Error(`No literal for ${id}.${attribute}`);
  }
  if ('Ref' in record) {
    if (record.Ref === 'AWS::Partition') return 'aws';
    throw new Error(`No literal for Ref ${String(record.Ref)}`);
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, literal(inner)]));
};

const bucketPolicy = literal(
  Object.values(
    template.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: logicalIdOf(stack.pipeline.intakeBucket) } },
    }),
  )[0].Properties.PolicyDocument,
);

/** The organisations' own teams give their uploader roles this identity policy. */
const uploaderIdentityPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `${BUCKET}/*` }],
};

const putObject = async (principal: string, key: string, orgTag: string | undefined): Promise<string> => {
  const result = await runSimulation(
    {
      request: {
        principal,
        action: 's3:PutObject',
        resource: { resource: `${BUCKET}/${key}`, accountId: ACCOUNT },
        contextVariables: {
          'aws:SecureTransport': 'true',
          'aws:PrincipalArn': principal,
          'aws:PrincipalAccount': ACCOUNT,
          ...(orgTag === undefined ? {} : { 'aws:PrincipalTag/govrec:org': orgTag }),
        },
      },
      identityPolicies: [{ name: 'uploader', policy: uploaderIdentityPolicy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: bucketPolicy,
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType !== 'single') throw new Error(`Simulation failed: ${JSON.stringify(result)}`);
  return result.overallResult;
};

describe('intake bucket policy, simulated', () => {
  it.each([
    ['its own prefix', 'Allowed', 'incoming/thorn-like/search/photo.jpg', 'thorn-like'],
    ["another organisation's prefix", 'ExplicitlyDenied', 'incoming/metro-police/search/photo.jpg', 'thorn-like'],
    [
      'a prefix that only starts like its own',
      'ExplicitlyDenied',
      'incoming/thorn-like-2/search/photo.jpg',
      'thorn-like',
    ],
    ['outside incoming/', 'ExplicitlyDenied', 'results/thorn-like/photo.jpg', 'thorn-like'],
    ['the bucket root', 'ExplicitlyDenied', 'photo.jpg', 'thorn-like'],
    [
      'its own prefix without an organisation tag',
      'ExplicitlyDenied',
      'incoming/thorn-like/search/photo.jpg',
      undefined,
    ],
    [
      'the prefix its tag names (the tag decides, not the role name)',
      'Allowed',
      'incoming/metro-police/detect/photo.jpg',
      'metro-police',
    ],
  ])('a registered uploader writing to %s is %s', async (_case, expected, key, tag) => {
    await expect(putObject(UPLOADER, key, tag)).resolves.toBe(expected);
  });

  it('denies an unregistered role writing outside its tagged prefix, whatever its identity policy allows', async () => {
    await expect(putObject(UNREGISTERED, 'incoming/thorn-like/search/photo.jpg', 'someone-else')).resolves.toBe(
      'ExplicitlyDenied',
    );
  });
});
