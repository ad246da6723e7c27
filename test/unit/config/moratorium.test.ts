import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMoratoriumEnd, fixedClock, isInForce, phaseAt } from '../../../lambda/shared/moratorium';
import { parseGovernance, restrictionAt } from '../../../lambda/shared/settings';

describe('defaultMoratoriumEnd', () => {
  it.each([
    ['2020-06-10T00:00:00.000Z', '2021-06-10T00:00:00.000Z'],
    ['2027-06-10T13:45:10.123Z', '2028-06-10T13:45:10.123Z'],
    ['2027-12-31T23:59:59.999Z', '2028-12-31T23:59:59.999Z'],
    ['2028-02-28T08:00:00.000Z', '2029-02-28T08:00:00.000Z'],
    ['2028-02-29T12:00:00.000Z', '2029-03-01T12:00:00.000Z'],
    ['2027-03-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
  ])('ends a window starting %s at %s', (start, end) => {
    expect(defaultMoratoriumEnd(new Date(start)).toISOString()).toBe(end);
  });

  it('never gives a window shorter than 365 days, even from a leap day', () => {
    const start = new Date('2028-02-29T00:00:00Z');
    const lengthMs = defaultMoratoriumEnd(start).getTime() - start.getTime();
    expect(lengthMs).toBe(366 * 24 * 3600 * 1000);
  });
});

describe('isInForce and phaseAt', () => {
  const window = { start: new Date('2027-06-10T00:00:00.000Z'), end: new Date('2028-06-10T00:00:00.000Z') };

  it.each([
    ['2027-06-09T23:59:59.999Z', false, 'before'],
    ['2027-06-10T00:00:00.000Z', true, 'in-force'],
    ['2028-06-09T23:59:59.999Z', true, 'in-force'],
    ['2028-06-10T00:00:00.000Z', false, 'after'],
  ])('at %s in force is %s (%s)', (at, inForce, phase) => {
    expect(isInForce(window, new Date(at))).toBe(inForce);
    expect(phaseAt(window, new Date(at))).toBe(phase);
  });
});

describe('fixedClock', () => {
  it('answers the same instant on every call and hands out copies', () => {
    const clock = fixedClock('2027-06-10T00:00:00.000Z');
    const first = clock.now();
    first.setUTCFullYear(1999);
    expect(clock.now().toISOString()).toBe('2027-06-10T00:00:00.000Z');
  });
});

describe('restrictionAt', () => {
  const settings = (afterWindow: 'normal-rules' | 'deny') =>
    parseGovernance({
      organisations: JSON.parse(readFileSync(join(__dirname, '../../../config/governance.json'), 'utf8')).organisations,
      moratorium: { start: '2027-06-10T00:00:00Z', afterWindow },
    });

  it.each([
    ['normal-rules', '2027-06-09T23:59:59.999Z', undefined],
    ['normal-rules', '2027-06-10T00:00:00.000Z', 'MORATORIUM_IN_FORCE'],
    ['normal-rules', '2028-06-09T23:59:59.999Z', 'MORATORIUM_IN_FORCE'],
    ['normal-rules', '2028-06-10T00:00:00.000Z', undefined],
    ['deny', '2027-06-09T23:59:59.999Z', undefined],
    ['deny', '2028-06-09T23:59:59.999Z', 'MORATORIUM_IN_FORCE'],
    ['deny', '2028-06-10T00:00:00.000Z', 'RESTRICTED_AFTER_MORATORIUM'],
  ] as const)('under %s at %s bars restricted callers with %s', (afterWindow, at, expected) => {
    expect(restrictionAt(settings(afterWindow), new Date(at))).toBe(expected);
  });
});
