/**
 * Generated organisation registries for the decision-latency benchmark: `n` organisations,
 * one role each, every tenth a police organisation, the rest NGOs. The example config's three
 * organisations are used as they are for n = 3.
 */

import type { KnownRole } from '../../lambda/decision/in-process';
import { type GovernanceSettings, parseGovernance } from '../../lambda/shared/settings';
import { exampleGovernance } from '../lib/repo';

export const ACCOUNT = '111111111111';

/** A role the benchmark calls as, with the decision it must get inside the moratorium. */
export interface Caller {
  readonly roleId: string;
  readonly orgId: string;
  readonly operation: 'search' | 'detect';
  readonly purpose: string;
  readonly expected: { readonly effect: 'ALLOW' | 'DENY'; readonly reason: string };
}

export interface Registry {
  readonly settings: GovernanceSettings;
  readonly roles: KnownRole[];
  readonly callers: Caller[];
}

const roleIdOf = (index: number): string => `AROA${String(index).padStart(17, '0')}`;

const callersOf = (settings: GovernanceSettings, roles: readonly KnownRole[]): Caller[] => {
  const byArn = new Map(roles.map((r) => [r.roleArn, r.roleId]));
  return settings.organisations.map((org) => {
    const police = settings.moratorium.restrictedCategories.includes(org.category);
    return {
      roleId: byArn.get(org.roleArns[0]!)!,
      orgId: org.id,
      operation: org.operations.includes('search') ? 'search' : 'detect',
      purpose: org.purposes[0]!,
      expected: police ? { effect: 'DENY', reason: 'MORATORIUM_IN_FORCE' } : { effect: 'ALLOW', reason: 'ALLOWED' },
    };
  });
};

/** The example configuration's registry (three organisations, four roles). */
export const exampleRegistry = (): Registry => {
  const { settings } = exampleGovernance();
  const roles = settings.organisations
    .flatMap((org) => org.roleArns)
    .map((roleArn, i) => ({ roleArn, roleId: roleIdOf(i) }));
  return { settings, roles, callers: callersOf(settings, roles) };
};

/** A registry of `n` generated organisations with one role each (and as many roles). */
export const generatedRegistry = (n: number): Registry => {
  const { settings: example } = exampleGovernance();
  const organisations = Array.from({ length: n }, (_, i) => {
    const police = i % 10 === 9;
    return {
      id: `org-${i}`,
      displayName: `Generated organisation ${i}`,
      category: police ? 'police' : 'ngo',
      roleArns: [`arn:aws:iam::${ACCOUNT}:role/bench-uploader-${i}`],
      purposes: police ? ['criminal-investigation'] : ['child-rescue'],
      operations: ['search', 'detect'],
      collectionId: `bench-faces-${i}`,
      faceMatchThreshold: 80,
    };
  });
  const settings = parseGovernance({ moratorium: example.moratorium, organisations });
  const roles = organisations.map((org, i) => ({ roleArn: org.roleArns[0]!, roleId: roleIdOf(i) }));
  return { settings, roles, callers: callersOf(settings, roles) };
};
