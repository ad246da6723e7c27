import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAppConfig, parseJsonText } from '../../../lib/config/app-config';
import { schemaFileText } from '../../../lib/config/schema-file';
import { editDistance, nearestKey } from '../../../lib/config/unknown-keys';

const CONFIG = join(__dirname, '..', '..', '..', 'config');
const example = (): Record<string, any> => JSON.parse(readFileSync(join(CONFIG, 'governance.json'), 'utf8'));

/** The problem lines of the validation message, without the "Invalid ..." heading. */
const problems = (input: unknown): string[] => {
  try {
    parseAppConfig(input, 'test.json');
  } catch (error) {
    return (error as Error).message.split('\n').slice(1);
  }
  return [];
};

describe('configuration messages', () => {
  it('accepts the example configuration', () => {
    expect(problems(example())).toEqual([]);
  });

  it('rejects misspelt keys at any depth, with the key they were meant to be', () => {
    const config = example();
    const { afterWindow, ...moratorium } = config.moratorium;
    const { sweepIntervalMinutes, ...rest } = config;
    const input = {
      ...rest,
      alarmEmial: 'ops@example.org',
      sweepIntervalMinute: 15,
      moratorium: { ...moratorium, afterWindows: afterWindow },
      organisations: [{ ...config.organisations[0], colectionId: 'x' }, ...config.organisations.slice(1)],
    };
    expect(problems(input).sort()).toEqual([
      '  - alarmEmial: unknown key; did you mean "alarmEmail"?',
      '  - moratorium.afterWindows: unknown key; did you mean "afterWindow"?',
      '  - organisations.0.colectionId: unknown key; did you mean "collectionId"?',
      '  - sweepIntervalMinute: unknown key; did you mean "sweepIntervalMinutes"?',
    ]);
  });

  it('says "required" for a missing key, and reports a misspelt required key once', () => {
    const config = example();
    const { start, ...moratorium } = config.moratorium;
    expect(problems({ ...config, moratorium })).toEqual(['  - moratorium.start: is required']);
    expect(problems({ ...config, moratorium: { ...moratorium, strat: start } })).toEqual([
      '  - moratorium.strat: unknown key; did you mean "start"? (it is required)',
    ]);
  });

  it('gives one message for a date that is not ISO 8601', () => {
    const config = example();
    expect(problems({ ...config, moratorium: { ...config.moratorium, start: '10 June 2027' } })).toEqual([
      '  - moratorium.start: must be an ISO 8601 instant such as 2027-06-10T00:00:00Z',
    ]);
  });

  it('reports every problem of a file in one message', () => {
    const config = example();
    expect(problems({ ...config, removalPolicy: 'keep', quarantine: { retentionDays: 0 }, extra: 1 })).toHaveLength(3);
  });

  it.each([
    ['a truncated file', '{\n  "moratorium": {\n    "start": "2027-06-10T00:00:00Z"\n', 4, 1],
    ['a missing colon', '{\n  "removalPolicy" "retain"\n}', 2, 19],
    ['a trailing comma', '{\n  "a": 1,\n}', 3, 1],
  ])('names the line and column of %s', (_label, text, line, column) => {
    expect(() => parseJsonText(text, 'broken.json')).toThrow(
      new RegExp(`^Configuration file broken\\.json is not valid JSON at line ${line}, column ${column}: `),
    );
  });
});

describe('nearestKey', () => {
  it.each([
    ['alarmEmial', 'alarmEmail'],
    ['sweepintervalminutes', 'sweepIntervalMinutes'],
    ['strat', 'start'],
    ['zzz', undefined],
  ])('suggests for %s: %s', (typo, expected) => {
    expect(nearestKey(typo, ['alarmEmail', 'sweepIntervalMinutes', 'start', 'end'])).toBe(expected);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('strat', 'start')).toBe(1);
  });
});

describe('config/governance.schema.json', () => {
  it('is the schema generated from the zod schema (run `npm run schema` after changing it)', () => {
    // Compared as JSON: Biome may reformat the committed file.
    expect(JSON.parse(readFileSync(join(CONFIG, 'governance.schema.json'), 'utf8'))).toEqual(
      JSON.parse(schemaFileText()),
    );
  });

  it('is what the example configuration refers to', () => {
    expect(example().$schema).toBe('./governance.schema.json');
  });

  it('closes every object, so editors flag a misspelt key as the synth does', () => {
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object' && n.properties !== undefined && n.additionalProperties !== false) open.push(path);
      for (const [key, child] of Object.entries(n)) walk(child, `${path}/${key}`);
    };
    walk(JSON.parse(schemaFileText()), '#');
    expect(open).toEqual([]);
  });
});
