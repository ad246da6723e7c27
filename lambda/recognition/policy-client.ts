/**
 * Asking the policy Lambda for a decision (synchronous Invoke) within a time limit. The answer is
 * returned as data, never trusted. Two kinds of failure, because they end differently:
 * - `unavailable`: the function could not answer (timeout, throttling, a 5xx, a function error such
 *   as an unrecorded decision or a refused policy set). Transient: the upload is kept and retried.
 * - `error`: it answered something that is not a Decision. A broken contract, not a blip.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Decision, PolicyRequest } from '../shared/decision';
import { parseDecision } from './decision-schema';
import { PolicyInvocationError, PolicyTimeoutError, PolicyUnavailableError } from './errors';

export type PolicyAnswer =
  | { readonly kind: 'decision'; readonly decision: Decision }
  | { readonly kind: 'unavailable'; readonly error: PolicyTimeoutError | PolicyUnavailableError }
  | { readonly kind: 'error'; readonly error: PolicyInvocationError };

export interface PolicyClientOptions {
  readonly functionName: string;
  readonly timeoutMs: number;
}

const decoder = new TextDecoder();

/**
 * Invoke the policy Lambda with `request` and classify the answer.
 *
 * @example
 * const answer = await askPolicy(lambda, { functionName, timeoutMs: 5000 }, request);
 * if (answer.kind === 'decision') verifyAllow(answer.decision, subject);
 */
export const askPolicy = async (
  client: LambdaClient,
  options: PolicyClientOptions,
  request: PolicyRequest,
): Promise<PolicyAnswer> => {
  const signal = AbortSignal.timeout(options.timeoutMs);
  // The race does not depend on the SDK honouring the abort: the deadline holds either way.
  const deadline = new Promise<'timeout'>((resolve) => {
    if (signal.aborted) resolve('timeout');
    signal.addEventListener('abort', () => resolve('timeout'), { once: true });
  });
  const timeout = (): PolicyAnswer => ({
    kind: 'unavailable',
    error: new PolicyTimeoutError(
      `policy function ${options.functionName} did not answer within ${options.timeoutMs} ms`,
    ),
  });
  try {
    // Promise.resolve: a stubbed client may answer synchronously (or throw), the race needs a promise.
    const invocation = Promise.resolve().then(() =>
      client.send(
        new InvokeCommand({
          FunctionName: options.functionName,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify(request)),
        }),
        { abortSignal: signal },
      ),
    );
    invocation.catch(() => undefined); // a late rejection after the deadline must not go unhandled
    const response = await Promise.race([invocation, deadline]);
    if (response === 'timeout') return timeout();
    const text = response.Payload === undefined ? '' : decoder.decode(response.Payload);
    if (response.FunctionError !== undefined) {
      return {
        kind: 'unavailable',
        error: new PolicyUnavailableError(`policy function error (${response.FunctionError}): ${text.slice(0, 500)}`),
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      return { kind: 'error', error: new PolicyInvocationError('policy payload is not JSON', { cause }) };
    }
    const decision = parseDecision(json);
    if (decision === undefined)
      return { kind: 'error', error: new PolicyInvocationError('policy payload is not a Decision') };
    return { kind: 'decision', decision };
  } catch (cause) {
    if (signal.aborted || (cause as Error).name === 'AbortError' || (cause as Error).name === 'TimeoutError')
      return timeout();
    return {
      kind: 'unavailable',
      error: new PolicyUnavailableError(
        `policy invocation failed: ${(cause as Error).name}: ${(cause as Error).message}`,
        {
          cause,
        },
      ),
    };
  }
};
