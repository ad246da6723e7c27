import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { guardrailTargets, SettingsValidationError } from '../../../lambda/shared/settings';
import { parseAppConfig } from '../../../lib/config/app-config';

const EXAMPLE = path.join(__dirname, '../../../config/governance.json');
const example = (): Record<string, any> => JSON.parse(readFileSync(EXAMPLE, 'utf8'));
const POLICE = 2;

const messageOf = (input: unknown): string => {
  try {
    parseAppConfig(input, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsValidationError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
};

describe('restricted organisations in accounts and OUs', () => {
  it('accepts accounts and OUs beside role ARNs and lists them as guardrail targets', () => {
    const input = example();
    input.organisations[POLICE].accounts = ['333333333333', '222222222222'];
    input.organisations[POLICE].organizationalUnits = ['ou-ab12-34cd56ef'];
    const config = parseAppConfig(input);
    expect(guardrailTargets(config.governance)).toEqual({
      accounts: ['222222222222', '333333333333'],
      organizationalUnits: ['ou-ab12-34cd56ef'],
    });
  });

  it('accepts a restricted organisation with accounts instead of role ARNs', () => {
    const input = example();
    input.organisations[POLICE].roleArns = [];
    input.organisations[POLICE].accounts = ['222222222222'];
    expect(parseAppConfig(input).governance.organisations[POLICE]?.roleArns).toEqual([]);
  });

  it('has no guardrail targets for the example configuration', () => {
    expect(guardrailTargets(parseAppConfig(example()).governance)).toEqual({ accounts: [], organizationalUnits: [] });
  });

  it('defaults the guardrails settings to no management account and no break-glass principal', () => {
    expect(parseAppConfig(example()).guardrails).toEqual({});
  });

  it.each([
    [
      'an account id that is not 12 digits',
      (c: any) => {
        c.organisations[POLICE].accounts = ['12345'];
      },
      'organisations.2.accounts.0: each accounts entry must be a 12-digit AWS account id such as 222222222222',
    ],
    [
      'an OU given by name',
      (c: any) => {
        c.organisations[POLICE].organizationalUnits = ['Police'];
      },
      'organisations.2.organizationalUnits.0: each organizationalUnits entry must be an AWS Organizations OU id such as ou-ab12-34cd56ef (not its name or ARN)',
    ],
    [
      'accounts on an organisation that is not restricted',
      (c: any) => {
        c.organisations[0].accounts = ['222222222222'];
      },
      'organisations.0.accounts: organisation "thorn-like" (category ngo) lists accounts or organizationalUnits, which only restricted organisations (police) may: they are the targets of the moratorium guardrails',
    ],
    [
      'an unrestricted organisation without role ARNs',
      (c: any) => {
        c.organisations[0].roleArns = [];
      },
      'organisations.0.roleArns: an organisation needs at least one IAM role ARN that acts for it',
    ],
    [
      'a restricted organisation with neither role ARNs nor accounts',
      (c: any) => {
        c.organisations[POLICE].roleArns = [];
      },
      'organisations.2.roleArns: an organisation needs at least one IAM role ARN that acts for it, or (restricted organisations) accounts or organizationalUnits',
    ],
    [
      'one account for two organisations',
      (c: any) => {
        c.organisations.push({
          ...c.organisations[POLICE],
          id: 'county-police',
          roleArns: [],
          accounts: ['222222222222'],
        });
        c.organisations[POLICE].accounts = ['222222222222'];
      },
      'organisations.3.accounts: 222222222222 is listed for both "metro-police" and "county-police"; an account or OU belongs to one organisation',
    ],
    [
      'a break-glass principal that is not a role ARN',
      (c: any) => {
        c.guardrails = { breakGlassPrincipalArn: 'arn:aws:iam::222222222222:user/admin' };
      },
      'guardrails.breakGlassPrincipalArn: must be an IAM role ARN',
    ],
    [
      'a pipeline account id that is not 12 digits',
      (c: any) => {
        c.guardrails = { pipelineAccountId: '1111' };
      },
      'guardrails.pipelineAccountId: must be the 12-digit id of the account that runs the pipeline',
    ],
    [
      'a management account id that is not 12 digits',
      (c: any) => {
        c.guardrails = { managementAccountId: 'o-abc' };
      },
      'guardrails.managementAccountId: must be the 12-digit id of the Organizations management account',
    ],
  ])('rejects %s with a message that says how to fix it', (_name, mutate, message) => {
    const input = example();
    mutate(input);
    expect(messageOf(input)).toContain(message);
  });
});
