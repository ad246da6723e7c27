import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { startCloudFormationEndpoint } from '../../../local/offline/cloudformation-endpoint';
import { LocalTemplate } from '../../../local/template';

const template = new LocalTemplate(
  {
    Resources: { IntakeBucket1234: { Type: 'AWS::S3::Bucket', Properties: {} } },
    Outputs: {
      IntakeBucketName: { Value: { Ref: 'IntakeBucket1234' } },
      MoratoriumStart: { Value: '2027-06-10T00:00:00.000Z' },
      Odd: { Value: 'a<b>&"c"' },
    },
  },
  { region: 'us-east-1', accountId: '111111111111' },
  'Stack',
);

describe('the offline CloudFormation endpoint', () => {
  let endpoint: Awaited<ReturnType<typeof startCloudFormationEndpoint>>;
  let client: CloudFormationClient;

  beforeAll(async () => {
    endpoint = await startCloudFormationEndpoint(template, 'GovernedRecognition');
    client = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: endpoint.endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.stop();
  });

  it("answers DescribeStacks with the template's outputs resolved to local names", async () => {
    const found = await client.send(new DescribeStacksCommand({ StackName: 'GovernedRecognition' }));
    const outputs = Object.fromEntries((found.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs).toEqual({
      IntakeBucketName: template.resolve({ Ref: 'IntakeBucket1234' }),
      MoratoriumStart: '2027-06-10T00:00:00.000Z',
      Odd: 'a<b>&"c"',
    });
    expect(found.Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
  });

  it('says a stack of another name does not exist, as CloudFormation does', async () => {
    await expect(client.send(new DescribeStacksCommand({ StackName: 'Other' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id Other does not exist',
    });
  });
});
