/**
 * Loads the real handler modules (the ones that deploy) with the environment the template gives
 * them. Their config modules read the environment once, at first import, and the SDK reads the
 * endpoint variables on a client's first request: so the environment is applied before the
 * import and only restored when the run is over.
 */
import type { Context } from 'aws-lambda';
import { applyEnvironment, handlerEnvironment } from '../handler-env';
import type { LocalFunction } from '../template';
import type { MetricCapture } from './metric-capture';

/** A Lambda handler as the local endpoint calls it. */
export type LoadedHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Quiet, local-only settings for the handlers' Powertools and SDK clients. */
export const OFFLINE_OVERRIDES = {
  // Progress is one line per step; the handlers' JSON logs would drown it. Their EMF metrics are
  // published and taken off the terminal by the run's MetricCapture (the report's console view).
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // The stand-ins answer at once; a retry would only hide a real problem.
  AWS_MAX_ATTEMPTS: '1',
} as const;

export interface LoadedHandlers {
  readonly policy: LoadedHandler;
  readonly recognition: LoadedHandler;
  /** Each function's Powertools service name (its metrics' `service` dimension), from the template. */
  readonly serviceNames: { readonly policy: string; readonly recognition: string };
  /** Put back every variable the load set. Call at the end of the run. */
  restore(): void;
}

/**
 * Apply each function's environment and import its handler module. With a `capture`, every
 * invocation runs as its function (see `metric-capture.ts`), so the EMF it writes is attributed.
 *
 * @example
 * const handlers = await loadHandlers({ policy, recognition }, [standIns.env], { GOVREC_SETTINGS }, capture);
 */
export const loadHandlers = async (
  functions: { readonly policy: LocalFunction; readonly recognition: LocalFunction },
  standIns: readonly Readonly<Record<string, string>>[],
  overrides: Readonly<Record<string, string>>,
  capture?: MetricCapture,
): Promise<LoadedHandlers> => {
  const serviceNames = {
    policy: functions.policy.environment.POWERTOOLS_SERVICE_NAME ?? 'policy',
    recognition: functions.recognition.environment.POWERTOOLS_SERVICE_NAME ?? 'recognition',
  };
  const as = (service: string, handler: LoadedHandler): LoadedHandler =>
    capture === undefined ? handler : capture.wrap(service, handler);
  const restores: (() => void)[] = [];
  const merged = { ...OFFLINE_OVERRIDES, ...overrides };
  restores.push(applyEnvironment(handlerEnvironment(functions.policy, standIns, merged)));
  const policy = (await import('../../lambda/decision/handler')).handler as unknown as LoadedHandler;
  restores.push(applyEnvironment(handlerEnvironment(functions.recognition, standIns, merged)));
  const recognition = (await import('../../lambda/recognition/handler')).handler as unknown as LoadedHandler;
  return {
    policy: as(serviceNames.policy, policy),
    recognition: as(serviceNames.recognition, recognition),
    serviceNames,
    restore: () => {
      for (const restore of restores.reverse()) restore();
    },
  };
};
