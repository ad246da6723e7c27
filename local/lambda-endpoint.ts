/**
 * A local Lambda Invoke API. The recognition handler calls the policy function with the unchanged
 * `@aws-sdk/client-lambda`; pointing `AWS_ENDPOINT_URL_LAMBDA` here makes that call run the policy
 * handler module in this process, through the same wire protocol (status codes, the
 * `X-Amz-Function-Error` header, the `{errorType, errorMessage}` body) that Lambda uses.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { LocalServerError } from './errors';

/** Any Lambda handler: the middy-wrapped export of `lambda/<name>/handler.ts` fits. */
export type InProcessHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface RegisteredFunction {
  readonly handler: InProcessHandler;
  /** Reported by `context.getRemainingTimeInMillis()`; a longer run answers Sandbox.Timedout. @default 30000 */
  readonly timeoutMs?: number;
  /** @default 1024 */
  readonly memoryLimitInMB?: number;
}

/** One invocation, as the endpoint saw it (tests count these). */
export interface InvocationRecord {
  readonly functionName: string;
  readonly invocationType: string;
  readonly payload: unknown;
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
}

export interface LambdaEndpointOptions {
  readonly region?: string;
  readonly accountId?: string;
}

/** A running endpoint. */
export interface LambdaEndpoint {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** `{ AWS_ENDPOINT_URL_LAMBDA }` for the calling handler's environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly invocations: readonly InvocationRecord[];
  register(functionName: string, fn: RegisteredFunction | InProcessHandler): void;
  /**
   * Invoke a registered function in-process, as an event source mapping would (same context,
   * timeout and invocation record as over HTTP); resolves its result or rejects with its error.
   */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** `name`, `name:alias`, a partial or a full ARN -> the function name. */
export const functionNameOf = (raw: string): string => {
  const decoded = decodeURIComponent(raw);
  const arn = /^(?:arn:aws[a-z-]*:lambda:[^:]*:\d{12}:function:|\d{12}:function:)([^:]+)/.exec(decoded);
  return arn?.[1] ?? decoded.split(':')[0]!;
};

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const sendJson = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void => {
  const text = body === undefined ? 'null' : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', ...headers });
  response.end(text);
};

// Lambda's own error shape (restJson1): the SDK maps `x-amzn-errortype` to the exception class.
const sendServiceError = (response: ServerResponse, status: number, type: string, message: string): void => {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ Type: 'User', message }));
};

const errorBody = (error: unknown): { errorType: string; errorMessage: string; trace: string[] } => {
  const err = error instanceof Error ? error : new Error(String(error));
  return { errorType: err.name, errorMessage: err.message, trace: (err.stack ?? '').split('\n') };
};

/**
 * Start the endpoint on 127.0.0.1 and a random port.
 *
 * @example
 * const lambda = await startLambdaEndpoint();
 * lambda.register('PolicyFunction', policyHandler);
 * process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.endpoint;
 */
export const startLambdaEndpoint = async (options: LambdaEndpointOptions = {}): Promise<LambdaEndpoint> => {
  const region = options.region ?? process.env.AWS_REGION ?? 'eu-west-1';
  const accountId = options.accountId ?? '000000000000';
  const functions = new Map<string, Required<RegisteredFunction>>();
  const invocations: InvocationRecord[] = [];
  let requestCount = 0;

  const contextFor = (functionName: string, fn: Required<RegisteredFunction>, deadline: number): Context => {
    requestCount += 1;
    const requestId = createHash('sha256').update(`${functionName}#${requestCount}`).digest('hex');
    return {
      callbackWaitsForEmptyEventLoop: false,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
      memoryLimitInMB: String(fn.memoryLimitInMB),
      awsRequestId: `${requestId.slice(0, 8)}-${requestId.slice(8, 12)}-${requestId.slice(12, 16)}-${requestId.slice(16, 20)}-${requestId.slice(20, 32)}`,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'local/[$LATEST]offline',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  };

  const run = async (
    functionName: string,
    fn: Required<RegisteredFunction>,
    event: unknown,
  ): Promise<{ result?: unknown; error?: unknown }> => {
    const context = contextFor(functionName, fn, Date.now() + fn.timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`Task timed out after ${(fn.timeoutMs / 1000).toFixed(2)} seconds`);
        error.name = 'Sandbox.Timedout';
        reject(error);
      }, fn.timeoutMs);
    });
    try {
      return { result: await Promise.race([fn.handler(event, context), timeout]) };
    } catch (error) {
      return { error };
    } finally {
      clearTimeout(timer);
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = INVOKE_PATH.exec(url.pathname);
    if (request.method !== 'POST' || match === null)
      return sendServiceError(
        response,
        404,
        'UnknownOperationException',
        `${request.method} ${url.pathname} is not implemented locally`,
      );
    const functionName = functionNameOf(match[1]!);
    const fn = functions.get(functionName);
    const body = await readBody(request);
    if (fn === undefined)
      return sendServiceError(
        response,
        404,
        'ResourceNotFoundException',
        `Function not found: arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
      );
    let event: unknown = {};
    try {
      if (body.length > 0) event = JSON.parse(body.toString('utf8'));
    } catch {
      return sendServiceError(
        response,
        400,
        'InvalidRequestContentException',
        'Could not parse request body into json',
      );
    }
    const invocationType = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (invocationType === 'DryRun') {
      response.writeHead(204).end();
      return;
    }
    if (invocationType === 'Event') {
      response.writeHead(202).end();
      const { error } = await run(functionName, fn, event);
      invocations.push({
        functionName,
        invocationType,
        payload: event,
        ...(error !== undefined ? { error: errorBody(error) } : {}),
      });
      return;
    }
    const { result, error } = await run(functionName, fn, event);
    if (error !== undefined) {
      const body = errorBody(error);
      invocations.push({
        functionName,
        invocationType,
        payload: event,
        error: { errorType: body.errorType, errorMessage: body.errorMessage },
      });
      // A function error is still HTTP 200: the caller learns of it from this header only.
      return sendJson(response, 200, body, { 'x-amz-function-error': 'Unhandled' });
    }
    invocations.push({ functionName, invocationType, payload: event });
    return sendJson(response, 200, result);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendServiceError(response, 500, 'ServiceException', errorBody(error).errorMessage);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new LocalServerError('Lambda endpoint did not start', { cause: error })));
    server.listen(0, '127.0.0.1', resolve);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    env: { AWS_ENDPOINT_URL_LAMBDA: endpoint },
    invocations,
    register: (functionName, fn) => {
      const spec = typeof fn === 'function' ? { handler: fn } : fn;
      functions.set(functionName, { timeoutMs: 30_000, memoryLimitInMB: 1024, ...spec });
    },
    invoke: async (functionName, event) => {
      const fn = functions.get(functionName);
      if (fn === undefined)
        throw new LocalServerError(`No function ${functionName} is registered with the local Lambda endpoint`);
      const { result, error } = await run(functionName, fn, event);
      const failure = error !== undefined ? errorBody(error) : undefined;
      invocations.push({
        functionName,
        invocationType: 'EventSourceMapping',
        payload: event,
        ...(failure ? { error: { errorType: failure.errorType, errorMessage: failure.errorMessage } } : {}),
      });
      if (error !== undefined) throw error;
      return result;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) =>
          error ? reject(new LocalServerError('Lambda endpoint did not stop', { cause: error })) : resolve(),
        );
      }),
  };
};
