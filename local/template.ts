/**
 * The synthesized stack as the offline run sees it: resources by type, their local names, and the
 * environment of each Lambda function with every `Ref`/`Fn::GetAtt` resolved to those names, so a
 * handler runs offline with the environment CloudFormation would give it.
 */
import { TemplateError } from './errors';
import { type CfnResource, type CfnTemplate, loadStackTemplate } from './template-load';
import { getAttOf, type LocalEnvironment, localNameOf, refOf } from './template-names';

export type { CfnResource, CfnTemplate } from './template-load';
export type { LocalEnvironment } from './template-names';

/** A resource with its logical id and local name. */
export interface LocalResource {
  readonly logicalId: string;
  readonly type: string;
  readonly name: string;
  readonly resource: CfnResource;
}

/** A Lambda function of the template, ready to be run in-process. */
export interface LocalFunction extends LocalResource {
  /** `Handler` property, e.g. `index.handler`. */
  readonly handler?: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMB: number;
}

/** An SQS event source mapping: which queue feeds which function, and how. */
export interface LocalEventSourceMapping {
  readonly logicalId: string;
  readonly functionLogicalId: string;
  readonly queueLogicalId: string;
  readonly batchSize: number;
  readonly reportBatchItemFailures: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * @example
 * const stack = LocalTemplate.fromCdkOut('cdk.out', { region: 'eu-west-1', accountId: '111111111111' });
 * const env = stack.functionByPrefix('RecognitionWorker').environment; // AUDIT_TABLE_NAME etc., resolved
 */
export class LocalTemplate {
  constructor(
    readonly template: CfnTemplate,
    readonly env: LocalEnvironment,
    readonly stackName = 'LocalStack',
  ) {}

  static fromCdkOut(cdkOut: string, env: LocalEnvironment, stackName?: string): LocalTemplate {
    const loaded = loadStackTemplate(cdkOut, stackName);
    return new LocalTemplate(loaded.template, env, loaded.stackName);
  }

  resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (resource === undefined) throw new TemplateError(`No resource ${logicalId} in stack ${this.stackName}`);
    return resource;
  }

  /** Every resource of one CloudFormation type, in template order. */
  resourcesOfType(...types: string[]): LocalResource[] {
    return Object.entries(this.template.Resources)
      .filter(([, resource]) => types.includes(resource.Type))
      .map(([logicalId, resource]) => ({
        logicalId,
        type: resource.Type,
        name: localNameOf(logicalId, resource),
        resource,
      }));
  }

  /** Logical id -> local name for every resource. */
  localNames(): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.template.Resources).map(([id, resource]) => [id, localNameOf(id, resource)]),
    );
  }

  nameOf(logicalId: string): string {
    return localNameOf(logicalId, this.resource(logicalId));
  }

  /** The one resource of a type whose logical id starts with a prefix (CDK appends a hash). */
  byPrefix(type: string, prefix: string): LocalResource {
    const found = this.resourcesOfType(type).filter((r) => r.logicalId.startsWith(prefix));
    if (found.length !== 1) {
      throw new TemplateError(
        `Expected one ${type} whose logical id starts with "${prefix}", found ${found.length}: ${found.map((r) => r.logicalId).join(', ') || 'none'}`,
      );
    }
    return found[0]!;
  }

  /** Evaluate the intrinsic functions in a value against the local names. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length !== 1 || !(keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
    }
    const [fn] = keys as [string];
    const arg = value[fn];
    switch (fn) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? (arg as string[]) : String(arg).split(/\.(.+)/);
        return getAttOf(this.env, id!, this.resource(id!), String(attribute));
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return (this.resolve(parts) as unknown[]).map(String).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return (this.resolve(list) as unknown[])[Number(this.resolve(index))];
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        return String(this.resolve(source)).split(separator);
      }
      case 'Fn::Sub':
        return this.sub(arg);
      default:
        throw new TemplateError(`${fn} is not supported by the offline run's template resolver`);
    }
  }

  /** A resource's `Ref` value, a pseudo parameter, or a parameter's default. */
  ref(name: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Region': this.env.region,
      'AWS::AccountId': this.env.accountId,
      'AWS::Partition': this.env.partition ?? 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.stackName,
      'AWS::StackId': `arn:${this.env.partition ?? 'aws'}:cloudformation:${this.env.region}:${this.env.accountId}:stack/${this.stackName}/local`,
      'AWS::NoValue': '',
    };
    if (name in pseudo) return pseudo[name]!;
    const parameter = this.template.Parameters?.[name];
    if (parameter !== undefined) {
      if (parameter.Default === undefined)
        throw new TemplateError(`Parameter ${name} has no default; the offline run cannot supply it`);
      return String(parameter.Default);
    }
    return refOf(this.env, name, this.resource(name));
  }

  private sub(arg: unknown): string {
    const [text, variables] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
    return text.replace(/\$\{(!?)([^}]+)\}/g, (_match, literal: string, expression: string) => {
      if (literal === '!') return `\${${expression}}`;
      if (expression in variables) return String(this.resolve(variables[expression]));
      const dot = expression.indexOf('.');
      if (dot > 0 && !expression.startsWith('AWS::')) {
        const id = expression.slice(0, dot);
        return getAttOf(this.env, id, this.resource(id), expression.slice(dot + 1));
      }
      return this.ref(expression);
    });
  }

  /** All Lambda functions with their resolved environments. */
  functions(): LocalFunction[] {
    return this.resourcesOfType('AWS::Lambda::Function').map((fn) => {
      const props = fn.resource.Properties ?? {};
      const variables = (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      const environment = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [key, String(this.resolve(value))]),
      );
      return {
        ...fn,
        handler: typeof props.Handler === 'string' ? props.Handler : undefined,
        environment,
        timeoutSeconds: typeof props.Timeout === 'number' ? props.Timeout : 3,
        memoryMB: typeof props.MemorySize === 'number' ? props.MemorySize : 128,
      };
    });
  }

  /** The one function whose logical id starts with a prefix (e.g. `GovernedRecognitionPolicy`). */
  functionByPrefix(prefix: string): LocalFunction {
    const { logicalId } = this.byPrefix('AWS::Lambda::Function', prefix);
    return this.functions().find((fn) => fn.logicalId === logicalId)!;
  }

  /** The redrive policy of a queue: its dead-letter queue and maxReceiveCount. */
  redrivePolicy(queueLogicalId: string): { deadLetterQueueLogicalId: string; maxReceiveCount: number } | undefined {
    const policy = this.resource(queueLogicalId).Properties?.RedrivePolicy as
      | { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown }
      | undefined;
    if (policy === undefined) return undefined;
    const target = policy.deadLetterTargetArn as { 'Fn::GetAtt'?: [string, string] } | undefined;
    const dlq = target?.['Fn::GetAtt']?.[0];
    if (dlq === undefined)
      throw new TemplateError(`Queue ${queueLogicalId} has a redrive policy whose target is not a queue of this stack`);
    return { deadLetterQueueLogicalId: dlq, maxReceiveCount: Number(policy.maxReceiveCount) };
  }

  /** SQS -> Lambda event source mappings of the template. */
  sqsEventSourceMappings(): LocalEventSourceMapping[] {
    return this.resourcesOfType('AWS::Lambda::EventSourceMapping').flatMap((mapping) => {
      const props = mapping.resource.Properties ?? {};
      const queue = (props.EventSourceArn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
      const fn = (props.FunctionName as { Ref?: string } | undefined)?.Ref;
      if (queue === undefined || fn === undefined || this.resource(queue).Type !== 'AWS::SQS::Queue') return [];
      return [
        {
          logicalId: mapping.logicalId,
          functionLogicalId: fn,
          queueLogicalId: queue,
          batchSize: typeof props.BatchSize === 'number' ? props.BatchSize : 10,
          reportBatchItemFailures:
            Array.isArray(props.FunctionResponseTypes) &&
            props.FunctionResponseTypes.includes('ReportBatchItemFailures'),
        },
      ];
    });
  }

  /** Buckets with their local names and whether the template versions them. */
  buckets(): (LocalResource & { readonly versioned: boolean })[] {
    return this.resourcesOfType('AWS::S3::Bucket').map((bucket) => ({
      ...bucket,
      versioned:
        (bucket.resource.Properties?.VersioningConfiguration as { Status?: string } | undefined)?.Status === 'Enabled',
    }));
  }
}
