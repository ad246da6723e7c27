/**
 * Where the app's inputs come from: the configuration file and the deployment environment.
 * Pure functions of their arguments, so `bin/app.ts` stays a wiring file and tests need no env.
 */
import type { Environment } from 'aws-cdk-lib';
import { accountOfArn } from '../lambda/shared/arn';
import type { AppConfig } from './config/app-config';
import { InfrastructureError } from './errors';

/** The configuration used when neither `GOVREC_CONFIG` nor `-c config=<path>` is given. */
export const DEFAULT_CONFIG_PATH = 'config/governance.json';

/** The region used when the CDK CLI has none (no profile, no `AWS_REGION`), so synth still works. */
export const FALLBACK_REGION = 'us-east-1';

/**
 * The configuration path: `GOVREC_CONFIG` wins over the `config` context, then the default.
 *
 * @example
 * configPath(process.env, app.node.tryGetContext('config')) // 'config/governance.json'
 */
export const configPath = (env: NodeJS.ProcessEnv, contextValue: unknown): string => {
  const fromEnv = env.GOVREC_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (typeof contextValue === 'string' && contextValue !== '') return contextValue;
  return DEFAULT_CONFIG_PATH;
};

/**
 * The explicit stack environment: the CLI's account and region when it has them (credentials or
 * a profile), otherwise the account of the first registered role, so `cdk synth` works with no
 * credentials and the IAM statements that compare accounts still have one to compare.
 */
export const deploymentEnvironment = (
  config: AppConfig,
  env: NodeJS.ProcessEnv,
): Required<Pick<Environment, 'account' | 'region'>> => {
  const firstRole = config.governance.organisations.flatMap((org) => org.roleArns)[0];
  const registryAccount = firstRole === undefined ? undefined : accountOfArn(firstRole);
  const account = env.CDK_DEFAULT_ACCOUNT ?? registryAccount;
  if (account === undefined)
    throw new InfrastructureError(
      'No account to deploy to: set CDK_DEFAULT_ACCOUNT (or use an AWS profile) or register at least one role ARN',
    );
  return { account, region: env.CDK_DEFAULT_REGION ?? FALLBACK_REGION };
};
