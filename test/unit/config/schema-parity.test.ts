/**
 * The editor's JSON Schema and the synth's validation judge the same sample configurations
 * alike; the checks JSON Schema cannot express are listed as known gaps (the schema accepts,
 * the synth rejects).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parseAppConfig } from '../../../lib/config/app-config';
import { SCHEMA_FILE } from '../../../lib/config/schema-file';

const example = (): Record<string, any> =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'config', 'governance.json'), 'utf8'));
const variant = (change: (c: any) => void): Record<string, any> => {
  const config = example();
  change(config);
  return config;
};

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const schemaAccepts = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
const synthAccepts = (config: unknown): boolean => {
  try {
    parseAppConfig(config, 'sample.json');
    return true;
  } catch {
    return false;
  }
};

describe('config/governance.schema.json against the synth validation', () => {
  it.each<[string, (c: any) => void, boolean]>([
    ['the example', () => {}, true],
    ['a start with .000 seconds', (c) => (c.moratorium.start = '2027-06-10T00:00:00.000Z'), true],
    ['a start with fractional seconds', (c) => (c.moratorium.start = '2027-06-10T00:00:00.500Z'), false],
    ['an end with fractional seconds', (c) => (c.moratorium.end = '2028-06-10T00:00:00.25Z'), false],
    ['a start that is not an instant', (c) => (c.moratorium.start = '10 June 2027'), false],
    ['a searching organisation without a collection', (c) => delete c.organisations[1].collectionId, false],
    [
      'an indexing organisation without a collection',
      (c) => {
        c.organisations[1].operations = ['index'];
        delete c.organisations[1].collectionId;
      },
      false,
    ],
    [
      'a detect-only organisation without a collection',
      (c) => {
        c.organisations[1].operations = ['detect'];
        delete c.organisations[1].collectionId;
      },
      true,
    ],
    ['an unknown key', (c) => (c.alarmEmial = 'a@example.org'), false],
    ['an unknown operation', (c) => (c.organisations[0].operations = ['compare']), false],
    ['a sweep interval below 5', (c) => (c.sweepIntervalMinutes = 2), false],
    ['a malformed role ARN', (c) => (c.organisations[0].roleArns = ['arn:aws:iam::123:role/x']), false],
  ])('judges %s alike', (_label, change, valid) => {
    const config = variant(change);
    expect([schemaAccepts(config), synthAccepts(config)]).toEqual([valid, valid]);
  });

  it.each<[string, (c: any) => void]>([
    ['an end before the start', (c) => (c.moratorium.end = '2027-01-01T00:00:00Z')],
    ['a duplicate organisation id', (c) => (c.organisations[1].id = c.organisations[0].id)],
    ['a role shared by two organisations', (c) => c.organisations[2].roleArns.push(c.organisations[0].roleArns[0])],
  ])('leaves %s to the synth (a known gap of JSON Schema)', (_label, change) => {
    const config = variant(change);
    expect([schemaAccepts(config), synthAccepts(config)]).toEqual([true, false]);
  });
});
