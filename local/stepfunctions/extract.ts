/**
 * Plain ASL from a synthesized CloudFormation template. A state machine's `DefinitionString` is an
 * `Fn::Join` whose tokens (`Ref`, `Fn::GetAtt`) sit inside JSON string values: each is replaced by
 * a placeholder ARN or name of the right shape for its resource type, then the parts are joined
 * and parsed.
 */

import { GovrecError } from '../../lambda/shared/errors';

/** Where placeholder ARNs live. */
export interface PlaceholderEnv {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/** The account and region the offline run and the tests pretend to be in. */
export const LOCAL_ENV: PlaceholderEnv = { account: '111111111111', region: 'eu-west-1', partition: 'aws' };

/** Raised when a template has no such state machine or a token cannot be resolved. */
export class AslExtractionError extends GovrecError {}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
/** A CloudFormation template as far as extraction reads it. */
export interface TemplateJson {
  readonly Resources: Resources;
}

/** The placeholder ARN of a resource, shaped like the real one so asl-validator's ARN check passes. */
export const placeholderArn = (logicalId: string, type: string, env: PlaceholderEnv = LOCAL_ENV): string => {
  const { account, region, partition } = env;
  switch (type) {
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${account}:function:${logicalId}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:${partition}:states:${region}:${account}:stateMachine:${logicalId}`;
    case 'AWS::IAM::Role':
      return `arn:${partition}:iam::${account}:role/${logicalId}`;
    case 'AWS::DynamoDB::Table':
      return `arn:${partition}:dynamodb:${region}:${account}:table/${logicalId}`;
    case 'AWS::SNS::Topic':
      return `arn:${partition}:sns:${region}:${account}:${logicalId}`;
    case 'AWS::SQS::Queue':
      return `arn:${partition}:sqs:${region}:${account}:${logicalId}`;
    case 'AWS::S3::Bucket':
      return `arn:${partition}:s3:::${logicalId.toLowerCase()}`;
    default:
      return `arn:${partition}:cloudformation:${region}:${account}:placeholder/${logicalId}`;
  }
};

const PSEUDO: Record<string, (env: PlaceholderEnv) => string> = {
  'AWS::Partition': (env) => env.partition,
  'AWS::Region': (env) => env.region,
  'AWS::AccountId': (env) => env.account,
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': () => 'LocalStack',
};

/** Resolve one token of a `Fn::Join` to a plain string. */
export const resolveToken = (token: unknown, resources: Resources, env: PlaceholderEnv = LOCAL_ENV): string => {
  if (typeof token === 'string') return token;
  const object = token as Record<string, unknown>;
  if (typeof object.Ref === 'string') {
    const pseudo = PSEUDO[object.Ref];
    if (pseudo !== undefined) return pseudo(env);
    const resource = resources[object.Ref];
    if (resource === undefined) throw new AslExtractionError(`Ref to unknown resource ${object.Ref}`);
    // Ref is the ARN for topics and state machines, the URL for queues, the name for the rest.
    if (resource.Type === 'AWS::SNS::Topic' || resource.Type === 'AWS::StepFunctions::StateMachine')
      return placeholderArn(object.Ref, resource.Type, env);
    if (resource.Type === 'AWS::SQS::Queue')
      return `https://sqs.${env.region}.amazonaws.com/${env.account}/${object.Ref}`;
    return object.Ref;
  }
  const getAtt = object['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
    const resource = resources[getAtt[0]];
    if (resource === undefined) throw new AslExtractionError(`Fn::GetAtt on unknown resource ${getAtt[0]}`);
    return getAtt[1] === 'Arn' ? placeholderArn(getAtt[0], resource.Type, env) : `${getAtt[0]}.${String(getAtt[1])}`;
  }
  throw new AslExtractionError(`Unsupported token in DefinitionString: ${JSON.stringify(token)}`);
};

/** Turn a `DefinitionString` (plain or `Fn::Join`) into ASL JSON. */
export const definitionFromString = (
  definitionString: unknown,
  resources: Resources,
  env: PlaceholderEnv = LOCAL_ENV,
): Record<string, unknown> => {
  let text: string;
  if (typeof definitionString === 'string') text = definitionString;
  else {
    const join = (definitionString as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join === undefined) throw new AslExtractionError('DefinitionString is neither a string nor an Fn::Join');
    text = join[1].map((part) => resolveToken(part, resources, env)).join(join[0]);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new AslExtractionError('DefinitionString is not JSON after resolving tokens', { cause: error });
  }
};

/**
 * All state machines of a template, by logical id.
 *
 * @example
 * const machines = extractStateMachines(Template.fromStack(stack).toJSON());
 */
export const extractStateMachines = (
  template: TemplateJson,
  env: PlaceholderEnv = LOCAL_ENV,
): Record<string, Record<string, unknown>> =>
  Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
      .map(([logicalId, resource]) => [
        logicalId,
        definitionFromString(resource.Properties?.DefinitionString, template.Resources, env),
      ]),
  );

/** The one state machine whose logical id starts with `prefix` (CDK appends a hash). */
export const stateMachineByPrefix = (
  template: TemplateJson,
  prefix: string,
  env: PlaceholderEnv = LOCAL_ENV,
): { logicalId: string; definition: Record<string, unknown> } => {
  const matches = Object.entries(extractStateMachines(template, env)).filter(([logicalId]) =>
    logicalId.startsWith(prefix),
  );
  if (matches.length !== 1)
    throw new AslExtractionError(`Expected one state machine with logical id ${prefix}*, found ${matches.length}`);
  return { logicalId: matches[0]![0], definition: matches[0]![1] };
};

/**
 * Resolve every token in a template value (policy documents, properties) to placeholder strings,
 * so it can be handed to tools that expect plain JSON (e.g. an IAM policy evaluator).
 */
export const resolveTemplateValue = (
  value: unknown,
  resources: Resources,
  env: PlaceholderEnv = LOCAL_ENV,
): unknown => {
  if (Array.isArray(value)) return value.map((item) => resolveTemplateValue(item, resources, env));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const join = object['Fn::Join'] as [string, unknown[]] | undefined;
  if (join !== undefined)
    return join[1].map((part) => String(resolveTemplateValue(part, resources, env))).join(join[0]);
  if ('Ref' in object || 'Fn::GetAtt' in object) return resolveToken(object, resources, env);
  return Object.fromEntries(
    Object.entries(object).map(([key, item]) => [key, resolveTemplateValue(item, resources, env)]),
  );
};
