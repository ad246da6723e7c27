/**
 * Fault injection at the AWS SDK client boundary, for every client in this process: each
 * `client.send` passes through `Client.prototype.send` of @smithy/core, so one hook sees the
 * worker's S3, DynamoDB, Lambda and Rekognition calls and the policy function's IAM and DynamoDB
 * calls, above the SDK's own retries (an injected fault is a call whose retries all failed).
 *
 * A fault is a throttle, a 5xx or a timeout, before the call (nothing happened) or after it (it
 * happened, the answer was lost). A crash kills the worker's invocation at a step: that call and
 * every later one of the same invocation fail, as if the process had died.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Client } from '@smithy/core/client';

/** Who makes a call: the worker, the policy function (another process on AWS) or the test itself. */
export type Caller = 'worker' | 'policy' | 'observer';

export type FaultKind = 'throttle' | 'server' | 'timeout';

/** One AWS call as the hook sees it. */
export interface SdkCall {
  readonly caller: Caller;
  readonly client: string;
  readonly command: string;
  readonly input: Record<string, unknown>;
}

export interface FaultPlan {
  /** A fault for this call, or undefined to let it through. `index` counts calls of the scenario from 0. */
  faultFor(call: SdkCall, index: number): { readonly kind: FaultKind; readonly after: boolean } | undefined;
  /** Whether the worker's invocation dies at this call (before it is made). */
  crashAt(call: SdkCall, index: number): boolean;
}

/** An answer the hook gives instead of the service (the Rekognition stand-in), or undefined to pass through. */
export type Responder = (call: SdkCall) => Promise<unknown> | undefined;
/** Checks run before a call passes (e.g. an invariant about deleting intake versions). */
export type Observer = (call: SdkCall) => Promise<void>;

/** Thrown by every worker call after a simulated crash. */
export class SimulatedCrash extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatedCrash';
  }
}

const faultError = (kind: FaultKind, call: SdkCall): Error => {
  if (kind === 'timeout') return Object.assign(new Error(`${call.command} timed out`), { name: 'TimeoutError' });
  if (kind === 'server')
    return Object.assign(new Error(`${call.command}: internal error`), {
      name: call.client === 'S3Client' ? 'InternalError' : 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
  const name =
    call.client === 'LambdaClient'
      ? 'TooManyRequestsException'
      : call.client.startsWith('DynamoDB')
        ? 'ProvisionedThroughputExceededException'
        : call.client === 'S3Client'
          ? 'SlowDown'
          : 'ThrottlingException';
  return Object.assign(new Error(`${call.command}: rate exceeded`), { name, $metadata: { httpStatusCode: 400 } });
};

/**
 * The hook. `run(caller, fn)` tags the calls `fn` makes; untagged calls count as the worker's.
 *
 * @example
 * const hook = installFaultHook();
 * hook.arm(plan); await hook.run('worker', () => handler(event, context)); hook.disarm();
 */
export const installFaultHook = () => {
  const original = Client.prototype.send;
  const callers = new AsyncLocalStorage<Caller>();
  let plan: FaultPlan | undefined;
  let responder: Responder = () => undefined;
  let observer: Observer = async () => undefined;
  let index = 0;
  let crashed = false;
  let crashes = 0;
  const calls: SdkCall[] = [];

  const passThrough = original as unknown as (this: unknown, ...args: unknown[]) => Promise<unknown>;
  (Client.prototype as unknown as { send: unknown }).send = async function send(
    this: object,
    command: { constructor: { name: string }; input?: unknown },
    ...rest: unknown[]
  ) {
    const call: SdkCall = {
      caller: callers.getStore() ?? 'worker',
      client: this.constructor.name,
      command: command.constructor.name,
      input: (command.input ?? {}) as Record<string, unknown>,
    };
    if (call.caller === 'observer') return passThrough.call(this, command, ...rest);
    calls.push(call);
    const at = index++;
    if (call.caller === 'worker') {
      if (crashed) throw new SimulatedCrash(`the invocation died before ${call.command}`);
      if (plan?.crashAt(call, at) === true) {
        crashed = true;
        crashes += 1;
        throw new SimulatedCrash(`the invocation dies before ${call.command}`);
      }
    }
    const fault = plan?.faultFor(call, at);
    if (fault !== undefined && !fault.after) throw faultError(fault.kind, call);
    await observer(call);
    const answer = responder(call);
    const result = answer !== undefined ? await answer : await passThrough.call(this, command, ...rest);
    if (fault !== undefined) throw faultError(fault.kind, call);
    return result;
  };

  return {
    /** Run `fn` with its AWS calls attributed to `caller`. */
    run: <T>(caller: Caller, fn: () => Promise<T>): Promise<T> => callers.run(caller, fn),
    arm: (next: FaultPlan) => {
      plan = next;
      index = 0;
      calls.length = 0;
    },
    disarm: () => {
      plan = undefined;
    },
    /** A new invocation: a crash of the last one is over. Returns whether it had crashed. */
    newInvocation: (): boolean => {
      const was = crashed;
      crashed = false;
      return was;
    },
    setResponder: (next: Responder) => {
      responder = next;
    },
    setObserver: (next: Observer) => {
      observer = next;
    },
    get crashes() {
      return crashes;
    },
    calls,
    uninstall: () => {
      Client.prototype.send = original;
    },
  };
};

export type FaultHook = ReturnType<typeof installFaultHook>;
