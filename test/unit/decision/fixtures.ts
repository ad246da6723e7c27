/**
 * Shared fixtures for the policy decision point tests: the example configuration, an IAM mock
 * that knows the example roles, and decision dependencies with a pinned clock.
 */
import * as path from 'node:path';
import { GetRoleCommand, IAMClient, NoSuchEntityException, type Tag } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { CedarEngine } from '../../../lambda/decision/cedar-engine';
import type { DecideDeps } from '../../../lambda/decision/decide';
import { IdentityResolver } from '../../../lambda/decision/identity';
import type { PolicyRequest } from '../../../lambda/shared/decision';
import { type Clock, fixedClock } from '../../../lambda/shared/moratorium';
import { type GovernanceSettings, parseGovernance } from '../../../lambda/shared/settings';
import { loadAppConfig } from '../../../lib/config/app-config';

export const exampleSettings: GovernanceSettings = loadAppConfig(
  path.join(__dirname, '../../../config/governance.json'),
).governance;

/** The example with other moratorium settings (e.g. a leap-day start or `afterWindow: 'deny'`). */
export const settingsWith = (
  moratorium: Partial<GovernanceSettings['moratorium']> & { end?: string },
): GovernanceSettings => {
  const { end: _end, ...rest } = exampleSettings.moratorium;
  return parseGovernance({ organisations: exampleSettings.organisations, moratorium: { ...rest, ...moratorium } });
};

/** One engine for every test file that imports this: pre-parsing happens once. */
export const engine = CedarEngine.load();

export const ACCOUNT = '111111111111';
export const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/** Unique role ids IAM gives the example roles. */
export const ROLE_IDS = {
  'govrec-ngo-child-rescue-uploader': 'AROATHORNLIKE000001',
  'govrec-ngo-anti-trafficking-uploader': 'AROAMARINUSLIKE0001',
  'govrec-police-investigations': 'AROAPOLICEINVEST001',
  'govrec-police-analysts': 'AROAPOLICEANALYST01',
} as const;
export type RoleName = keyof typeof ROLE_IDS;

export const principalOf = (name: RoleName, session = 'upload-session'): string => `AWS:${ROLE_IDS[name]}:${session}`;

/** An IAM mock answering GetRole for the example roles; `tags` adds tags per role name. */
export const mockIam = (tags: Partial<Record<RoleName, Tag[]>> = {}) => {
  const iam = mockClient(IAMClient);
  iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: 'not found', $metadata: {} }));
  for (const [name, roleId] of Object.entries(ROLE_IDS)) {
    iam.on(GetRoleCommand, { RoleName: name }).resolves({
      Role: {
        RoleName: name,
        RoleId: roleId,
        Arn: roleArn(name),
        Path: '/',
        CreateDate: new Date(0),
        Tags: tags[name as RoleName] ?? [],
      },
    });
  }
  return iam;
};

export const DECIDED_AT = '2030-01-01T00:00:00.000Z';

/**
 * Decision dependencies with the decision clock pinned. IAM is whatever `mockIam()` (or another
 * aws-sdk-client-mock of IAMClient) set up: the mock replaces `send` on every IAMClient.
 */
export const depsFor = (
  settings: GovernanceSettings = exampleSettings,
  clock: Clock = fixedClock(DECIDED_AT),
): DecideDeps => ({
  settings,
  engine,
  identity: new IdentityResolver({ iam: new IAMClient({}), settings }),
  clock,
});

/** Dependencies whose decision clock is at `at`: the upload is decided the instant it is made. */
export const depsAt = (at: string, settings: GovernanceSettings = exampleSettings): DecideDeps =>
  depsFor(settings, fixedClock(at));

/** A clock a test sets to any instant. */
export const settableClock = (start: string = DECIDED_AT) => {
  let now = Date.parse(start);
  const clock: Clock & { set(iso: string): void } = { now: () => new Date(now), set: (iso) => (now = Date.parse(iso)) };
  return clock;
};

export const policeRequest = (at: string, overrides: Partial<PolicyRequest> = {}): PolicyRequest => ({
  principalId: principalOf('govrec-police-investigations'),
  orgId: 'metro-police',
  operation: 'search',
  purpose: 'criminal-investigation',
  at,
  object: { bucket: 'intake', key: 'incoming/metro-police/search/suspect.jpg', versionId: 'v1' },
  ...overrides,
});

export const ngoRequest = (at: string, overrides: Partial<PolicyRequest> = {}): PolicyRequest => ({
  principalId: principalOf('govrec-ngo-child-rescue-uploader'),
  orgId: 'thorn-like',
  operation: 'search',
  purpose: 'child-rescue',
  at,
  object: { bucket: 'intake', key: 'incoming/thorn-like/search/child.jpg', versionId: 'v1' },
  ...overrides,
});

/** `iso` shifted by `ms` milliseconds. */
export const shift = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
