/**
 * The policy decision point, invoked synchronously by the recognition Lambda with a
 * PolicyRequest; returns the recorded Decision. Throws (so the caller sees POLICY_ERROR) only
 * when the decision could not be recorded.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger } from '../shared/audit';
import { runtimeClock } from '../shared/clock';
import type { Decision } from '../shared/decision';
import { logger, metrics, tracer } from '../shared/powertools';
import { CedarEngine, type PolicyEvaluator, unavailableEngine } from './cedar-engine';
import { loadPolicyConfig } from './config';
import { PolicySetError } from './errors';
import { IdentityResolver } from './identity';
import { POLICY_METRICS } from './metric-names';
import { type DecideAndRecordDeps, decideAndRecord } from './record';

const config = loadPolicyConfig();

/**
 * Parsed once per container: a decision never re-reads or re-parses the policies. If they cannot
 * be loaded, or lack the moratorium rules (REQUIRED_POLICY_IDS), the function still starts but
 * refuses every request with an error and the PolicySetUnavailable metric (alarmed): nothing is
 * recorded, so the worker keeps the upload in intake and retries until the fix is deployed.
 */
let engineFailure: unknown;
const loadEngine = (): PolicyEvaluator => {
  try {
    return CedarEngine.load();
  } catch (error) {
    engineFailure = error;
    logger.critical('Cedar policies could not be loaded; refusing to decide', { error: error as Error });
    return unavailableEngine(error);
  }
};
const engine = loadEngine();
const iam = tracer.captureAWSv3Client(new IAMClient({}));
const ledger = new AuditLedger(
  DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), AUDIT_TRANSLATE_CONFIG),
  config.auditTableName,
);

/**
 * Built at module load and warmed up in Lambda's init phase, so the first request awaits a load
 * already under way rather than starting one inside its policy timeout. The account is not known
 * before the first invocation: the resolver learns it from IAM's answers (see role-loader.ts).
 */
const identity = new IdentityResolver({
  iam,
  settings: config.settings,
  clock: runtimeClock,
  cacheTtlSeconds: config.identityCacheTtlSeconds,
  restrictedTag: config.restrictedTag,
  listRolesAbove: config.identityListRolesAbove,
  log: (message, details) => logger.warn(message, details),
});
identity.warmUp();

const deps: DecideAndRecordDeps = {
  settings: config.settings,
  engine,
  identity,
  // The offline run installs its simulated clock here (lambda/shared/clock.ts).
  clock: runtimeClock,
  ledger,
  metrics,
  logger,
};

export const lambdaHandler = async (event: unknown, _context: Context): Promise<Decision> => {
  if (engineFailure !== undefined) {
    metrics.addMetric(POLICY_METRICS.policySetUnavailable, MetricUnit.Count, 1);
    throw new PolicySetError(`refusing to decide: ${(engineFailure as Error).message}`, { cause: engineFailure });
  }
  const decision = await decideAndRecord(event, deps);
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
