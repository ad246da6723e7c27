/** Checking organisation and role names against the registry before any slow work starts. */
import type { GovernanceSettings, Organisation } from '../lambda/shared/settings';
import { nearestKey } from '../lib/config/unknown-keys';
import { UsageError } from './program';

/** The registered organisation, or a UsageError listing the known ones (with the nearest as a hint). */
export const registeredOrganisation = (settings: GovernanceSettings, orgId: string, option: string): Organisation => {
  const org = settings.organisations.find((o) => o.id === orgId);
  if (org !== undefined) return org;
  const ids = settings.organisations.map((o) => o.id);
  const near = nearestKey(orgId, ids);
  throw new UsageError(
    `${option} ${orgId}: no such organisation in the configuration${near !== undefined ? ` (did you mean "${near}"?)` : ''}; registered: ${ids.join(', ')}`,
  );
};

/** A registered role ARN (of `org` when given), or a UsageError naming the roles that are. */
export const registeredRole = (settings: GovernanceSettings, roleArn: string, option: string, org?: Organisation) => {
  const roles = (org !== undefined ? [org] : settings.organisations).flatMap((o) => o.roleArns);
  if (roles.includes(roleArn)) return roleArn;
  const owner = settings.organisations.find((o) => o.roleArns.includes(roleArn));
  throw new UsageError(
    owner !== undefined
      ? `${option} ${roleArn} acts for "${owner.id}", not "${org?.id}"`
      : `${option} ${roleArn}: not a registered role; registered: ${roles.join(', ')}`,
  );
};
