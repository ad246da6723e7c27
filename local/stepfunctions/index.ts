/**
 * Running the synthesized Step Functions definitions offline: extract plain ASL from a template,
 * execute it with aws-local-stepfunctions (polyfilled for Node 20), bind tasks to local code.
 */
export {
  AslExtractionError,
  LOCAL_ENV,
  extractStateMachines,
  placeholderArn,
  resolveTemplateValue,
  stateMachineByPrefix,
  type PlaceholderEnv,
  type TemplateJson,
} from './extract';
export {
  handlerFor,
  runLocally,
  type Json,
  type LocalRunOptions,
  type LocalRunResult,
  type TaskBindings,
} from './runner';
export { FakeAws } from './fake-aws';
export { FakeIam, sfnError, type FakeRole, type IamCall } from './fake-iam';
export { dynamoDbService, UnsupportedDynamoDbActionError } from './dynamodb-binding';
export { enforcementBindings, UnknownLocalFunctionError, type EnforcementLocalDeps } from './enforcement-bindings';
