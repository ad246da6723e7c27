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

const BREAK_GLASS_MESSAGE =
  'guardrails.breakGlassPrincipalArn must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>): the one principal the moratorium guardrails exempt, and whose every use alarms';
const MANAGEMENT_ACCOUNT_MESSAGE =
  'guardrails.managementAccountId must be the 12-digit id of the Organizations management account (or a delegated administrator for Organizations policies)';

/**
 * Where the `GovernedRecognitionGuardrails` stack deploys and whom it exempts. It only exists when
 * a restricted organisation lists `accounts` or `organizationalUnits`.
 */
const guardrailsSchema = z.object({
  /**
   * The account that deploys the SCP and RCP: the Organizations management account or a delegated
   * administrator for policy management.
   * @default - the deployment account (`CDK_DEFAULT_ACCOUNT`)
   */
  managementAccountId: z
    .string()
    .regex(/^\d{12}$/, MANAGEMENT_ACCOUNT_MESSAGE)
    .optional(),
  /**
   * The account the pipeline stack runs in (the RCP's target). Set it when synthesizing with the
   * management account's credentials, whose account the CLI would otherwise take for the pipeline's.
   * @default - the deployment account (`CDK_DEFAULT_ACCOUNT`)
   */
  pipelineAccountId: z
    .string()
    .regex(/^\d{12}$/, 'guardrails.pipelineAccountId must be the 12-digit id of the account that runs the pipeline')
    .optional(),
  /**
   * A single role exempt from the SCP and RCP (break glass), e.g. for an incident that needs a
   * restricted account's Rekognition resources. Every call it makes in the enforcement account alarms.
   * @default - no exemption
   */
  breakGlassPrincipalArn: z
    .string({ error: BREAK_GLASS_MESSAGE })
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, BREAK_GLASS_MESSAGE)
    .optional(),
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
  /**
   * Regions besides the stack's where a sensor stack forwards Rekognition calls to enforcement
   * (CloudTrail events reach EventBridge only in the region of the call). Without them a call in
   * another region is caught by the periodic sweep only.
   * @default [] (no sensors)
   */
  sensorRegions: z
    .array(
      z
        .string()
        .regex(
          /^[a-z]{2}(-gov)?-[a-z]+-\d$/,
          'each sensorRegions entry must be an AWS region code such as eu-central-1',
        ),
    )
    .default([]),
  /** The Organizations guardrails (used only when a restricted organisation lists accounts or OUs). */
  guardrails: guardrailsSchema.default({}),
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
