/**
 * Asking the policy Lambda for a decision (synchronous Invoke) within a time limit. The answer is
 * returned as data, never trusted: timeouts, function errors and unreadable payloads each come
 * back as their own kind so the caller can record the matching denial.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Decision, PolicyRequest } from '../shared/decision';
import { parseDecision } from './decision-schema';
import { PolicyInvocationError, PolicyTimeoutError } from './errors';

export type PolicyAnswer =
  | { readonly kind: 'decision'; readonly decision: Decision }
  | { readonly kind: 'timeout'; readonly error: PolicyTimeoutError }
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
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // The race does not depend on the SDK honouring the abort: the deadline holds either way.
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('timeout');
    }, options.timeoutMs);
  });
  const timeout = (): PolicyAnswer => ({
    kind: 'timeout',
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
        { abortSignal: controller.signal },
      ),
    );
    invocation.catch(() => undefined); // a late rejection after the deadline must not go unhandled
    const response = await Promise.race([invocation, deadline]);
    if (response === 'timeout') return timeout();
    const text = response.Payload === undefined ? '' : decoder.decode(response.Payload);
    if (response.FunctionError !== undefined) {
      return {
        kind: 'error',
        error: new PolicyInvocationError(`policy function error (${response.FunctionError}): ${text.slice(0, 500)}`),
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
    if (controller.signal.aborted || (cause as Error).name === 'AbortError' || (cause as Error).name === 'TimeoutError')
      return timeout();
    return {
      kind: 'error',
      error: new PolicyInvocationError(`policy invocation failed: ${(cause as Error).message}`, { cause }),
    };
  } finally {
    clearTimeout(timer);
  }
};
