/**
 * The Cedar engine: loads the policies and schema once, pre-parses them into the WebAssembly
 * module's cache, and answers requests without re-parsing (a decision must stay cheap).
 *
 * Policies live in `policies/*.cedar`; every policy carries `@id("...")` (its id in decisions
 * and audit records) and `@reason("<ReasonCode>")` (the reason a decision gives when that policy
 * determines it). The schema is `policies/schema.cedarschema`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';
import { REASONS, type ReasonCode } from '../shared/decision';
import { PolicyEvaluationError, PolicySetError } from './errors';

type Cedar = typeof CedarWasm;
export type CedarEntityUid = CedarWasm.EntityUidJson;
export type CedarEntity = CedarWasm.EntityJson;
export type CedarContext = CedarWasm.Context;

let cedarModule: Cedar | undefined;
/**
 * The Node build of cedar-wasm, required lazily (CommonJS). It reads its `.wasm` from its own
 * `__dirname`, which in the Lambda bundle is the bundle folder (HouseFunction `withCedar` copies it there).
 */
export const cedar = (): Cedar => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cedarModule ??= require('@cedar-policy/cedar-wasm/nodejs') as Cedar;
  return cedarModule;
};

/** Where the policies are: next to the bundle on Lambda, else the repository's `policies/`. */
export const defaultPoliciesDir = (): string => {
  const bundled = path.join(__dirname, 'policies');
  return existsSync(bundled) ? bundled : path.resolve(__dirname, '..', '..', 'policies');
};

export const SCHEMA_FILE = 'schema.cedarschema';

/**
 * The moratorium rules (policies/moratorium.cedar) by id. A policy set without them would answer
 * ALLOW to a restricted caller inside the window, so an engine that lacks any of them refuses to
 * load and the policy function refuses to serve (see handler.ts).
 */
export const REQUIRED_POLICY_IDS = ['moratorium-in-force', 'restricted-after-moratorium'] as const;

/** One policy as a reviewer (or `govrec decide`) sees it. */
export interface PolicyInfo {
  readonly id: string;
  readonly effect: 'permit' | 'forbid';
  readonly reason: ReasonCode;
  readonly annotations: Readonly<Record<string, string>>;
  readonly file: string;
  readonly text: string;
}

/** Source text of a policy set: the schema and the policy files. */
export interface PolicySources {
  readonly schema: string;
  readonly files: readonly { readonly name: string; readonly text: string }[];
}

/** A request in Cedar's JSON shapes. */
export interface CedarRequest {
  readonly principal: CedarEntityUid;
  readonly action: CedarEntityUid;
  readonly resource: CedarEntityUid;
  readonly context: CedarContext;
  readonly entities: CedarEntity[];
}

export interface CedarResult {
  readonly decision: 'allow' | 'deny';
  /** Ids of the policies that determined the decision (Cedar's diagnostics `reason`). */
  readonly determining: readonly string[];
}

export interface ValidationReport {
  readonly valid: boolean;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

const failureText = (errors: readonly CedarWasm.DetailedError[]): string => errors.map((e) => e.message).join('; ');

/** Read the schema and every `.cedar` file of a folder (sorted, so ids and order are stable). */
export const readPolicySources = (dir: string = defaultPoliciesDir()): PolicySources => {
  try {
    const names = readdirSync(dir)
      .filter((name) => name.endsWith('.cedar'))
      .sort();
    return {
      schema: readFileSync(path.join(dir, SCHEMA_FILE), 'utf8'),
      files: names.map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') })),
    };
  } catch (error) {
    throw new PolicySetError(`Cannot read the Cedar policies from ${dir}`, { cause: error });
  }
};

const splitPolicies = (sources: PolicySources): PolicyInfo[] => {
  const policies: PolicyInfo[] = [];
  for (const file of sources.files) {
    const parts = cedar().policySetTextToParts(file.text);
    if (parts.type === 'failure') throw new PolicySetError(`${file.name} does not parse: ${failureText(parts.errors)}`);
    if (parts.policy_templates.length > 0)
      throw new PolicySetError(`${file.name} holds templates; only static policies are supported`);
    for (const text of parts.policies) {
      const json = cedar().policyToJson(text);
      if (json.type === 'failure') throw new PolicySetError(`${file.name}: ${failureText(json.errors)}`);
      const annotations = json.json.annotations ?? {};
      const { id, reason } = annotations;
      if (id === undefined || id === '')
        throw new PolicySetError(`${file.name}: every policy needs an @id("...") annotation`);
      if (!(REASONS as readonly string[]).includes(reason ?? '')) {
        throw new PolicySetError(
          `${file.name}: policy "${id}" needs @reason("<ReasonCode>") with one of ${REASONS.join(', ')}`,
        );
      }
      if (policies.some((p) => p.id === id)) throw new PolicySetError(`${file.name}: policy id "${id}" is used twice`);
      policies.push({ id, effect: json.json.effect, reason: reason as ReasonCode, annotations, file: file.name, text });
    }
  }
  return policies;
};

/** What `decide` needs of an engine: evaluation and the annotations of a policy. */
export type PolicyEvaluator = Pick<CedarEngine, 'evaluate' | 'policy'>;

/**
 * Stands in for an engine whose policies could not be loaded: every evaluation fails, so every
 * decision is a recorded POLICY_ERROR denial instead of a function that cannot start.
 */
export const unavailableEngine = (cause: unknown): PolicyEvaluator => ({
  evaluate: () => {
    throw new PolicySetError(`Cedar policies are unavailable: ${(cause as Error).message}`, { cause });
  },
  policy: () => undefined,
});

let engineCount = 0;

/**
 * A parsed, cached policy set with its schema.
 *
 * @example
 * const engine = CedarEngine.load();
 * const { decision, determining } = engine.evaluate({ principal, action, resource, context, entities });
 */
export class CedarEngine {
  private readonly policySetId: string;
  private readonly schemaName: string;
  private readonly byId: ReadonlyMap<string, PolicyInfo>;

  private constructor(
    private readonly sources: PolicySources,
    private readonly policyList: readonly PolicyInfo[],
  ) {
    engineCount += 1;
    this.policySetId = `govrec-policies-${engineCount}`;
    this.schemaName = `govrec-schema-${engineCount}`;
    this.byId = new Map(policyList.map((p) => [p.id, p]));
    const parsedPolicies = cedar().preparsePolicySet(this.policySetId, this.policySet());
    if (parsedPolicies.type === 'failure')
      throw new PolicySetError(`Cedar policies do not parse: ${failureText(parsedPolicies.errors)}`);
    const parsedSchema = cedar().preparseSchema(this.schemaName, sources.schema);
    if (parsedSchema.type === 'failure')
      throw new PolicySetError(`Cedar schema does not parse: ${failureText(parsedSchema.errors)}`);
  }

  /** Load from a folder (default: {@link defaultPoliciesDir}). Throws {@link PolicySetError} on any problem. */
  static load(dir?: string): CedarEngine {
    return CedarEngine.fromSources(readPolicySources(dir));
  }

  static fromSources(sources: PolicySources): CedarEngine {
    const policies = splitPolicies(sources);
    const missing = REQUIRED_POLICY_IDS.filter((id) => !policies.some((p) => p.id === id && p.effect === 'forbid'));
    if (missing.length > 0)
      throw new PolicySetError(
        `the policy set lacks the moratorium rule(s) ${missing.join(', ')} (forbid policies with these @id): refusing to decide without them`,
      );
    return new CedarEngine(sources, policies);
  }

  /** The policies, in file order, with their annotations. */
  policies(): readonly PolicyInfo[] {
    return this.policyList;
  }

  policy(id: string): PolicyInfo | undefined {
    return this.byId.get(id);
  }

  /** Validate the policy set against the schema (strict mode): what a test and a CI step check. */
  validate(): ValidationReport {
    const answer = cedar().validate({ schema: this.sources.schema, policies: this.policySet() });
    if (answer.type === 'failure') return { valid: false, errors: answer.errors.map((e) => e.message), warnings: [] };
    const errors = answer.validationErrors.map((e) => `${e.policyId}: ${e.error.message}`);
    const warnings = [
      ...answer.validationWarnings.map((w) => `${w.policyId}: ${w.error.message}`),
      ...answer.otherWarnings.map((w) => w.message),
    ];
    return { valid: errors.length === 0, errors, warnings };
  }

  /**
   * Evaluate one request. The request and its entities are checked against the schema. A policy
   * that errors during evaluation is an error here, not a silently skipped rule: Cedar ignores an
   * erroring forbid, and a skipped forbid must never turn into an allow.
   */
  evaluate(request: CedarRequest): CedarResult {
    const answer = cedar().statefulIsAuthorized({
      ...request,
      preparsedPolicySetId: this.policySetId,
      preparsedSchemaName: this.schemaName,
      validateRequest: true,
    });
    if (answer.type === 'failure')
      throw new PolicyEvaluationError(`Cedar rejected the request: ${failureText(answer.errors)}`);
    const { decision, diagnostics } = answer.response;
    if (diagnostics.errors.length > 0) {
      const detail = diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`).join('; ');
      throw new PolicyEvaluationError(`Cedar policies errored during evaluation: ${detail}`);
    }
    return { decision, determining: [...diagnostics.reason] };
  }

  private policySet(): CedarWasm.PolicySet {
    return { staticPolicies: Object.fromEntries(this.policyList.map((p) => [p.id, p.text])) };
  }
}
