/**
 * How a template resource is named, referenced and addressed in the offline run: what `Ref` and
 * `Fn::GetAtt` evaluate to when the resource is a local stand-in instead of a deployed one.
 * Names are the logical ids (the stack names nothing physically), adjusted only where a service's
 * naming rules require it (S3 bucket names are lower-case and at most 63 characters).
 */
import { createHash } from 'node:crypto';
import { TemplateError } from './errors';
import type { CfnResource } from './template-load';

/** Account, region and partition the local resources pretend to live in. */
export interface LocalEnvironment {
  readonly region: string;
  readonly accountId: string;
  readonly partition?: string;
}

// Properties by which a template may fix a physical name; honoured when they are plain strings.
const NAME_PROPERTY: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Events::Rule': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Rekognition::Collection': 'CollectionId',
};

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** A valid S3 bucket name derived from a logical id. */
export const bucketNameFor = (logicalId: string): string => {
  const base = logicalId.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return base.length <= 63 ? base.padEnd(3, '0') : `${base.slice(0, 54)}-${shortHash(logicalId)}`;
};

/** The local physical name of a resource. */
export const localNameOf = (logicalId: string, resource: CfnResource): string => {
  const property = NAME_PROPERTY[resource.Type];
  const fixed = property !== undefined ? resource.Properties?.[property] : undefined;
  if (typeof fixed === 'string') return fixed;
  if (resource.Type === 'AWS::S3::Bucket') return bucketNameFor(logicalId);
  return logicalId;
};

const arnOf = (env: LocalEnvironment, type: string, name: string, logicalId: string): string => {
  const p = env.partition ?? 'aws';
  const { region, accountId } = env;
  switch (type) {
    case 'AWS::S3::Bucket':
      return `arn:${p}:s3:::${name}`;
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return `arn:${p}:dynamodb:${region}:${accountId}:table/${name}`;
    case 'AWS::Lambda::Function':
      return `arn:${p}:lambda:${region}:${accountId}:function:${name}`;
    case 'AWS::SQS::Queue':
      return `arn:${p}:sqs:${region}:${accountId}:${name}`;
    case 'AWS::SNS::Topic':
      return `arn:${p}:sns:${region}:${accountId}:${name}`;
    case 'AWS::IAM::Role':
      return `arn:${p}:iam::${accountId}:role/${name}`;
    case 'AWS::IAM::ManagedPolicy':
      return `arn:${p}:iam::${accountId}:policy/${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:${p}:states:${region}:${accountId}:stateMachine:${name}`;
    case 'AWS::Events::Rule':
      return `arn:${p}:events:${region}:${accountId}:rule/${name}`;
    case 'AWS::KMS::Key':
      return `arn:${p}:kms:${region}:${accountId}:key/${keyIdOf(logicalId)}`;
    case 'AWS::Logs::LogGroup':
      return `arn:${p}:logs:${region}:${accountId}:log-group:${name}:*`;
    case 'AWS::Scheduler::ScheduleGroup':
      return `arn:${p}:scheduler:${region}:${accountId}:schedule-group/${name}`;
    case 'AWS::CloudTrail::Trail':
      return `arn:${p}:cloudtrail:${region}:${accountId}:trail/${name}`;
    case 'AWS::Rekognition::Collection':
      return `arn:${p}:rekognition:${region}:${accountId}:collection/${name}`;
    default: {
      const service = type.split('::')[1]?.toLowerCase() ?? 'unknown';
      return `arn:${p}:${service}:${region}:${accountId}:${name}`;
    }
  }
};

/** A UUID-shaped KMS key id, stable for a logical id. */
const keyIdOf = (logicalId: string): string => {
  const h = createHash('sha256').update(logicalId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** A stable `AROA...` unique id for a local role (what `RoleId` and S3 principal ids carry). */
export const roleIdOf = (logicalId: string): string =>
  `AROA${createHash('sha256').update(logicalId).digest('hex').slice(0, 17).toUpperCase()}`;

/** The local SQS queue URL (the form `LocalQueue` reports). */
export const queueUrlOf = (env: LocalEnvironment, name: string): string =>
  `https://sqs.${env.region}.amazonaws.com/${env.accountId}/${name}`;

/** What `Ref` returns for a resource, per CloudFormation's documented return values. */
export const refOf = (env: LocalEnvironment, logicalId: string, resource: CfnResource): string => {
  const name = localNameOf(logicalId, resource);
  switch (resource.Type) {
    case 'AWS::SQS::Queue':
      return queueUrlOf(env, name);
    case 'AWS::SNS::Topic':
    case 'AWS::StepFunctions::StateMachine':
    case 'AWS::IAM::ManagedPolicy':
      return arnOf(env, resource.Type, name, logicalId);
    case 'AWS::KMS::Key':
      return keyIdOf(logicalId);
    default:
      return name;
  }
};

/** What `Fn::GetAtt [logicalId, attribute]` returns. */
export const getAttOf = (
  env: LocalEnvironment,
  logicalId: string,
  resource: CfnResource,
  attribute: string,
): string => {
  const name = localNameOf(logicalId, resource);
  const arn = arnOf(env, resource.Type, name, logicalId);
  switch (attribute) {
    case 'Arn':
    case 'TopicArn':
    case 'StateMachineArn':
      return arn;
    case 'QueueName':
    case 'Name':
    case 'TopicName':
      return name;
    case 'QueueUrl':
      return queueUrlOf(env, name);
    case 'RoleId':
      return roleIdOf(logicalId);
    case 'KeyId':
      return keyIdOf(logicalId);
    case 'StreamArn':
      return `${arn}/stream/local`;
    case 'DomainName':
      return `${name}.s3.amazonaws.com`;
    case 'RegionalDomainName':
      return `${name}.s3.${env.region}.amazonaws.com`;
    default:
      throw new TemplateError(
        `Fn::GetAtt ${logicalId}.${attribute} (${resource.Type}) has no local value; add it to local/template-names.ts`,
      );
  }
};
