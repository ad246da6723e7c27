/**
 * The evidence functions' environment, read and validated once at module load.
 */
import { optionalIntEnv, requireEnv, settingsFromEnv } from '../shared/env';
import type { GovernanceSettings } from '../shared/settings';
import { EVIDENCE_DEFAULTS, EVIDENCE_ENV } from './contract';
import type { PeriodGrid } from './periods';
import type { LedgerTables } from './stream-entry';

export interface EvidenceConfig {
  readonly journalTable: string;
  readonly tables: LedgerTables;
  readonly grid: PeriodGrid;
  readonly graceSeconds: number;
  readonly retentionMarginDays: number;
  readonly settings: GovernanceSettings;
}

export interface DigesterConfig extends EvidenceConfig {
  readonly digestBucket: string;
  readonly digestPrefix: string;
  readonly signingKeyId: string;
  /** `GOVREC_S3_FORCE_PATH_STYLE=true` for S3 stand-ins such as s3rver. */
  readonly s3ForcePathStyle: boolean;
}

const DAY_MS = 86_400_000;

/** The period grid of a deployment: `periodMinutes`, cut at the moratorium start and end. */
export const gridFor = (settings: GovernanceSettings, periodMinutes: number): PeriodGrid => ({
  periodMinutes,
  boundaries: [settings.moratorium.start, settings.moratorium.end],
});

/** Until when a digest written at `now` stays locked: the moratorium end (or `now`, if later) plus the margin. */
export const retainUntil = (settings: GovernanceSettings, marginDays: number, now: Date): Date =>
  new Date(Math.max(now.getTime(), Date.parse(settings.moratorium.end)) + marginDays * DAY_MS);

/**
 * @example
 * const config = loadEvidenceConfig(); // EVIDENCE_JOURNAL_TABLE, EVIDENCE_AUDIT_TABLE, EVIDENCE_ENFORCEMENT_TABLE, GOVREC_SETTINGS
 */
export const loadEvidenceConfig = (env: NodeJS.ProcessEnv = process.env): EvidenceConfig => {
  const settings = env === process.env ? settingsFromEnv() : settingsFromEnv(env.GOVREC_SETTINGS);
  return {
    journalTable: requireEnv(EVIDENCE_ENV.journalTable, env),
    tables: {
      [requireEnv(EVIDENCE_ENV.auditTable, env)]: 'audit',
      [requireEnv(EVIDENCE_ENV.enforcementTable, env)]: 'enforcement',
    },
    grid: gridFor(settings, optionalIntEnv(EVIDENCE_ENV.periodMinutes, EVIDENCE_DEFAULTS.periodMinutes, env)),
    graceSeconds: optionalIntEnv(EVIDENCE_ENV.graceSeconds, EVIDENCE_DEFAULTS.graceSeconds, env),
    retentionMarginDays: optionalIntEnv(EVIDENCE_ENV.retentionMarginDays, EVIDENCE_DEFAULTS.retentionMarginDays, env),
    settings,
  };
};

export const loadDigesterConfig = (env: NodeJS.ProcessEnv = process.env): DigesterConfig => ({
  ...loadEvidenceConfig(env),
  digestBucket: requireEnv(EVIDENCE_ENV.digestBucket, env),
  digestPrefix: env[EVIDENCE_ENV.digestPrefix] || EVIDENCE_DEFAULTS.digestPrefix,
  signingKeyId: requireEnv(EVIDENCE_ENV.signingKeyId, env),
  s3ForcePathStyle: env.GOVREC_S3_FORCE_PATH_STYLE === 'true',
});
