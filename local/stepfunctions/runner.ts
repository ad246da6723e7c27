/**
 * Run a synthesized state machine locally with aws-local-stepfunctions, binding every Task to
 * local code by its Resource: Lambda tasks to in-process handlers, AWS SDK and optimized
 * integrations to a service double. The definition is not changed, so what runs here is what
 * deploys.
 */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

/** Any JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** How Task resources are served locally. */
export interface TaskBindings {
  /** A Lambda function, by the function ARN (or name) in the definition. */
  readonly lambda: (functionArn: string, payload: Json) => Promise<Json> | Json;
  /**
   * An AWS service call: `aws-sdk:<service>:<action>` (SDK integration, e.g. `iam`, `putRolePolicy`)
   * or an optimized integration (`dynamodb`, `putItem`; `sns`, `publish`; `states`, `startExecution`).
   * Throw an error whose `name` is the Step Functions error name (`Iam.NoSuchEntityException`) to fail the task.
   */
  readonly service: (
    service: string,
    action: string,
    parameters: Json,
    integration: 'aws-sdk' | 'optimized',
  ) => Promise<Json> | Json;
}

/** Options of one local execution. */
export interface LocalRunOptions {
  /** ARN the context object reports as `$$.StateMachine.Id`. */
  readonly stateMachineArn: string;
  /** Execution name, for `$$.Execution.Id`. @default 'local' */
  readonly executionName?: string;
}

/** The outcome of a local execution, with the states it went through in order. */
export interface LocalRunResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: Json;
  readonly error?: { readonly name: string; readonly message: string };
  readonly executionArn: string;
  /** Names of the states entered, in order (Map iterations included). */
  readonly statesEntered: string[];
}

type States = Record<
  string,
  {
    Type: string;
    Resource?: string;
    ItemProcessor?: { States: States };
    Iterator?: { States: States };
    Branches?: { States: States }[];
  }
>;

const taskStates = (states: States): [string, string][] =>
  Object.entries(states).flatMap(([name, state]) => [
    ...(state.Type === 'Task' && typeof state.Resource === 'string'
      ? [[name, state.Resource] as [string, string]]
      : []),
    ...taskStates((state.ItemProcessor ?? state.Iterator)?.States ?? {}),
    ...(state.Branches ?? []).flatMap((branch) => taskStates(branch.States)),
  ]);

/** Bind one Task resource to local code. */
export const handlerFor = (resource: string, bindings: TaskBindings): ((input: Json) => Promise<Json>) => {
  const sdk = /^arn:aws[a-z-]*:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(resource);
  if (sdk !== null) return async (input) => bindings.service(sdk[1]!, sdk[2]!, input, 'aws-sdk');
  if (/^arn:aws[a-z-]*:states:::lambda:invoke$/.test(resource)) {
    return async (input) => {
      const { FunctionName, Payload } = input as { FunctionName: string; Payload: Json };
      return { StatusCode: 200, Payload: await bindings.lambda(FunctionName, Payload) };
    };
  }
  if (/^arn:aws[a-z-]*:lambda:/.test(resource)) return async (input) => bindings.lambda(resource, input);
  const optimized = /^arn:aws[a-z-]*:states:::([a-z0-9]+):([A-Za-z0-9]+)(?:\.\w+)?$/.exec(resource);
  if (optimized !== null) return async (input) => bindings.service(optimized[1]!, optimized[2]!, input, 'optimized');
  return async () => {
    throw Object.assign(new Error(`No local binding for Task resource ${resource}`), { name: 'Local.UnboundResource' });
  };
};

/**
 * Execute a definition locally.
 *
 * @example
 * const result = await runLocally(definition, event, bindings, { stateMachineArn });
 * result.statesEntered // ['Identify role', 'Role of this account in the window?', ...]
 */
export const runLocally = async (
  definition: Record<string, unknown>,
  input: Json,
  bindings: TaskBindings,
  options: LocalRunOptions,
): Promise<LocalRunResult> => {
  const asl = definition as unknown as StateMachineDefinition;
  const overrides = Object.fromEntries(
    taskStates(asl.States as unknown as States).map(([name, resource]) => [name, handlerFor(resource, bindings)]),
  );
  const machine = new StateMachine(asl, { validationOptions: { noValidate: true } });
  const executionArn = `${options.stateMachineArn.replace(':stateMachine:', ':execution:')}:${options.executionName ?? 'local'}`;
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: overrides as never },
    context: {
      Execution: { Id: executionArn, Name: options.executionName ?? 'local' },
      StateMachine: { Id: options.stateMachineArn, Name: options.stateMachineArn.split(':').pop() },
    },
  });
  const statesEntered: string[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') statesEntered.push((event as { state: { name: string } }).state.name);
    }
  })();
  try {
    const output = (await execution.result) as Json;
    await collecting;
    return { status: 'SUCCEEDED', output, executionArn, statesEntered };
  } catch (error) {
    await collecting.catch(() => undefined);
    const cause = (error as { cause?: { name?: string; message?: string } }).cause;
    return {
      status: 'FAILED',
      error: { name: cause?.name ?? (error as Error).name, message: cause?.message ?? (error as Error).message },
      executionArn,
      statesEntered,
    };
  }
};
