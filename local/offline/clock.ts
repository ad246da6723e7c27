/**
 * The simulated clock of the offline run: scenario steps move it to their event times, and the
 * stand-ins (IAM change stamps, queue timestamps, enforcement functions) read it.
 */
import type { Clock } from '../../lambda/shared/moratorium';

/** A clock the run moves by hand. */
export interface SimulatedClock extends Clock {
  set(at: string | Date): void;
}

/**
 * @example
 * const clock = simulatedClock('2027-06-01T09:00:00Z');
 * clock.set('2027-06-10T00:00:00Z');
 */
export const simulatedClock = (at: string | Date): SimulatedClock => {
  let current = new Date(at);
  return {
    now: () => new Date(current.getTime()),
    set: (next) => {
      current = new Date(next);
    },
  };
};
