/**
 * The CloudWatch metrics the enforcement workflows publish (SDK tasks, no Lambda), named once so
 * the state machines, their IAM and the dashboards of issue 5 agree. All in the project namespace;
 * the counts carry the restricted category (e.g. `police`) as the `Category` dimension.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE } from '../../../lambda/shared/contracts';

/** Namespace of every project metric (the IAM grant is conditioned on it). */
export const ENFORCEMENT_NAMESPACE = METRICS_NAMESPACE;

/** Metric names, by what they count. */
export const ENFORCEMENT_METRIC_NAMES = {
  /** A restricted role's deny, revoke policy or tags were found removed or altered (no dimension; alarmed). */
  tamper: 'EnforcementTamper',
  /** A role was disabled for the window (first time in this window). Dimension `Category`. */
  rolesDisabled: 'RolesDisabled',
  /** A role's deny and revoke policies were removed at the end. Dimension `Category`. */
  rolesRestored: 'RolesRestored',
  /** A tampered role's deny was written again. Dimension `Category`. */
  reapplied: 'EnforcementReapplied',
  /**
   * A restricted role's Rekognition call or intake upload SUCCEEDED inside the window (CloudTrail
   * shows no errorCode): the deny was not there yet, or did not hold. Dimension `Category`; alarmed.
   */
  restrictedCallSucceeded: 'RestrictedCallSucceeded',
} as const;

/** The dimension the per-role counts carry. */
export const CATEGORY_DIMENSION = 'Category';

/** One `MetricData` entry of a count, its category read from the state input at `categoryPath`. */
export const countDatum = (metricName: string, categoryPath?: string): Record<string, unknown> => ({
  MetricName: metricName,
  Value: 1,
  Unit: 'Count',
  ...(categoryPath === undefined ? {} : { Dimensions: [{ Name: CATEGORY_DIMENSION, 'Value.$': categoryPath }] }),
});

/**
 * A metric for dashboards and alarms (Sum over `period`).
 *
 * @example
 * enforcementMetric('rolesDisabled', 'police') // RolesDisabled{Category=police}, Sum per 5 minutes
 */
export const enforcementMetric = (
  name: keyof typeof ENFORCEMENT_METRIC_NAMES,
  category?: string,
  period: Duration = Duration.minutes(5),
): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: ENFORCEMENT_NAMESPACE,
    metricName: ENFORCEMENT_METRIC_NAMES[name],
    statistic: cloudwatch.Stats.SUM,
    period,
    ...(category === undefined ? {} : { dimensionsMap: { [CATEGORY_DIMENSION]: category } }),
  });
