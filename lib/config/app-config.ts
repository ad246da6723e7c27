/**
 * The deployment configuration: governance settings (moratorium + registry) plus the
 * infrastructure choices. Loaded once by `bin/app.ts`, validated with messages that say how to
 * fix each problem, and handed to the stack as a typed object.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
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
export const DEFAULT_RECOGNITION_MAX_CONCURRENCY = 5;

const RECOGNITION_MAX_CONCURRENCY_MESSAGE =
  'recognitionMaxConcurrency must be a whole number from 2 to 1000 (the SQS event source limit); keep it near your Rekognition TPS quota (default 5: 5 TPS in most Regions, 50 in us-east-1)';

const EVIDENCE_PERIOD_MESSAGE =
  'evidence.periodMinutes must be a whole number of minutes from 5 to 1440 (one digest per period; default 60)';
const EVIDENCE_MARGIN_MESSAGE =
  'evidence.retentionMarginDays must be a whole number of days from 1 to 36500, counted after the moratorium end (default 365)';

/** Ledger digests (docs/evidence.md): how often one is signed, and how long they stay locked. */
const evidenceSchema = z.object({
  periodMinutes: z
    .number({ error: EVIDENCE_PERIOD_MESSAGE })
    .int(EVIDENCE_PERIOD_MESSAGE)
    .min(5, EVIDENCE_PERIOD_MESSAGE)
    .max(1440, EVIDENCE_PERIOD_MESSAGE)
    .default(60),
  retentionMarginDays: z
    .number({ error: EVIDENCE_MARGIN_MESSAGE })
    .int(EVIDENCE_MARGIN_MESSAGE)
    .min(1, EVIDENCE_MARGIN_MESSAGE)
    .max(36_500, EVIDENCE_MARGIN_MESSAGE)
    .default(365),
});

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
    .object({ key: z.string().min(1).default('govrec:category'), value: z.string().min(1).default('police') })
    .default({ key: 'govrec:category', value: 'police' }),
  /** Principal tag whose value must equal the organisation id in the upload prefix. */
  orgPrincipalTag: z.string().min(1).default('govrec:org'),
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
  evidence: evidenceSchema.default({ periodMinutes: 60, retentionMarginDays: 365 }),
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
