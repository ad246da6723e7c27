/**
 * What a handler prints on Lambda, captured from stdout: Powertools writes its JSON log lines and
 * its EMF metric records there (not through `console` unless POWERTOOLS_DEV is set), and
 * CloudWatch reads them from there. Set the environment with `powertoolsOutputEnv()` before the
 * handler module loads (the logger and metrics read it when they are created).
 */
import type { Context } from 'aws-lambda';

/** Logs at INFO and metrics on, as the house function deploys them (setup-env silences both). */
export const powertoolsOutputEnv = (serviceName: string): void => {
  process.env.POWERTOOLS_SERVICE_NAME = serviceName;
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'GovernedRecognition';
  delete process.env.POWERTOOLS_DEV;
};

export interface LambdaOutput {
  /** Powertools log lines (JSON with a `level`). */
  readonly logs: Record<string, unknown>[];
  /** EMF records (JSON with `_aws.CloudWatchMetrics`). */
  readonly emf: Record<string, unknown>[];
  /** Anything else written to stdout (should stay empty). */
  readonly other: string[];
  restore(): void;
}

/** Capture (and keep off the test output) every line written to stdout until `restore()`. */
export const captureStdout = (): LambdaOutput => {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    return true;
  });
  const parsed = () =>
    lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return line;
      }
    });
  return {
    get logs() {
      return parsed().filter((x): x is Record<string, unknown> => typeof x === 'object' && 'level' in x);
    },
    get emf() {
      return parsed().filter((x): x is Record<string, unknown> => typeof x === 'object' && '_aws' in x);
    },
    get other() {
      return parsed().filter((x): x is string => typeof x === 'string');
    },
    restore: () => spy.mockRestore(),
  };
};

/** A Lambda context as the runtime passes it. */
export const lambdaContext = (functionName: string, awsRequestId = 'req-1'): Context => ({
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:111111111111:function:${functionName}`,
  memoryLimitInMB: '512',
  awsRequestId,
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: '2027/09/01/[$LATEST]0123456789abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** Fake only `Date` (the handlers' system clock), leaving timers and promises real. */
export const freezeDate = (iso: string): void => {
  jest.useFakeTimers({
    now: new Date(iso),
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
    ],
  });
};
