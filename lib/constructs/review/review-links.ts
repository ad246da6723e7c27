/**
 * Console links a reviewer starts from, built from the deploying region and the resources' own
 * tokens so they resolve at deploy time. Links are for the commercial partition's console
 * (`console.aws.amazon.com`); China and GovCloud consoles live on other domains.
 */
import { Aws, Fn } from 'aws-cdk-lib';

const region = Aws.REGION;
const regional = (service: string, fragment: string): string =>
  `https://${region}.console.aws.amazon.com/${service}/home?region=${region}#${fragment}`;

/** URL builders by console page. */
export const consoleLinks = {
  dashboard: (name: string) => regional('cloudwatch', `dashboards/dashboard/${name}`),
  alarms: () => regional('cloudwatch', 'alarmsV2:'),
  logsInsights: () => regional('cloudwatch', 'logsV2:logs-insights'),
  tableItems: (tableName: string) => regional('dynamodbv2', `item-explorer?table=${tableName}`),
  bucket: (bucketName: string) => `https://s3.console.aws.amazon.com/s3/buckets/${bucketName}?region=${region}`,
  stateMachine: (stateMachineArn: string) => regional('states', `/statemachines/view/${stateMachineArn}`),
  topic: (topicArn: string) => regional('sns/v3', `/topic/${topicArn}`),
  queue: (queueUrl: string) =>
    regional('sqs/v3', `/queues/${Fn.join('%3A', Fn.split(':', Fn.join('%2F', Fn.split('/', queueUrl))))}`),
} as const;
