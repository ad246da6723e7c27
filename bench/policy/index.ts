/**
 * Benchmark 1: policy decision latency in-process (identity from a cache, Cedar evaluation,
 * building the decision) with 3, 100 and 10,000 registered organisations and roles. Callers are
 * spread over the whole registry so lookups do not all hit its first entries. Every decision is
 * checked: an NGO must be allowed and a police role denied for the moratorium, in the window.
 * Then the cost the static table hides: `IdentityResolver` loading 10,000 roles (identity-load.ts).
 */

import { CedarEngine } from '../../lambda/decision/cedar-engine';
import { createInProcessDecider } from '../../lambda/decision/in-process';
import { fixedClock } from '../../lambda/shared/moratorium';
import { measuredMetric, nowMs } from '../lib/measure';
import { expectEqual } from '../lib/sanity';
import type { Benchmark, Metric } from '../lib/types';
import { measureIdentityLoad } from './identity-load';
import { type Caller, exampleRegistry, generatedRegistry, type Registry } from './registry';

const SIZES = [3, 100, 10_000] as const;

const sample = (callers: readonly Caller[], count: number): Caller[] =>
  Array.from(
    { length: count },
    (_, i) => callers[Math.floor((i * callers.length) / count + (i % 7)) % callers.length]!,
  );

const measureRegistry = async (
  registry: Registry,
  engine: CedarEngine,
  decisions: number,
  warmup: number,
): Promise<number[]> => {
  const at = new Date(Date.parse(registry.settings.moratorium.start) + 86_400_000).toISOString();
  const pdp = createInProcessDecider(registry.settings, registry.roles, { engine, clock: fixedClock(at) });
  const callers = sample(registry.callers, warmup + decisions);
  const micros: number[] = [];
  for (const [i, caller] of callers.entries()) {
    const request = {
      principalId: `AWS:${caller.roleId}:bench`,
      orgId: caller.orgId,
      operation: caller.operation,
      purpose: caller.purpose,
      at,
    };
    const start = nowMs();
    const decision = await pdp.decide(request);
    const elapsed = (nowMs() - start) * 1000;
    // Checked outside the timed span, on every decision, warm-up included.
    expectEqual(`decision for ${caller.orgId}`, { effect: decision.effect, reason: decision.reason }, caller.expected);
    if (i >= warmup) micros.push(elapsed);
  }
  return micros;
};

export const policyLatency: Benchmark = {
  name: 'policy',
  title: 'Policy decision latency in-process',
  async run({ quick }) {
    const engine = CedarEngine.load();
    const decisions = quick ? 300 : 3000;
    const metrics: Metric[] = [];
    for (const size of SIZES) {
      const registry = size === 3 ? exampleRegistry() : generatedRegistry(size);
      const allows = registry.callers.filter((c) => c.expected.effect === 'ALLOW').length;
      expectEqual(`registry of ${size} has both kinds of caller`, allows > 0 && allows < registry.callers.length, true);
      const micros = await measureRegistry(registry, engine, decisions, quick ? 50 : 500);
      metrics.push(
        measuredMetric(
          `policy.decide.orgs-${size}`,
          'us',
          micros,
          `${registry.settings.organisations.length} organisations, ${registry.roles.length} roles; every decision checked`,
        ),
      );
    }
    metrics.push(...(await measureIdentityLoad(generatedRegistry(10_000), quick ? 2 : 5)));
    return metrics;
  },
};
