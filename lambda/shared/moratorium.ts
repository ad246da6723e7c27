/**
 * The moratorium window and the arithmetic on it, shared by the CDK app (synth-time validation)
 * and the Lambdas (decisions, enforcement). Pure: time is always passed in.
 */

/** A half-open window `[start, end)` in UTC. */
export interface MoratoriumWindow {
  readonly start: Date;
  readonly end: Date;
}

/** Where "now" comes from. Logic takes a clock so tests can pin time to the millisecond. */
export interface Clock {
  now(): Date;
}

/** The wall clock, for production wiring only. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that always answers the same instant (tests, simulations, `govrec decide --at`). */
export const fixedClock = (at: Date | string): Clock => {
  const instant = new Date(at);
  return { now: () => new Date(instant.getTime()) };
};

/**
 * The default end of a moratorium: the same UTC instant one calendar year after `start`.
 * Where that calendar day does not exist (a start on 29 February) the window runs to the next
 * day (1 March), so it is never shorter than a year.
 *
 * @example
 * defaultMoratoriumEnd(new Date('2024-02-29T12:00:00Z')) // 2025-03-01T12:00:00.000Z
 */
export const defaultMoratoriumEnd = (start: Date): Date => {
  const year = start.getUTCFullYear() + 1;
  const month = start.getUTCMonth();
  const day = start.getUTCDate();
  const daysInTargetMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const targetDay = day <= daysInTargetMonth ? day : daysInTargetMonth + 1;
  return new Date(
    Date.UTC(
      year,
      month,
      targetDay,
      start.getUTCHours(),
      start.getUTCMinutes(),
      start.getUTCSeconds(),
      start.getUTCMilliseconds(),
    ),
  );
};

/** Whether `at` lies inside `[start, end)`. */
export const isInForce = (window: MoratoriumWindow, at: Date): boolean =>
  at.getTime() >= window.start.getTime() && at.getTime() < window.end.getTime();

/** Where an instant stands relative to the window. */
export type WindowPhase = 'before' | 'in-force' | 'after';

export const phaseAt = (window: MoratoriumWindow, at: Date): WindowPhase => {
  if (at.getTime() < window.start.getTime()) return 'before';
  return at.getTime() < window.end.getTime() ? 'in-force' : 'after';
};
