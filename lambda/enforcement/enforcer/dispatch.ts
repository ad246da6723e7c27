/**
 * One Lambda serves the decision steps of EnforceRole; the state machine names the step in
 * `action`. Kept apart from the handler so tests and the offline run call it without middy.
 */
import { type ClassifyInput, type CompareInput, classify, compare } from './assess';
import { UnknownEnforcerActionError } from './errors';
import { identify, type ResolveInput, resolve } from './identify';
import type { Assessment, EnforcerDeps } from './types';

/** The payload the state machine sends. */
export type EnforcerRequest =
  | { readonly action: 'identify'; readonly event: unknown }
  | ({ readonly action: 'resolve' } & ResolveInput)
  | ({ readonly action: 'classify' } & ClassifyInput)
  | ({ readonly action: 'compare' } & CompareInput);

/**
 * Run one decision step.
 *
 * @example
 * const assessment = runEnforcerStep({ action: 'identify', event }, deps);
 */
export const runEnforcerStep = (request: EnforcerRequest, deps: EnforcerDeps): Assessment => {
  switch (request.action) {
    case 'identify':
      return identify(request.event, deps);
    case 'resolve':
      return resolve(request, deps);
    case 'classify':
      return classify(request, deps);
    case 'compare':
      return compare(request, deps);
    default:
      throw new UnknownEnforcerActionError((request as { action?: unknown }).action);
  }
};
