/**
 * Reaching a deployed stack: its outputs through CloudFormation, and SDK clients for the
 * services behind them. Credentials and region come from the SDK's default chain (`--profile`
 * sets `AWS_PROFILE` for it, `--region` wins over the profile's); `AWS_ENDPOINT_URL_<SERVICE>`
 * is honoured by every client, which is how the tests point them at the offline stand-ins.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';

/** The stack could not be found or lacks an output the command needs: the user's to fix (exit 2). */
export class StackLookupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StackLookupError';
  }
}

export interface StackOptions {
  readonly stack: string;
  readonly profile?: string;
  readonly region?: string;
}

/** Adds `--stack`, `--profile` and `--region` to a command. */
export const stackOptions = (command: Command, required: boolean): Command => {
  const description = 'name of the deployed stack (its CloudFormation outputs name everything else)';
  (required ? command.requiredOption('--stack <name>', description) : command.option('--stack <name>', description))
    .option('--profile <name>', 'AWS profile (credentials and, unless --region is given, region)')
    .option('--region <region>', 'AWS Region of the stack');
  return command;
};

export interface DeployedStack {
  readonly name: string;
  readonly region: string | undefined;
  readonly outputs: Readonly<Record<string, string>>;
  /** The output's value, or a StackLookupError naming it. */
  output(key: string): string;
  readonly clients: {
    readonly s3: S3Client;
    readonly dynamodb: DynamoDBClient;
    readonly iam: IAMClient;
    readonly lambda: LambdaClient;
    readonly cloudwatch: CloudWatchClient;
  };
}

/** Whether an SDK error is IAM refusing the call (the names differ by service protocol). */
export const isAccessDenied = (error: unknown): boolean =>
  error instanceof Error &&
  ['AccessDenied', 'AccessDeniedException', 'KMSAccessDeniedException', 'UnauthorizedOperation'].includes(error.name);

/**
 * A stack whose outputs are already known (given on the command line), reached without
 * CloudFormation: an uploader role needs no `cloudformation:DescribeStacks`.
 *
 * @example
 * const stack = stackFromOutputs({ stack: 'GovernedRecognition' }, { IntakeBucketName: 'b', IntakeKeyArn: 'arn:…' });
 */
export const stackFromOutputs = (options: StackOptions, outputs: Readonly<Record<string, string>>): DeployedStack => {
  if (options.profile !== undefined) process.env.AWS_PROFILE = options.profile;
  const base = options.region !== undefined ? { region: options.region } : {};
  const local = process.env.GOVREC_S3_FORCE_PATH_STYLE === 'true';
  return {
    name: options.stack,
    region: options.region,
    outputs,
    output: (key) => {
      const value = outputs[key];
      if (value === undefined || value === '')
        throw new StackLookupError(
          `Stack ${options.stack} has no output ${key}: deploy this version of governed-recognition first`,
        );
      return value;
    },
    clients: {
      s3: new S3Client({
        ...base,
        // Only the local S3 stand-in needs path-style addressing and no streamed checksums.
        ...(local
          ? {
              forcePathStyle: true,
              requestChecksumCalculation: 'WHEN_REQUIRED' as const,
              responseChecksumValidation: 'WHEN_REQUIRED' as const,
            }
          : {}),
      }),
      dynamodb: new DynamoDBClient(base),
      iam: new IAMClient(base),
      lambda: new LambdaClient(base),
      cloudwatch: new CloudWatchClient(base),
    },
  };
};

/**
 * @example
 * const stack = await deployedStack({ stack: 'GovernedRecognition', profile: 'audit' });
 * stack.output('AuditTableName');
 */
export const deployedStack = async (options: StackOptions): Promise<DeployedStack> => {
  if (options.profile !== undefined) process.env.AWS_PROFILE = options.profile;
  const base = options.region !== undefined ? { region: options.region } : {};
  const cloudformation = new CloudFormationClient(base);
  let outputs: Record<string, string>;
  try {
    const found = await cloudformation.send(new DescribeStacksCommand({ StackName: options.stack }));
    const stack = found.Stacks?.[0];
    if (stack === undefined) throw new StackLookupError(`No stack named ${options.stack}`);
    outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  } catch (error) {
    if (error instanceof StackLookupError) throw error;
    const where = `stack ${options.stack}${options.region ? ` in ${options.region}` : ''}`;
    throw new StackLookupError(
      isAccessDenied(error)
        ? `Permission denied reading ${where}: these credentials${options.profile ? ` (profile ${options.profile})` : ''} may not call cloudformation:DescribeStacks on it (${(error as Error).message})`
        : `Could not read ${where}: ${(error as Error).message} (check --stack, --region and --profile)`,
      { cause: error },
    );
  } finally {
    cloudformation.destroy();
  }
  return stackFromOutputs(options, outputs);
};

/** Release the clients' sockets so the process can exit. */
export const closeStack = (stack: DeployedStack): void => {
  for (const client of Object.values(stack.clients)) client.destroy();
};
