/**
 * The offline stand-ins the governance-overhead benchmark runs against, wired from the
 * synthesized template as the offline run wires them: s3rver (versioned buckets), dynalite
 * (audit and idempotency tables), the local Lambda endpoint serving the real policy handler, and
 * the local IAM registry over the IAM Query protocol (the policy Lambda resolves callers there).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { loadConfig, type RecognitionConfig } from '../../lambda/recognition/config';
import { logger } from '../../lambda/shared/powertools';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../local/dynamodb';
import { applyEnvironment, handlerEnvironment } from '../../local/handler-env';
import { LocalIamRegistry } from '../../local/iam/registry';
import { type LocalIamEndpoint, startIamEndpoint } from '../../local/iam/server';
import { type LambdaEndpoint, startLambdaEndpoint } from '../../local/lambda-endpoint';
import { type LocalS3, startLocalS3 } from '../../local/s3';
import { LocalTemplate } from '../../local/template';
import { BenchSetupError } from '../lib/errors';
import { exampleGovernance, REPO_ROOT } from '../lib/repo';

export const ACCOUNT = '111111111111';
export const REGION = 'us-east-1';

export interface StandIns {
  readonly s3: LocalS3;
  readonly ddb: LocalDynamoDb;
  readonly lambda: LambdaEndpoint;
  readonly iam: LocalIamRegistry;
  /** The recognition worker's configuration, read by its own config module from the template's environment. */
  readonly worker: RecognitionConfig;
  readonly intakeBucket: string;
  /** The event source mapping's batch size from the template (messages per worker invocation). */
  readonly batchSize: number;
  readonly policyFunctionName: string;
  /** Role id of each registered role ARN (the local IAM registry assigns them). */
  readonly roleIdOf: (arn: string) => string;
  stop(): Promise<void>;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Start everything; the environment stays applied until `stop()`. */
export const startStandIns = async (): Promise<StandIns> => {
  const cdkOut = join(REPO_ROOT, 'cdk.out');
  if (!existsSync(join(cdkOut, 'manifest.json')))
    throw new BenchSetupError('cdk.out is missing: run CDK_DISABLE_VERSION_CHECK=1 npx cdk synth --quiet first');
  const stack = LocalTemplate.fromCdkOut(cdkOut, { region: REGION, accountId: ACCOUNT });
  const { json, settings } = exampleGovernance();
  const iam = new LocalIamRegistry(ACCOUNT, () => new Date());
  for (const org of settings.organisations) {
    for (const arn of org.roleArns) iam.addRole(arn, { 'govrec:category': org.category });
  }

  const [s3, ddb, lambda, iamEndpoint]: [LocalS3, LocalDynamoDb, LambdaEndpoint, LocalIamEndpoint] = await Promise.all([
    startLocalS3({ buckets: stack.buckets().map((b) => ({ name: b.name, versioned: b.versioned })), region: REGION }),
    startLocalDynamoDb({ template: stack, region: REGION }),
    startLambdaEndpoint({ accountId: ACCOUNT, region: REGION }),
    startIamEndpoint(iam),
  ]);
  const standIns = [s3.env, ddb.env, lambda.env, { AWS_ENDPOINT_URL_IAM: iamEndpoint.endpoint, AWS_REGION: REGION }];
  // No AWS_MAX_ATTEMPTS: the clients keep the SDK's default retries, as deployed (the Rekognition
  // client has its own maxAttempts of 1 in the product code).
  const overrides = {
    GOVREC_SETTINGS: JSON.stringify(json),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const policyFn = stack.functionByPrefix('GovernedRecognitionPolicy');
  const workerFn = stack.functionByPrefix('GovernedRecognitionRecognitionWorker');
  // Handler config modules read the environment once, at first import: apply, then require.
  const restores = [applyEnvironment(handlerEnvironment(policyFn, standIns, overrides))];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const policyHandler = (require('../../lambda/decision/handler') as { handler: Handler }).handler;
  lambda.register(policyFn.name, { handler: policyHandler, timeoutMs: policyFn.timeoutSeconds * 1000 });
  restores.push(applyEnvironment(handlerEnvironment(workerFn, standIns, overrides)));
  const worker = loadConfig();
  logger.setLogLevel('SILENT');

  const intake = stack.buckets().find((b) => b.logicalId.startsWith('GovernedRecognitionIntake'));
  if (intake === undefined) throw new BenchSetupError('no intake bucket in the template');
  return {
    s3,
    ddb,
    lambda,
    iam,
    worker,
    intakeBucket: intake.name,
    batchSize: stack.sqsEventSourceMappings()[0]?.batchSize ?? 10,
    policyFunctionName: policyFn.name,
    roleIdOf: (arn) => iam.roleByArn(arn)?.roleId ?? '',
    async stop() {
      await Promise.all([s3.stop(), ddb.stop(), lambda.stop(), iamEndpoint.stop()]);
      for (const restore of restores.reverse()) restore();
    },
  };
};
