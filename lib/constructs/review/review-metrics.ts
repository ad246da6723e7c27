/**
 * The CloudWatch metrics the review console charts and alarms on, built from the names the
 * handlers export so the console and the code that emits cannot drift apart. Powertools adds the
 * `service` dimension to every metric a function publishes; the enforcement workflows publish
 * theirs with `PutMetricData` and only a `Category` dimension.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { RECOGNITION_METRICS } from '../../../lambda/recognition/metric-names';
import { METRICS_NAMESPACE, POLICY_METRICS } from '../../../lambda/shared/contracts';
import { OPERATIONS } from '../../../lambda/shared/settings';

/** The workflow metrics of moratorium enforcement (dimension `Category`), one data point per role. */
export const ENFORCEMENT_METRICS = {
  rolesDisabled: 'RolesDisabled',
  rolesRestored: 'RolesRestored',
  enforcementReapplied: 'EnforcementReapplied',
} as const;

/**
 * EnforceRole's count of a restricted role's Rekognition call or intake upload that CloudTrail
 * shows succeeded inside the window (dimension `Category`; alarmed). Kept out of
 * `ENFORCEMENT_METRICS`, whose entries each match a ledger action.
 */
export const RESTRICTED_CALL_SUCCEEDED_METRIC = 'RestrictedCallSucceeded';

/** Outcomes of an upload, as the recognition worker's `Uploads` metric names them. */
export const UPLOAD_OUTCOMES = ['RECOGNIZED', 'QUARANTINED', 'REJECTED', 'GONE', 'UNAVAILABLE', 'DUPLICATE'] as const;

/** Powertools service names of the two pipeline functions (their `service` dimension). */
export interface ReviewServiceNames {
  /** @default 'policy' */
  readonly policy?: string;
  /** @default 'recognition' */
  readonly recognition?: string;
}

export interface ReviewMetricsOptions {
  /** @default METRICS_NAMESPACE ('GovernedRecognition') */
  readonly namespace?: string;
  readonly serviceNames?: ReviewServiceNames;
  /** Categories under the moratorium, e.g. `['police']`. */
  readonly restrictedCategories: readonly string[];
  /** @default Duration.minutes(5) */
  readonly period?: Duration;
}

/**
 * Factory of every metric the console uses.
 *
 * @example
 * const m = new ReviewMetrics({ restrictedCategories: ['police'] });
 * new cloudwatch.Alarm(this, 'A', { metric: m.restrictedAllowedInWindow(), threshold: 1, evaluationPeriods: 1 });
 */
export class ReviewMetrics {
  readonly namespace: string;
  readonly policyService: string;
  readonly recognitionService: string;
  readonly restrictedCategories: readonly string[];
  private readonly period: Duration;

  constructor(options: ReviewMetricsOptions) {
    this.namespace = options.namespace ?? METRICS_NAMESPACE;
    this.policyService = options.serviceNames?.policy ?? 'policy';
    this.recognitionService = options.serviceNames?.recognition ?? 'recognition';
    this.restrictedCategories = options.restrictedCategories;
    this.period = options.period ?? Duration.minutes(5);
  }

  private metric(
    metricName: string,
    dimensionsMap: Record<string, string>,
    statistic: string,
    label: string,
    period = this.period,
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: this.namespace, metricName, dimensionsMap, statistic, label, period });
  }

  /** Sum: 1 per ALLOW to a restricted caller inside the window (must stay 0). */
  restrictedAllowedInWindow(period = Duration.minutes(1)): cloudwatch.Metric {
    return this.metric(
      POLICY_METRICS.restrictedAllowedInWindow,
      { service: this.policyService },
      cloudwatch.Stats.SUM,
      'Restricted requests allowed in the window',
      period,
    );
  }

  /** Sum: requests the policy function refused because its policy set is unusable (must stay 0). */
  policySetUnavailable(period = Duration.minutes(1)): cloudwatch.Metric {
    return this.metric(
      POLICY_METRICS.policySetUnavailable,
      { service: this.policyService },
      cloudwatch.Stats.SUM,
      'Requests refused: policy set unavailable',
      period,
    );
  }

  /**
   * Sum of decisions with one effect, one term per service that writes decisions: the policy
   * decision point, and the recognition worker for the denials it decides itself.
   */
  decisionsByEffectTerms(effect: 'ALLOW' | 'DENY'): cloudwatch.Metric[] {
    return [this.policyService, this.recognitionService].map((service) =>
      this.metric(
        POLICY_METRICS.decisions,
        { service, Effect: effect },
        cloudwatch.Stats.SUM,
        `Decisions ${effect} (${service})`,
      ),
    );
  }

  /** Sum of decisions with one effect over both services (a missing term counts 0). */
  decisionsByEffect(effect: 'ALLOW' | 'DENY'): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      ...filledSum(effect.toLowerCase(), this.decisionsByEffectTerms(effect)),
      label: `Decisions ${effect}`,
      period: this.period,
    });
  }

  /**
   * Denials of restricted categories, one line per service, reason and category that occurred: a
   * search expression, because which reasons appear is not known in advance (graphs only; alarms
   * cannot use SEARCH). Both services write decisions, so both are searched.
   */
  restrictedDenialsByReason(): cloudwatch.MathExpression {
    const categories = this.restrictedCategories.map((c) => `Category="${c}"`).join(' OR ');
    const services = `(service="${this.policyService}" OR service="${this.recognitionService}")`;
    const search = `SEARCH('{${this.namespace},service,Effect,Reason,Category} MetricName="${POLICY_METRICS.decisions}" ${services} Effect="DENY" (${categories})', 'Sum', ${this.period.toSeconds()})`;
    return new cloudwatch.MathExpression({ expression: search, usingMetrics: {}, label: '', period: this.period });
  }

  /** Decision latency over all decisions at a percentile, e.g. `p50`. */
  decisionLatency(statistic: string): cloudwatch.Metric {
    return this.metric(
      POLICY_METRICS.decisionLatency,
      { service: this.policyService },
      statistic,
      `Decision latency ${statistic}`,
    );
  }

  /** Upload-to-outcome time at a percentile. */
  endToEndLatency(statistic: string): cloudwatch.Metric {
    return this.metric(
      RECOGNITION_METRICS.endToEndLatency,
      { service: this.recognitionService },
      statistic,
      `End-to-end ${statistic}`,
    );
  }

  /** Sum of uploads that ended with `outcome`. */
  uploads(outcome: string): cloudwatch.Metric {
    return this.metric(
      RECOGNITION_METRICS.uploads,
      { service: this.recognitionService, Outcome: outcome },
      cloudwatch.Stats.SUM,
      outcome,
    );
  }

  /** Sum of objects moved to quarantine. */
  quarantined(): cloudwatch.Metric {
    return this.metric(
      RECOGNITION_METRICS.quarantined,
      { service: this.recognitionService },
      cloudwatch.Stats.SUM,
      'Quarantined',
    );
  }

  /** Rekognition calls, errors or throttles of every operation, one metric each. */
  rekognition(
    kind: 'rekognitionCalls' | 'rekognitionErrors' | 'rekognitionThrottles',
    period?: Duration,
  ): cloudwatch.Metric[] {
    return Object.values(OPERATIONS).map((operation) =>
      this.metric(
        RECOGNITION_METRICS[kind],
        { service: this.recognitionService, Operation: operation },
        cloudwatch.Stats.SUM,
        `${operation} ${RECOGNITION_METRICS[kind]}`,
        period,
      ),
    );
  }

  /** An enforcement workflow metric for each restricted category. */
  enforcement(kind: keyof typeof ENFORCEMENT_METRICS, period?: Duration): cloudwatch.Metric[] {
    return this.perCategory(ENFORCEMENT_METRICS[kind], period);
  }

  /** Restricted calls that succeeded in the window, one metric per restricted category. */
  restrictedCallSucceeded(period?: Duration): cloudwatch.Metric[] {
    return this.perCategory(RESTRICTED_CALL_SUCCEEDED_METRIC, period);
  }

  private perCategory(metricName: string, period?: Duration): cloudwatch.Metric[] {
    return this.restrictedCategories.map((category) =>
      this.metric(metricName, { Category: category }, cloudwatch.Stats.SUM, `${metricName} (${category})`, period),
    );
  }

  /** Restricted calls that succeeded in the window, all restricted categories summed (missing terms count 0). */
  restrictedCallsSucceeded(period = Duration.minutes(1)): cloudwatch.IMetric {
    return new cloudwatch.MathExpression({
      ...filledSum('c', this.restrictedCallSucceeded(period)),
      label: 'Restricted calls succeeded in the window',
      period,
    });
  }
}

/**
 * The sum of metrics where a missing term counts 0 (`FILL`): an operation nobody calls publishes
 * nothing, and a plain sum with a missing term is missing.
 *
 * @example
 * new cloudwatch.MathExpression({ ...filledSum('t', throttles), label: 'Throttles' });
 */
export const filledSum = (
  prefix: string,
  terms: readonly cloudwatch.IMetric[],
): { expression: string; usingMetrics: Record<string, cloudwatch.IMetric> } => {
  const usingMetrics = Object.fromEntries(terms.map((metric, i) => [`${prefix}${i}`, metric]));
  return {
    expression: Object.keys(usingMetrics)
      .map((name) => `FILL(${name}, 0)`)
      .join(' + '),
    usingMetrics,
  };
};
