/**
 * The cost of loading identities: `IdentityResolver` loading 10,000 registered roles from an
 * in-process IAM mock (aws-sdk-client-mock, no network, no latency), once with `GetRole` per role
 * and once with `ListRoles` pages. The decision benchmark resolves callers from a static table;
 * this is the load that table stands in for. With real IAM each call adds its round trip, so the
 * call counts (reported alongside) are what decides the cold-start time.
 */
import { GetRoleCommand, IAMClient, ListRolesCommand, type Role } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { IdentityResolver } from '../../lambda/decision/identity';
import type { GovernanceSettings } from '../../lambda/shared/settings';
import { figure, measuredMetric, nowMs } from '../lib/measure';
import { expectEqual } from '../lib/sanity';
import type { Metric } from '../lib/types';
import type { Registry } from './registry';

/** IAM answering for exactly the registry's roles: GetRole by name, ListRoles 1,000 a page. */
const mockIamFor = (registry: Registry) => {
  const byName = new Map<string, Role>(
    registry.roles.map((r) => {
      const name = r.roleArn.slice(r.roleArn.lastIndexOf('/') + 1);
      return [name, { RoleName: name, RoleId: r.roleId, Arn: r.roleArn, Path: '/', CreateDate: new Date(0), Tags: [] }];
    }),
  );
  const all = [...byName.values()];
  const iam = mockClient(IAMClient);
  iam.on(GetRoleCommand).callsFake(async (input: { RoleName: string }) => ({ Role: byName.get(input.RoleName) }));
  iam.on(ListRolesCommand).callsFake(async (input: { Marker?: string; MaxItems?: number }) => {
    const from = Number(input.Marker ?? 0);
    const to = Math.min(all.length, from + (input.MaxItems ?? 100));
    return {
      Roles: all.slice(from, to).map(({ Tags: _tags, ...listed }) => listed),
      IsTruncated: to < all.length,
      ...(to < all.length ? { Marker: String(to) } : {}),
    };
  });
  return iam;
};

const loadOnce = async (
  settings: GovernanceSettings,
  listRolesAbove: number,
): Promise<{ ms: number; size: number }> => {
  const resolver = new IdentityResolver({ iam: new IAMClient({}), settings, listRolesAbove });
  const start = nowMs();
  const size = (await resolver.registry()).size;
  return { ms: nowMs() - start, size };
};

/**
 * Time full loads of `registry` both ways; every load must find every role.
 *
 * @example
 * const metrics = await measureIdentityLoad(generatedRegistry(10_000), 5);
 */
export const measureIdentityLoad = async (registry: Registry, runs: number): Promise<Metric[]> => {
  const iam = mockIamFor(registry);
  const n = registry.roles.length;
  const metrics: Metric[] = [];
  try {
    for (const [mode, threshold] of [
      ['getrole', Number.MAX_SAFE_INTEGER],
      ['listroles', 0],
    ] as const) {
      const series: number[] = [];
      iam.resetHistory();
      for (let i = 0; i < runs + 1; i += 1) {
        const { ms, size } = await loadOnce(registry.settings, threshold);
        expectEqual(`identity load (${mode}) finds every registered role`, size, n);
        if (i > 0) series.push(ms); // the first load warms the SDK middleware stack
      }
      const calls =
        (mode === 'getrole' ? iam.commandCalls(GetRoleCommand) : iam.commandCalls(ListRolesCommand)).length /
        (runs + 1);
      metrics.push(
        measuredMetric(
          `policy.identity-load.${mode}-${n}`,
          'ms',
          series,
          `IdentityResolver loading ${n} registered roles from mocked IAM in-process (no network latency)`,
        ),
      );
      metrics.push(
        figure(
          `policy.identity-load.${mode}-${n}.iam-calls`,
          'calls',
          calls,
          'derived',
          mode === 'getrole'
            ? 'GetRole calls per load, 5 in flight'
            : 'ListRoles pages per load (1,000 roles a page); tags read per calling role later',
        ),
      );
    }
  } finally {
    iam.restore();
  }
  return metrics;
};
