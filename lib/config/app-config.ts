/**
 * The deployment configuration: governance settings (moratorium + registry) plus the
 * infrastructure choices. Loaded once by `bin/app.ts`, validated with messages that say how to
 * fix each problem, and handed to the stack as a typed object.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULTS } from '../../lambda/shared/contracts';
import {
  formatIssues,
  type GovernanceSettings,
  parseGovernance,
  SettingsValidationError,
} from '../../lambda/shared/settings';

/**
 * Default cap on concurrent recognition invocations from the intake queue. Rekognition's default
 * quota for the image operations the pipeline calls (DetectFaces, SearchFacesByImage,
 * IndexFaces) is 5 transactions per second per account in most Regions and 50 in us-east-1
 * (see "Amazon Rekognition endpoints and quotas" in the AWS General Reference,
 * https://docs.aws.amazon.com/general/latest/gr/rekognition.html, and the Service Quotas console
 * for your Region). 5 keeps a burst of uploads from scaling the worker straight into throttling.
 */
export const DEFAULT_RECOGNITION_MAX_CONCURRENCY = DEFAULTS.recognitionMaxConcurrency;

const RECOGNITION_MAX_CONCURRENCY_MESSAGE =
  'recognitionMaxConcurrency must be a whole number from 2 to 1000 (the SQS event source limit); keep it near your Rekognition TPS quota (default 5: 5 TPS in most Regions, 50 in us-east-1)';

const infraSchema = z.object({
  quarantine: z
    .object({
      retentionDays: z.number().int().min(1, 'quarantine.retentionDays must be at least 1').max(3650).default(90),
    })
    .default({ retentionDays: 90 }),
  results: z
    .object({
      retentionDays: z.number().int().min(1).max(3650).optional(),
    })
    .default({}),
  alarmEmail: z.email('alarmEmail must be an email address (or leave it out)').optional(),
  removalPolicy: z.enum(['retain', 'destroy']).default('retain'),
  /** How often the enforcement sweep looks for restricted roles that are not yet disabled. */
  sweepIntervalMinutes: z.number().int().min(5).max(1440).default(60),
  /** Tag on IAM roles that marks them restricted even when they are not registered. */
  restrictedTag: z
    .object({
      key: z.string().min(1).default(DEFAULTS.restrictedTag.key),
      value: z.string().min(1).default(DEFAULTS.restrictedTag.value),
    })
    .default(DEFAULTS.restrictedTag),
  /** Principal tag whose value must equal the organisation id in the upload prefix. */
  orgPrincipalTag: z.string().min(1).default(DEFAULTS.orgPrincipalTag),
  /**
   * Maximum concurrent recognition invocations the intake queue's event source starts (SQS
   * `maxConcurrency`, 2-1000). Messages beyond it wait in the queue instead of being throttled by
   * Rekognition and dead-lettered after five receives. Raise it with your Rekognition quota.
   * @default 5 (`DEFAULT_RECOGNITION_MAX_CONCURRENCY`)
   */
  recognitionMaxConcurrency: z
    .number({ error: RECOGNITION_MAX_CONCURRENCY_MESSAGE })
    .int(RECOGNITION_MAX_CONCURRENCY_MESSAGE)
    .min(2, RECOGNITION_MAX_CONCURRENCY_MESSAGE)
    .max(1000, RECOGNITION_MAX_CONCURRENCY_MESSAGE)
    .default(DEFAULT_RECOGNITION_MAX_CONCURRENCY),
});

const appConfigSchema = z.object({
  ...infraSchema.shape,
  moratorium: z.unknown(),
  organisations: z.unknown(),
});

export type InfraConfig = z.output<typeof infraSchema>;

/** The validated configuration the stack is built from. */
export interface AppConfig extends InfraConfig {
  readonly governance: GovernanceSettings;
}

/**
 * Validate a configuration object (as parsed from JSON).
 *
 * @example
 * const config = parseAppConfig(JSON.parse(text), 'config/governance.json');
 */
export const parseAppConfig = (input: unknown, source = 'configuration'): AppConfig => {
  const outer = appConfigSchema.safeParse(input);
  if (!outer.success) {
    throw new SettingsValidationError(`Invalid ${source}:\n${formatIssues(outer.error.issues)}`, {
      cause: outer.error,
    });
  }
  const { moratorium, organisations, ...infra } = outer.data;
  const governance = parseGovernance({ moratorium, organisations }, source);
  return { ...infra, governance };
};

/** Read and validate a JSON configuration file. */
export const loadAppConfig = (path: string): AppConfig => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SettingsValidationError(
      `Cannot read configuration file ${path}: set GOVREC_CONFIG or -c config=<path> to a readable JSON file`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SettingsValidationError(`Configuration file ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseAppConfig(json, path);
};
