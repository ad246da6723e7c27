import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SettingsValidationError } from '../../../lambda/shared/settings';
import { loadAppConfig, parseAppConfig } from '../../../lib/config/app-config';

const EXAMPLE = path.join(__dirname, '../../../config/governance.json');
const example = (): Record<string, any> => JSON.parse(readFileSync(EXAMPLE, 'utf8'));

const messageOf = (input: unknown): string => {
  try {
    parseAppConfig(input, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsValidationError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
};

describe('loadAppConfig', () => {
  it('loads the example with its defaults resolved', () => {
    const config = loadAppConfig(EXAMPLE);
    expect(config.governance.moratorium).toEqual({
      start: '2027-06-10T00:00:00.000Z',
      end: '2028-06-10T00:00:00.000Z',
      restrictedCategories: ['police'],
      afterWindow: 'normal-rules',
      enforcementScope: 'all-actions',
    });
    expect(config.governance.organisations.map((org) => [org.id, org.category])).toEqual([
      ['thorn-like', 'ngo'],
      ['marinus-like', 'ngo'],
      ['metro-police', 'police'],
    ]);
    expect(config.quarantine.retentionDays).toBe(90);
    expect(config.removalPolicy).toBe('retain');
    expect(config.orgPrincipalTag).toBe('govrec:org');
    expect(config.restrictedTag).toEqual({ key: 'govrec:category', value: 'police' });
    expect(config.recognitionMaxConcurrency).toBe(5);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadAppConfig('/nonexistent/govrec.json')).toThrow(
      'Cannot read configuration file /nonexistent/govrec.json: set GOVREC_CONFIG or -c config=<path> to a readable JSON file',
    );
  });
});

describe('parseAppConfig', () => {
  it.each([2, 50, 1000])('accepts a recognitionMaxConcurrency of %i', (value) => {
    const input = example();
    input.recognitionMaxConcurrency = value;
    expect(parseAppConfig(input).recognitionMaxConcurrency).toBe(value);
  });

  it('keeps an explicit end', () => {
    const input = example();
    input.moratorium.end = '2029-01-01T00:00:00+01:00';
    expect(parseAppConfig(input).governance.moratorium.end).toBe('2028-12-31T23:00:00.000Z');
  });

  it.each([
    [
      'an end before the start',
      (c: any) => {
        c.moratorium.end = '2027-01-01T00:00:00Z';
      },
      'moratorium.end: 2027-01-01T00:00:00Z must be after moratorium.start (2027-06-10T00:00:00Z); omit it for the default of one year',
    ],
    [
      'a start that is not an instant',
      (c: any) => {
        c.moratorium.start = '10 June 2027';
      },
      'moratorium.start: must be an ISO 8601 instant such as 2027-06-10T00:00:00Z',
    ],
    [
      'a malformed role ARN',
      (c: any) => {
        c.organisations[0].roleArns = ['arn:aws:iam::123:role/x'];
      },
      'organisations.0.roleArns.0: each roleArns entry must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>',
    ],
    [
      'a search organisation without a collection',
      (c: any) => {
        delete c.organisations[1].collectionId;
      },
      'organisations.1.collectionId: organisation "marinus-like" uses search and needs a collectionId',
    ],
    [
      'a duplicate organisation id',
      (c: any) => {
        c.organisations[1].id = 'thorn-like';
      },
      'organisations.1.id: organisation id "thorn-like" is used twice; ids must be unique',
    ],
    [
      'a role shared by two organisations',
      (c: any) => {
        c.organisations[2].roleArns.push(c.organisations[0].roleArns[0]);
      },
      'is registered for both "thorn-like" and "metro-police"; a role acts for one organisation',
    ],
    [
      'an unknown operation',
      (c: any) => {
        c.organisations[0].operations = ['compare'];
      },
      'organisations.0.operations.0: must be one of "search", "detect", "index"',
    ],
    [
      'a sweep interval below the minimum',
      (c: any) => {
        c.sweepIntervalMinutes = 2;
      },
      'sweepIntervalMinutes: must be at least 5',
    ],
    [
      'a fractional sweep interval',
      (c: any) => {
        c.sweepIntervalMinutes = 7.5;
      },
      'sweepIntervalMinutes: must be a whole number',
    ],
    [
      'a match threshold above 100',
      (c: any) => {
        c.organisations[0].faceMatchThreshold = 101;
      },
      'organisations.0.faceMatchThreshold: must be at most 100',
    ],
    [
      'a bad alarm email',
      (c: any) => {
        c.alarmEmail = 'not-an-email';
      },
      'alarmEmail: must be an email address (or leave it out)',
    ],
    [
      'a zero quarantine retention',
      (c: any) => {
        c.quarantine.retentionDays = 0;
      },
      'quarantine.retentionDays: must be at least 1',
    ],
    [
      'a recognition max concurrency of 1',
      (c: any) => {
        c.recognitionMaxConcurrency = 1;
      },
      'recognitionMaxConcurrency: must be a whole number from 2 to 1000 (the SQS event source limit); keep it near your Rekognition TPS quota (default 5: 5 TPS in most Regions, 50 in us-east-1)',
    ],
    [
      'a recognition max concurrency of 1001',
      (c: any) => {
        c.recognitionMaxConcurrency = 1001;
      },
      'recognitionMaxConcurrency: must be a whole number from 2 to 1000 (the SQS event source limit); keep it near your Rekognition TPS quota (default 5: 5 TPS in most Regions, 50 in us-east-1)',
    ],
    [
      'a fractional recognition max concurrency',
      (c: any) => {
        c.recognitionMaxConcurrency = 2.5;
      },
      'recognitionMaxConcurrency: must be a whole number from 2 to 1000 (the SQS event source limit); keep it near your Rekognition TPS quota (default 5: 5 TPS in most Regions, 50 in us-east-1)',
    ],
    [
      'a recognition max concurrency given as text',
      (c: any) => {
        c.recognitionMaxConcurrency = '5';
      },
      'recognitionMaxConcurrency: must be a whole number from 2 to 1000 (the SQS event source limit); keep it near your Rekognition TPS quota (default 5: 5 TPS in most Regions, 50 in us-east-1)',
    ],
  ])('rejects %s with a message that says how to fix it', (_name, mutate, expected) => {
    const input = example();
    mutate(input);
    const message = messageOf(input);
    expect(message.startsWith('Invalid test.json:\n')).toBe(true);
    expect(message).toContain(expected);
  });
});
