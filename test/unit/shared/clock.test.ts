import { resetRuntimeClock, runtimeClock, useRuntimeClock } from '../../../lambda/shared/clock';
import { fixedClock } from '../../../lambda/shared/moratorium';

describe('runtimeClock', () => {
  afterEach(resetRuntimeClock);

  it('answers the installed clock and returns to the wall clock after a reset', () => {
    useRuntimeClock(fixedClock('2027-06-10T00:00:00.000Z'));
    expect(runtimeClock.now().toISOString()).toBe('2027-06-10T00:00:00.000Z');
    resetRuntimeClock();
    expect(Math.abs(runtimeClock.now().getTime() - Date.now())).toBeLessThan(1000);
  });
});
