/**
 * The policy decision point, invoked synchronously by the recognition Lambda with a
 * PolicyRequest; returns the recorded Decision. Throws (so the caller sees POLICY_ERROR) only
 * when the decision could not be recorded.
 */
import middy from '@middy/core';
import { IAMClient } from '@aws-sdk/client-iam';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger } from '../shared/audit';
import type { Decision } from '../shared/decision';
import { systemClock } from '../shared/moratorium';
import { logger, metrics, tracer } from '../shared/powertools';
import { CedarEngine, unavailableEngine, type PolicyEvaluator } from './cedar-engine';
import { loadPolicyConfig } from './config';
import { IdentityResolver } from './identity';
import { decideAndRecord, type DecideAndRecordDeps } from './record';

const config = loadPolicyConfig();

/**
 * Parsed once per container: a decision never re-reads or re-parses the policies. If they cannot
 * be loaded the function still starts, and every request becomes a recorded POLICY_ERROR denial.
 */
const loadEngine = (): PolicyEvaluator => {
  try {
    return CedarEngine.load();
  } catch (error) {
    logger.critical('Cedar policies could not be loaded; every decision will be a denial', { error: error as Error });
    return unavailableEngine(error);
  }
};
const engine = loadEngine();
const iam = tracer.captureAWSv3Client(new IAMClient({}));
const ledger = new AuditLedger(
  DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), AUDIT_TRANSLATE_CONFIG),
  config.auditTableName,
);

let identity: IdentityResolver | undefined;
/** Built on first use, when the account is known from the function ARN (roles of other accounts are skipped). */
const identityFor = (context: Context): IdentityResolver => {
  identity ??= new IdentityResolver({
    iam,
    settings: config.settings,
    clock: systemClock,
    cacheTtlSeconds: config.identityCacheTtlSeconds,
    restrictedTag: config.restrictedTag,
    accountId: context.invokedFunctionArn?.split(':')[4],
    log: (message, details) => logger.warn(message, details),
  });
  return identity;
};

const deps = (context: Context): DecideAndRecordDeps => ({
  settings: config.settings,
  engine,
  identity: identityFor(context),
  clock: systemClock,
  ledger,
  metrics,
  logger,
});

export const lambdaHandler = async (event: unknown, context: Context): Promise<Decision> => {
  const decision = await decideAndRecord(event, deps(context));
  // Searchable in X-Ray: which traces were denials, and why.
  tracer.putAnnotation('effect', decision.effect);
  tracer.putAnnotation('reason', decision.reason);
  tracer.putAnnotation('decisionId', decision.decisionId);
  return decision;
};

export const handler = middy(lambdaHandler)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
