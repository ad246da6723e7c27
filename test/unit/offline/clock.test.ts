/**
 * The offline run's simulated clock: it reads the instant a step set, then advances with the real
 * time elapsed since (or stays, when frozen).
 */
import { simulatedClock } from '../../../local/offline/clock';

describe('simulatedClock', () => {
  const wallAt = (start: number) => {
    let ms = start;
    return {
      wall: () => ms,
      advance: (by: number) => {
        ms += by;
      },
    };
  };

  it('reads the instant it was set to, then advances with the elapsed wall time', () => {
    const source = wallAt(1_000.4);
    const clock = simulatedClock('2027-05-01T10:00:00Z', { wall: source.wall });

    expect(clock.now().toISOString()).toBe('2027-05-01T10:00:00.000Z');
    source.advance(250.7);
    expect(clock.now().toISOString()).toBe('2027-05-01T10:00:00.250Z');
  });

  it('starts again from each instant a step sets, forgetting the time elapsed before', () => {
    const source = wallAt(0);
    const clock = simulatedClock('2027-05-01T10:00:00Z', { wall: source.wall });
    source.advance(5_000);

    clock.set('2027-06-10T00:00:00Z');
    source.advance(120);

    expect(clock.now().toISOString()).toBe('2027-06-10T00:00:00.120Z');
  });

  it('stays at the instant set when frozen', () => {
    const source = wallAt(0);
    const clock = simulatedClock(new Date('2027-05-01T10:00:00Z'), { advance: 'frozen', wall: source.wall });
    source.advance(5_000);

    expect(clock.now().toISOString()).toBe('2027-05-01T10:00:00.000Z');
  });

  it('hands out copies, so a caller cannot move the clock by changing a Date', () => {
    const clock = simulatedClock('2027-05-01T10:00:00Z', { advance: 'frozen' });
    clock.now().setUTCFullYear(2030);

    expect(clock.now().toISOString()).toBe('2027-05-01T10:00:00.000Z');
  });
});
