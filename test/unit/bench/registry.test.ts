import { exampleRegistry, generatedRegistry } from '../../../bench/policy/registry';

describe('generatedRegistry', () => {
  it('registers n organisations with one role each, every tenth a police organisation', () => {
    const registry = generatedRegistry(100);

    expect(registry.settings.organisations).toHaveLength(100);
    expect(registry.roles).toHaveLength(100);
    expect(new Set(registry.roles.map((r) => r.roleId)).size).toBe(100);
    expect(registry.callers.filter((c) => c.expected.effect === 'DENY').map((c) => c.orgId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `org-${i * 10 + 9}`),
    );
    expect(registry.callers.find((c) => c.orgId === 'org-9')!.expected).toEqual({
      effect: 'DENY',
      reason: 'MORATORIUM_IN_FORCE',
    });
  });
});

describe('exampleRegistry', () => {
  it('uses the example configuration: two NGOs allowed and the police organisation denied in the window', () => {
    const registry = exampleRegistry();

    expect(registry.callers.map((c) => [c.orgId, c.expected.effect])).toEqual([
      ['thorn-like', 'ALLOW'],
      ['marinus-like', 'ALLOW'],
      ['metro-police', 'DENY'],
    ]);
    expect(registry.roles).toHaveLength(4);
  });
});
