import { CedarEngine, readPolicySources } from '../../../lambda/decision/cedar-engine';
import { PolicySetError } from '../../../lambda/decision/errors';
import { engine } from './fixtures';

describe('CedarEngine', () => {
  it('validates the policy set against the schema with no errors or warnings', () => {
    expect(engine.validate()).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('lists every policy with its id, effect and reason', () => {
    expect(engine.policies().map((p) => [p.id, p.effect, p.reason, p.file])).toEqual([
      ['moratorium-in-force', 'forbid', 'MORATORIUM_IN_FORCE', 'moratorium.cedar'],
      ['restricted-after-moratorium', 'forbid', 'RESTRICTED_AFTER_MORATORIUM', 'moratorium.cedar'],
      ['registered-use', 'permit', 'ALLOWED', 'registry.cedar'],
      ['unknown-principal', 'forbid', 'UNKNOWN_PRINCIPAL', 'registry.cedar'],
      ['organisation-mismatch', 'forbid', 'ORG_MISMATCH', 'registry.cedar'],
      ['operation-not-registered', 'forbid', 'OPERATION_NOT_REGISTERED', 'registry.cedar'],
      ['purpose-not-registered', 'forbid', 'PURPOSE_NOT_REGISTERED', 'registry.cedar'],
    ]);
  });

  it('reports a policy that does not fit the schema', () => {
    const sources = readPolicySources();
    const broken = CedarEngine.fromSources({
      schema: sources.schema,
      files: [
        ...sources.files.filter((file) => file.name === 'moratorium.cedar'),
        {
          name: 'broken.cedar',
          text: '@id("typo") @reason("NO_PERMIT") forbid (principal is Govrec::Role, action, resource) when { principal.categry == "police" };',
        },
      ],
    });
    const report = broken.validate();
    expect(report.valid).toBe(false);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatch(/^typo: .*categry/);
  });

  it.each([
    ['a policy without @id', '@reason("NO_PERMIT") forbid (principal, action, resource);', /needs an @id/],
    [
      'a policy without a known @reason',
      '@id("x") @reason("BECAUSE") forbid (principal, action, resource);',
      /needs @reason/,
    ],
    [
      'two policies with one id',
      '@id("x") @reason("NO_PERMIT") forbid (principal, action, resource); @id("x") @reason("NO_PERMIT") forbid (principal, action, resource);',
      /used twice/,
    ],
    ['text that does not parse', 'forbid (principal, action, resource', /does not parse/],
  ])('refuses to load %s', (_name, text, message) => {
    const { schema } = readPolicySources();
    expect(() => CedarEngine.fromSources({ schema, files: [{ name: 'bad.cedar', text }] })).toThrow(PolicySetError);
    expect(() => CedarEngine.fromSources({ schema, files: [{ name: 'bad.cedar', text }] })).toThrow(message);
  });

  it('refuses a folder without policies', () => {
    expect(() => CedarEngine.load('/nonexistent/policies')).toThrow(PolicySetError);
  });
});
