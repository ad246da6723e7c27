/** Shared fixtures of the enforcer unit tests. */
import * as path from 'node:path';
import type { EnforcerDeps, RoleSubject } from '../../../lambda/enforcement/enforcer/types';
import { fixedClock } from '../../../lambda/shared/moratorium';
import type { GovernanceSettings } from '../../../lambda/shared/settings';
import { loadAppConfig } from '../../../lib/config/app-config';
import { REPO_ROOT } from '../../../lib/constructs/shared/house-function';

export const settings: GovernanceSettings = loadAppConfig(path.join(REPO_ROOT, 'config', 'governance.json')).governance;
export const END = '2028-06-10T00:00:00.000Z';
export const INSIDE = '2027-09-01T10:00:00.000Z';
export const ACCOUNT = '111111111111';
export const POLICE_ARN = `arn:aws:iam::${ACCOUNT}:role/govrec-police-investigations`;
export const NGO_ARN = `arn:aws:iam::${ACCOUNT}:role/govrec-ngo-child-rescue-uploader`;

export const deps = (now = INSIDE, custom: GovernanceSettings = settings): EnforcerDeps => ({
  settings: custom,
  accountId: ACCOUNT,
  restrictedTag: { key: 'govrec:category', value: 'police' },
  intakeBucketArn: 'arn:aws:s3:::govrec-intake',
  clock: fixedClock(now),
});

export const subject = (roleArn = POLICE_ARN, registeredCategory = 'police'): RoleSubject => ({
  roleArn,
  roleName: roleArn.slice(roleArn.lastIndexOf('/') + 1),
  registeredCategory,
  trigger: { source: 'cloudtrail', eventName: 'SearchFacesByImage', eventId: 'evt-1', at: INSIDE, callSucceeded: true },
});
