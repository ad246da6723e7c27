/**
 * The clock the deployed handlers take their time from. On Lambda it is the wall clock; the
 * offline run replaces it with its simulated clock before it invokes a handler, so decisions,
 * outcomes, caches and latencies all live in the scenario's time. Logic never reads this module:
 * handlers pass the clock into the plain functions they call.
 */
import { type Clock, systemClock } from './moratorium';

let current: Clock = systemClock;

/** A clock that always asks the currently installed one, for wiring at module load. */
export const runtimeClock: Clock = { now: () => current.now() };

/**
 * Install the clock handlers use (offline runs and simulations only).
 *
 * @example
 * useRuntimeClock(simulatedClock); // before invoking a handler in the offline run
 */
export const useRuntimeClock = (clock: Clock): void => {
  current = clock;
};

/** Back to the wall clock. */
export const resetRuntimeClock = (): void => {
  current = systemClock;
};
