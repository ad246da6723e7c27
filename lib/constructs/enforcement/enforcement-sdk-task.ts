/**
 * AWS SDK integration tasks written as plain ASL. The CDK's `CallAwsService` grants its action on
 * whatever resources it is given, without conditions; enforcement needs tag conditions and explicit
 * denies, so these tasks grant nothing and `enforcement-iam.ts` writes every statement by hand.
 */
import { Aws } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

/** Options of one SDK task. */
export interface SdkTaskOptions {
  /** Service as Step Functions spells it in the resource, e.g. `iam`, `scheduler`, `cloudwatch`. */
  readonly service: string;
  /** API action in camelCase, e.g. `putRolePolicy`. */
  readonly action: string;
  /** ASL `Parameters` (PascalCase API fields; keys ending in `.$` are JSONPaths). */
  readonly parameters: Record<string, unknown>;
  /** @default null (the result is discarded and the input passes on unchanged) */
  readonly resultPath?: string | null;
  readonly resultSelector?: Record<string, unknown>;
  readonly comment?: string;
}

/**
 * An SDK task state whose name is its construct id (that is what a reviewer reads in the console).
 *
 * @example
 * sdkTask(this, 'Put deny policy', { service: 'iam', action: 'putRolePolicy', parameters: { ... } });
 */
export const sdkTask = (scope: Construct, id: string, options: SdkTaskOptions): sfn.CustomState =>
  new sfn.CustomState(scope, id, {
    stateJson: {
      Type: 'Task',
      ...(options.comment !== undefined ? { Comment: options.comment } : {}),
      Resource: `arn:${Aws.PARTITION}:states:::aws-sdk:${options.service}:${options.action}`,
      Parameters: options.parameters,
      ...(options.resultSelector !== undefined ? { ResultSelector: options.resultSelector } : {}),
      ResultPath: options.resultPath === undefined ? null : options.resultPath,
    },
  });

/** States that can carry a Catch. */
type Catchable = sfn.TaskStateBase | sfn.CustomState | sfn.Map;

/**
 * Route every error not already handled to `handler`. Added last, so the specific catches a
 * state declares earlier (NoSuchEntity, ConditionalCheckFailed) still win.
 */
export const catchAllTo = (handler: sfn.IChainable, states: readonly Catchable[]): void => {
  for (const state of states) state.addCatch(handler, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
};
