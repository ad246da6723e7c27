/**
 * `govrec report --stack`: the same review report as the offline run, built from the deployed
 * stack's records: the audit ledger, the result documents, the quarantine bucket and the
 * enforcement ledger, limited to decisions about instants in [from, to).
 */
import type { GovernanceSettings } from '../../lambda/shared/settings';
import {
  collectReportInput,
  enforcementEntriesOf,
  scanAll,
  type WrittenReport,
  writeReviewReport,
} from '../../local/report';
import { UsageError } from '../program';
import type { DeployedStack } from './stack';

/** A UsageError (exit 2) unless `from` is earlier than `to`. */
export const checkReportRange = (from: string, to: string): void => {
  if (!(Date.parse(from) < Date.parse(to))) throw new UsageError(`--from ${from} must be earlier than --to ${to}`);
};

export interface DeployedReportOptions {
  readonly settings: GovernanceSettings;
  readonly from: string;
  readonly to: string;
  readonly outputDir: string;
  /** The report's "generated at". @default now */
  readonly now?: Date;
}

const within = (at: unknown, from: string, to: string): boolean =>
  typeof at === 'string' && Date.parse(at) >= Date.parse(from) && Date.parse(at) < Date.parse(to);

/**
 * @example
 * const { htmlPath } = await reportFromStack(stack, { settings, from, to, outputDir: 'output' });
 */
export const reportFromStack = async (stack: DeployedStack, options: DeployedReportOptions): Promise<WrittenReport> => {
  checkReportRange(options.from, options.to);
  const { s3, dynamodb } = stack.clients;
  const collected = await collectReportInput({
    dynamodb,
    auditTable: stack.output('AuditTableName'),
    s3,
    quarantineBucket: stack.output('QuarantineBucketName'),
    within: { from: options.from, to: options.to },
  });
  const enforcement = enforcementEntriesOf(await scanAll(dynamodb, stack.output('EnforcementLedgerTableName'))).filter(
    (entry) => within(entry.at, options.from, options.to),
  );
  return writeReviewReport(
    options.outputDir,
    {
      generatedAt: (options.now ?? new Date()).toISOString(),
      settings: options.settings,
      ledgerItems: collected.ledgerItems,
      ...(collected.results !== undefined ? { results: collected.results } : {}),
      ...(collected.quarantine !== undefined ? { quarantine: collected.quarantine } : {}),
      enforcement,
      title: `Governed recognition: review report of stack ${stack.name}, ${options.from} to ${options.to}`,
    },
    `review-report-${stack.name}`,
  );
};
