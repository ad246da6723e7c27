/**
 * `govrec upload --stack` with what an uploader role may do: the bucket and key named on the
 * command line (no CloudFormation), nothing read back unless asked to wait, and a refusal to read
 * the ledger or the stack said as a permission problem.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { closeStack, deployedStack, stackFromOutputs } from '../../../cli/deployed/stack';
import { uploadToStack } from '../../../cli/deployed/upload';
import { type LocalS3, startLocalS3 } from '../../../local/s3';

const cloudformation = mockClient(CloudFormationClient);
const dynamodb = mockClient(DynamoDBClient);
const documents = mockClient(DynamoDBDocumentClient);
const denied = (name: string) => Object.assign(new Error('User is not authorized to perform this action'), { name });

describe('govrec upload --stack as an uploader', () => {
  let s3: LocalS3;
  const saved = { ...process.env };
  beforeAll(async () => {
    s3 = await startLocalS3({ buckets: [{ name: 'intake', versioned: true }] });
    Object.assign(process.env, s3.env);
  });
  afterAll(async () => {
    process.env = saved;
    await s3.stop();
  });
  beforeEach(() => {
    cloudformation.reset().rejects(denied('AccessDenied'));
    dynamodb.reset().rejects(denied('AccessDeniedException'));
    documents.reset().rejects(denied('AccessDeniedException'));
  });

  const request = {
    body: new Uint8Array([1, 2, 3]),
    contentType: 'image/png',
    orgId: 'thorn-like',
    operation: 'search',
    name: 'case.png',
    purpose: 'child-rescue',
  };

  it('uploads with the bucket and key given, calling neither CloudFormation nor DynamoDB', async () => {
    const stack = stackFromOutputs(
      { stack: 'GovernedRecognition' },
      { IntakeBucketName: 'intake', IntakeKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k' },
    );
    try {
      const upload = await uploadToStack(stack, { ...request, waitSeconds: 0 });

      expect(upload).toMatchObject({ bucket: 'intake', key: 'incoming/thorn-like/search/case.png' });
      expect(upload.decision).toBeUndefined();
      const head = await s3.client.send(
        new HeadObjectCommand({ Bucket: 'intake', Key: upload.key, VersionId: upload.versionId }),
      );
      expect(head.Metadata).toEqual({ purpose: 'child-rescue' });
      expect(cloudformation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
      expect(dynamodb.calls()).toHaveLength(0);
      expect(documents.calls()).toHaveLength(0);
    } finally {
      closeStack(stack);
    }
  });

  it('reports a refused ledger read while waiting instead of failing the upload', async () => {
    const stack = stackFromOutputs(
      { stack: 'GovernedRecognition' },
      { IntakeBucketName: 'intake', IntakeKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k', AuditTableName: 'audit' },
    );
    try {
      const upload = await uploadToStack(stack, { ...request, waitSeconds: 30 });

      expect(upload.unreadable).toMatch(/^permission denied reading the audit ledger audit \(dynamodb:GetItem/);
      expect(documents.commandCalls(GetCommand)).toHaveLength(1);
    } finally {
      closeStack(stack);
    }
  });

  it('says "permission denied" when the credentials may not describe the stack', async () => {
    await expect(deployedStack({ stack: 'GovernedRecognition', profile: 'thorn-uploader' })).rejects.toThrow(
      /^Permission denied reading stack GovernedRecognition: these credentials \(profile thorn-uploader\) may not call cloudformation:DescribeStacks/,
    );
  });
});
