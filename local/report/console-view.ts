/**
 * The review console's numbers, recomputed from the metrics the run captured, next to the same
 * numbers counted from the records (audit ledger, enforcement ledger). The metric identities come
 * from the dashboard's own factory (`ReviewMetrics`), so a renamed metric or dimension shows up
 * here as a difference rather than as two reports that quietly agree with themselves.
 */
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { OutcomeRecord } from '../../lambda/shared/audit';
import type { Decision } from '../../lambda/shared/decision';
import { type GovernanceSettings, OPERATIONS } from '../../lambda/shared/settings';
import { type ENFORCEMENT_METRICS, ReviewMetrics, UPLOAD_OUTCOMES } from '../../lib/constructs/review/review-metrics';
import type { CapturedMetrics, ConsoleRow, ConsoleView, EnforcementEntry, MetricPoint } from './types';

export interface ConsoleViewInput {
  readonly settings: GovernanceSettings;
  readonly decisions: readonly Decision[];
  readonly outcomes: ReadonlyMap<string, OutcomeRecord>;
  readonly enforcement: readonly EnforcementEntry[];
  readonly metrics: CapturedMetrics;
}

const sameDimensions = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
};

/** Sum of the points of one CloudWatch metric: namespace, name and the exact dimension set. */
export const sumOfMetric = (
  points: readonly MetricPoint[],
  namespace: string,
  name: string,
  dimensions: Readonly<Record<string, string>>,
): number =>
  points
    .filter((p) => p.namespace === namespace && p.name === name && sameDimensions(p.dimensions, dimensions))
    .reduce((sum, p) => sum + p.value, 0);

const identity = (
  metric: cloudwatch.Metric,
): { namespace: string; name: string; dimensions: Record<string, string> } => ({
  namespace: metric.namespace,
  name: metric.metricName,
  dimensions: Object.fromEntries(Object.entries(metric.dimensions ?? {}).map(([k, v]) => [k, String(v)] as const)),
});

/**
 * The series a `SEARCH('{ns,dim,...} MetricName="X" k="v" (k="a" OR k="b")', ...)` expression
 * returns: every captured metric with exactly the schema's dimensions that passes the filters.
 */
export const searchSeries = (
  expression: string,
  points: readonly MetricPoint[],
): { namespace: string; name: string; dimensions: Record<string, string> }[] => {
  const schema = /\{([^}]+)\}/
    .exec(expression)?.[1]
    ?.split(',')
    .map((part) => part.trim());
  if (schema === undefined || schema.length === 0) return [];
  const [namespace, ...keys] = schema as [string, ...string[]];
  const filters = new Map<string, Set<string>>();
  for (const [, key, value] of expression.matchAll(/(\w+)="([^"]*)"/g)) {
    if (!filters.has(key!)) filters.set(key!, new Set());
    filters.get(key!)!.add(value!);
  }
  const names = filters.get('MetricName');
  filters.delete('MetricName');
  const seen = new Map<string, { namespace: string; name: string; dimensions: Record<string, string> }>();
  for (const p of points) {
    if (p.namespace !== namespace || (names !== undefined && !names.has(p.name))) continue;
    const dims = Object.keys(p.dimensions);
    if (dims.length !== keys.length || !keys.every((k) => p.dimensions[k] !== undefined)) continue;
    if (![...filters].every(([k, allowed]) => allowed.has(p.dimensions[k] ?? ''))) continue;
    seen.set(JSON.stringify([p.name, keys.map((k) => p.dimensions[k])]), {
      namespace,
      name: p.name,
      dimensions: { ...p.dimensions },
    });
  }
  return [...seen.values()];
};

/** The restricted category of a role, as the enforcement record states it or else the registry. */
const categoryOf = (settings: GovernanceSettings, entry: EnforcementEntry): string | undefined =>
  entry.category ?? settings.organisations.find((org) => org.roleArns.includes(entry.role))?.category;

/**
 * A denial the recognition worker wrote itself (`lambda/recognition/local-decision.ts`): it marks
 * them with this detail prefix, never resolves the caller, and counts them under its own `service`.
 */
export const isWorkerDenial = (decision: Decision): boolean =>
  decision.effect === 'DENY' && (decision.detail ?? '').startsWith('recognition handler:');

const ENFORCEMENT_ACTIONS: Record<keyof typeof ENFORCEMENT_METRICS, string> = {
  rolesDisabled: 'DISABLED',
  rolesRestored: 'RESTORED',
  enforcementReapplied: 'REAPPLIED',
};

/**
 * Build the section.
 *
 * @example
 * const view = consoleViewOf({ settings, decisions, outcomes, enforcement, metrics });
 * view.differences // 0 when the console and the ledger tell the same story
 */
export const consoleViewOf = (input: ConsoleViewInput): ConsoleView => {
  const { settings, decisions, outcomes, enforcement, metrics } = input;
  const m = new ReviewMetrics({
    restrictedCategories: settings.moratorium.restrictedCategories,
    serviceNames: metrics.serviceNames,
  });
  const points = metrics.points;
  const rows: ConsoleRow[] = [];
  const add = (
    widget: string,
    metric: { namespace: string; name: string; dimensions: Record<string, string> },
    records: number,
    recordsFrom: string,
  ): void => {
    const shown = sumOfMetric(points, metric.namespace, metric.name, metric.dimensions);
    rows.push({
      widget,
      metric: metric.name,
      dimensions: metric.dimensions,
      console: shown,
      records,
      recordsFrom,
      equal: shown === records,
    });
  };
  const allOutcomes = [...outcomes.values()];

  // The one number that must be 0: an ALLOW to a restricted caller while the moratorium was in force.
  const breaches = decisions.filter((d) => d.effect === 'ALLOW' && d.caller.restricted && d.moratorium.inForce).length;
  add(
    'Restricted requests ALLOWED inside the window (must be 0)',
    identity(m.restrictedAllowedInWindow()),
    breaches,
    'audit ledger: ALLOW decisions with caller.restricted and moratorium.inForce',
  );

  // Both services write decisions: the policy decision point, and the recognition worker for the
  // denials it decides itself (marked by isWorkerDenial). Each ledger decision belongs to one of them.
  const serviceOf = (d: Decision): string => (isWorkerDenial(d) ? m.recognitionService : m.policyService);

  // One line per (service, reason, category) the search finds or the ledger has.
  const widgetDenials = 'Restricted requests denied, by reason';
  const restricted = new Set(settings.moratorium.restrictedCategories);
  const restrictedDenials = decisions.filter(
    (d) => d.effect === 'DENY' && restricted.has(d.caller.category ?? 'unknown'),
  );
  const lineOf = (service: string, reason: string, category: string): string => `${service}|${reason}|${category}`;
  const series = new Map<string, { namespace: string; name: string; dimensions: Record<string, string> }>(
    searchSeries(m.restrictedDenialsByReason().expression, points).map(
      (s) => [lineOf(s.dimensions.service!, s.dimensions.Reason!, s.dimensions.Category!), s] as const,
    ),
  );
  for (const d of restrictedDenials) {
    const key = lineOf(serviceOf(d), d.reason, d.caller.category!);
    if (!series.has(key))
      series.set(key, {
        namespace: m.namespace,
        name: 'Decisions',
        dimensions: { service: serviceOf(d), Effect: 'DENY', Reason: d.reason, Category: d.caller.category! },
      });
  }
  for (const [key, s] of [...series].sort(([a], [b]) => a.localeCompare(b))) {
    const [service, reason, category] = key.split('|');
    const count = restrictedDenials.filter(
      (d) => serviceOf(d) === service && d.reason === reason && d.caller.category === category,
    ).length;
    add(
      widgetDenials,
      s,
      count,
      `audit ledger: DENY decisions by ${service} with reason ${reason} and caller.category ${category}`,
    );
  }

  // The widget sums the Decisions of both services, so it is compared with every decision in the ledger.
  for (const effect of ['ALLOW', 'DENY'] as const) {
    const terms = m.decisionsByEffectTerms(effect).map(identity);
    const shown = terms.reduce((sum, t) => sum + sumOfMetric(points, t.namespace, t.name, t.dimensions), 0);
    const records = decisions.filter((d) => d.effect === effect).length;
    const dimensions = { service: terms.map((t) => t.dimensions.service).join('+'), Effect: effect };
    rows.push({
      widget: 'All decisions by effect',
      metric: terms[0]!.name,
      dimensions,
      console: shown,
      records,
      recordsFrom: `audit ledger: all ${effect} decisions (policy decision point and recognition worker)`,
      equal: shown === records,
    });
  }

  for (const kind of Object.keys(ENFORCEMENT_ACTIONS) as (keyof typeof ENFORCEMENT_METRICS)[]) {
    for (const metric of m.enforcement(kind)) {
      const id = identity(metric);
      const count = enforcement.filter(
        (e) => e.action === ENFORCEMENT_ACTIONS[kind] && categoryOf(settings, e) === id.dimensions.Category,
      ).length;
      add(
        'Roles disabled, restored, re-applied after tamper',
        id,
        count,
        `enforcement ledger: ${ENFORCEMENT_ACTIONS[kind]} records of ${id.dimensions.Category} roles`,
      );
    }
  }

  for (const outcome of UPLOAD_OUTCOMES) {
    // The ledger holds one outcome per upload, so a re-delivery (DUPLICATE) never adds a record.
    const count = outcome === 'DUPLICATE' ? 0 : allOutcomes.filter((o) => o.outcome === outcome).length;
    add(
      'Uploads by outcome, quarantined objects',
      identity(m.uploads(outcome)),
      count,
      outcome === 'DUPLICATE'
        ? 'audit ledger: none (one OUTCOME per upload; re-deliveries add no record)'
        : `audit ledger: ${outcome} outcomes`,
    );
  }
  const moved = allOutcomes.filter(
    (o) => (o.outcome === 'QUARANTINED' || o.outcome === 'REJECTED') && o.location !== undefined,
  ).length;
  add(
    'Uploads by outcome, quarantined objects',
    identity(m.quarantined()),
    moved,
    'audit ledger: QUARANTINED and REJECTED outcomes with a quarantine location (objects moved to quarantine)',
  );

  const operationOf = (d: Decision): string | undefined =>
    (OPERATIONS as Readonly<Record<string, string>>)[d.request.operation];
  for (const metric of m.rekognition('rekognitionCalls')) {
    const id = identity(metric);
    const count = decisions.filter(
      (d) => d.effect === 'ALLOW' && d.request.object !== undefined && operationOf(d) === id.dimensions.Operation,
    ).length;
    add(
      'Rekognition calls by operation',
      id,
      count,
      `audit ledger: ALLOW decisions about an object for ${id.dimensions.Operation} (one call each, no retries)`,
    );
  }

  return {
    namespace: m.namespace,
    rows,
    differences: rows.filter((row) => !row.equal).length,
    restrictedAllowedInWindow: sumOfMetric(
      points,
      m.namespace,
      identity(m.restrictedAllowedInWindow()).name,
      identity(m.restrictedAllowedInWindow()).dimensions,
    ),
    emfRecords: metrics.emfRecords,
    putMetricDataCalls: metrics.putMetricDataCalls,
    dataPoints: points.length,
    reattributed: metrics.reattributed,
  };
};
