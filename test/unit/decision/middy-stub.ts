/**
 * A CommonJS stand-in for `@middy/core` (ESM-only, which jest on Node 20 cannot load). It runs
 * middlewares the way middy does: `before` in order, the handler, `after` in reverse order, and
 * `onError` in reverse order when anything throws (rethrowing unless a middleware set a response).
 */
interface MiddyRequest {
  event: unknown;
  context: unknown;
  response: unknown;
  error: unknown;
  internal: Record<string, unknown>;
}
type Hook = (request: MiddyRequest) => unknown;
interface Middleware {
  before?: Hook;
  after?: Hook;
  onError?: Hook;
}

const middy = (handler: (event: unknown, context: unknown) => Promise<unknown>) => {
  const middlewares: Middleware[] = [];
  const run = async (event: unknown, context: unknown): Promise<unknown> => {
    const request: MiddyRequest = { event, context, response: undefined, error: undefined, internal: {} };
    try {
      for (const m of middlewares) await m.before?.(request);
      request.response = await handler(request.event, request.context);
      for (const m of [...middlewares].reverse()) await m.after?.(request);
      return request.response;
    } catch (error) {
      request.error = error;
      request.response = undefined;
      for (const m of [...middlewares].reverse()) await m.onError?.(request);
      if (request.response === undefined) throw request.error;
      return request.response;
    }
  };
  return Object.assign(run, {
    use(middleware: Middleware | Middleware[]) {
      middlewares.push(...(Array.isArray(middleware) ? middleware : [middleware]));
      return run;
    },
  });
};

export default middy;
