/** Lambda entry point listing roles for the sweep and restore workflows (IAM reads only). */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger, tracer } from '../../shared/powertools';
import { loadPlanDeps } from './config';
import { type RolesRequest, runRolesStep } from './dispatch';
import type { RestorePlan, SweepPlan } from './plan';

const deps = loadPlanDeps();

const lambdaHandler = async (request: RolesRequest): Promise<SweepPlan | RestorePlan> => {
  const plan = await runRolesStep(request, deps);
  logger.info('roles step', { action: request.action, trigger: request.trigger, plan });
  return plan;
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger));
