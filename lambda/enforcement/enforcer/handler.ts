/**
 * Lambda entry point of the enforcer: pure decisions for the EnforceRole workflow. It makes no
 * AWS calls; every IAM, DynamoDB and SNS write is a Step Functions task, visible in the console.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger, tracer } from '../../shared/powertools';
import { loadEnforcerDeps } from './config';
import { type EnforcerRequest, runEnforcerStep } from './dispatch';
import type { Assessment } from './types';

const deps = loadEnforcerDeps();

const lambdaHandler = async (request: EnforcerRequest): Promise<Assessment> => {
  const result = runEnforcerStep(request, deps);
  logger.info('enforcer step', {
    action: request.action,
    roleArn: result.subject.roleArn,
    next: result.next,
    recordAction: result.record.action,
  });
  return result;
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger));
