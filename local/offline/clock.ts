/**
 * The simulated clock of the offline run. Scenario steps move it to their event times; between
 * two moves it advances with the real time that has elapsed since the last move, so a step that
 * starts at its upload's event time sees the pipeline's real processing time pass (tens of ms for
 * a denial, a few hundred ms for a face model call): `decidedAt`, outcome times and
 * `EndToEndLatency` are then after the upload and as long as the local work took, in scenario
 * time. The handlers read it through `runtimeClock` (`lambda/shared/clock.ts`), where the
 * pipeline installs it for every upload and the enforcement for every workflow run (the pipeline's
 * `stop()` puts the wall clock back); the stand-ins (IAM change stamps, queue timestamps,
 * enforcement functions) are given it directly.
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../lambda/shared/moratorium';

/** A clock the run moves by hand. */
export interface SimulatedClock extends Clock {
  /** Move to an instant; the clock advances from there (see {@link SimulatedClockOptions.advance}). */
  set(at: string | Date): void;
}

export interface SimulatedClockOptions {
  /**
   * `elapsed`: the reading is the last `set` instant plus the real time elapsed since; `frozen`:
   * it stays at the last `set` instant (for tests that compare exact instants).
   * @default 'elapsed'
   */
  readonly advance?: 'elapsed' | 'frozen';
  /** Monotonic milliseconds the `elapsed` mode measures with (tests inject one). @default performance.now */
  readonly wall?: () => number;
}

/**
 * @example
 * const clock = simulatedClock('2027-06-01T09:00:00Z');
 * clock.set('2027-06-10T00:00:00Z'); // reads 2027-06-10T00:00:00.000Z, then advances with real time
 */
export const simulatedClock = (at: string | Date, options: SimulatedClockOptions = {}): SimulatedClock => {
  const wall = options.wall ?? (() => performance.now());
  const frozen = options.advance === 'frozen';
  let base = new Date(at).getTime();
  let setAt = wall();
  return {
    // Whole milliseconds, as Date has them; never before the instant last set.
    now: () => new Date(frozen ? base : base + Math.max(0, Math.floor(wall() - setAt))),
    set: (next) => {
      base = new Date(next).getTime();
      setAt = wall();
    },
  };
};
