/**
 * Running the synthesized Step Functions definitions offline: extract plain ASL from a template,
 * execute it with aws-local-stepfunctions, bind tasks to local code.
 */

export { dynamoDbService, UnsupportedDynamoDbActionError } from './dynamodb-binding';
export { type EnforcementLocalDeps, enforcementBindings, UnknownLocalFunctionError } from './enforcement-bindings';
export {
  AslExtractionError,
  extractStateMachines,
  LOCAL_ENV,
  type PlaceholderEnv,
  placeholderArn,
  resolveTemplateValue,
  stateMachineByPrefix,
  type TemplateJson,
} from './extract';
export { FakeAws } from './fake-aws';
export { FakeIam, type FakeRole, type IamCall, sfnError } from './fake-iam';
export {
  handlerFor,
  type Json,
  type LocalRunOptions,
  type LocalRunResult,
  runLocally,
  type TaskBindings,
} from './runner';
