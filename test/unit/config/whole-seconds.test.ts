import { parseGovernance, SettingsValidationError } from '../../../lambda/shared/settings';
import { exampleSettings } from '../../helpers/asl';

const withWindow = (change: Record<string, string>) => {
  const base = exampleSettings();
  return { moratorium: { ...base.moratorium, ...change }, organisations: base.organisations };
};

const rejection = (change: Record<string, string>): SettingsValidationError => {
  try {
    parseGovernance(withWindow(change));
  } catch (error) {
    return error as SettingsValidationError;
  }
  throw new Error('expected the settings to be rejected');
};

describe('moratorium window instants', () => {
  it.each([
    ['moratorium.start', { start: '2027-06-10T00:00:00.500Z' }],
    ['moratorium.start', { start: '2027-06-10T00:00:00.001+02:00' }],
    ['moratorium.end', { end: '2028-06-09T23:59:59.999Z' }],
  ])('rejects %s with fractional seconds, saying why', (field, change) => {
    const error = rejection(change);

    expect(error).toBeInstanceOf(SettingsValidationError);
    expect(error.message).toContain(`${field}: must fall on a whole second (no fractional seconds such as .500)`);
  });

  it.each([
    [
      'whole seconds',
      { start: '2027-06-10T00:00:00Z', end: '2028-06-10T00:00:00Z' },
      '2027-06-10T00:00:00.000Z',
      '2028-06-10T00:00:00.000Z',
    ],
    [
      'a zero fraction (the normalised form, parsed again)',
      { start: '2027-06-10T00:00:00.000Z', end: '2028-06-10T12:30:15.000Z' },
      '2027-06-10T00:00:00.000Z',
      '2028-06-10T12:30:15.000Z',
    ],
    [
      'an offset',
      { start: '2027-06-10T02:00:00+02:00', end: '2028-06-10T00:00:00Z' },
      '2027-06-10T00:00:00.000Z',
      '2028-06-10T00:00:00.000Z',
    ],
  ])('accepts %s', (_label, change, start, end) => {
    expect(parseGovernance(withWindow(change)).moratorium).toEqual(expect.objectContaining({ start, end }));
  });
});
