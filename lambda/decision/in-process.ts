/**
 * The decision point without AWS: role ids given up front instead of looked up in IAM, and
 * nothing recorded. For benchmarks (time `decide` in-process), `govrec decide` and simulations.
 * The policies, the engine and `decide` are the very ones the Lambda runs.
 */
import type { Decision } from '../shared/decision';
import { type Clock, systemClock } from '../shared/moratorium';
import type { GovernanceSettings } from '../shared/settings';
import { CedarEngine } from './cedar-engine';
import { decide } from './decide';
import { type CallerIdentity, type CallerResolver, callerFor, type RegisteredRole, roleIdOf } from './identity';

/** A registered role's unique id as IAM would report it, and whether it carries the restricted tag. */
export interface KnownRole {
  readonly roleArn: string;
  readonly roleId: string;
  /** @default false */
  readonly taggedRestricted?: boolean;
}

/** Resolves callers from a fixed RoleId table (roles not in the registry stay unknown). */
export class StaticCallerResolver implements CallerResolver {
  private readonly byRoleId: ReadonlyMap<string, RegisteredRole>;

  constructor(
    private readonly settings: GovernanceSettings,
    roles: readonly KnownRole[],
  ) {
    const registered = new Map(settings.organisations.flatMap((org) => org.roleArns.map((arn) => [arn, org] as const)));
    this.byRoleId = new Map(
      roles.flatMap((r) => {
        const org = registered.get(r.roleArn);
        return org === undefined
          ? []
          : [
              [
                r.roleId,
                {
                  roleId: r.roleId,
                  roleArn: r.roleArn,
                  orgId: org.id,
                  category: org.category,
                  taggedRestricted: r.taggedRestricted ?? false,
                },
              ] as const,
            ];
      }),
    );
  }

  async resolve(principalId: string): Promise<CallerIdentity> {
    const roleId = roleIdOf(principalId);
    return roleId === undefined
      ? { principalId, restricted: false }
      : callerFor(principalId, roleId, this.byRoleId.get(roleId), this.settings);
  }
}

export interface InProcessDecider {
  readonly engine: CedarEngine;
  decide(request: unknown): Promise<Decision>;
}

/**
 * A ready-to-call `decide` over the repository's policies.
 *
 * @example
 * const pdp = createInProcessDecider(settings, [{ roleArn: 'arn:aws:iam::111111111111:role/x', roleId: 'AROAX' }]);
 * const decision = await pdp.decide({ principalId: 'AWS:AROAX:s', orgId: 'thorn-like', operation: 'detect', purpose: 'child-rescue', at });
 */
export const createInProcessDecider = (
  settings: GovernanceSettings,
  roles: readonly KnownRole[],
  options: { readonly clock?: Clock; readonly engine?: CedarEngine } = {},
): InProcessDecider => {
  const engine = options.engine ?? CedarEngine.load();
  const deps = {
    settings,
    engine,
    identity: new StaticCallerResolver(settings, roles),
    clock: options.clock ?? systemClock,
  };
  return { engine, decide: (request) => decide(request, deps) };
};
