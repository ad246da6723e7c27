/**
 * `govrec verify`: check the ledgers against their signed digests, offline (an exported folder,
 * by default the offline run's `output/evidence`) or against a deployed stack (`--stack`).
 * Exit 0 when nothing is found wrong, 1 on any finding, 2 on a usage error.
 */

import { readFileSync } from 'node:fs';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { EVIDENCE_DEFAULTS } from '../../lambda/evidence/contract';
import { type VerificationReport, verifyLedgers } from '../../lambda/evidence/verify';
import {
  type EvidenceBundle,
  LEDGER_KEY_NAMES,
  readDeployedEvidence,
  readEvidenceDir,
  writeEvidenceDir,
} from './evidence-source';

/** How much later than its own time a record may reach the ledger stream before it counts as back-filled. */
export const BACKFILL_TOLERANCE_SECONDS = 900;

export interface VerifyOptions {
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
  readonly graceSeconds?: number;
}

/** Verify a bundle (the pure check; the command only gathers the inputs). */
export const verifyBundle = (bundle: EvidenceBundle, options: VerifyOptions): VerificationReport =>
  verifyLedgers({
    digests: bundle.digests,
    publicKeyPem: bundle.publicKeyPem,
    ledgers: bundle.ledgers,
    keyNames: LEDGER_KEY_NAMES,
    from: options.from,
    to: options.to,
    now: options.now,
    grid: bundle.grid,
    graceSeconds: options.graceSeconds ?? EVIDENCE_DEFAULTS.graceSeconds,
    backfillToleranceSeconds: BACKFILL_TOLERANCE_SECONDS,
  });

/** The report as lines of text. */
export const formatReport = (report: VerificationReport): string[] => [
  `Ledger verification ${report.from} .. ${report.to}`,
  `Digests:  ${report.digests.checked} read, ${report.digests.valid} with a valid signature${report.digests.coveredUntil ? `, covering up to ${report.digests.coveredUntil}` : ''}`,
  `Records:  ${report.records.verified} verified, ${report.records.notYetDigested} not in a digest yet (after the last one, or before the first)`,
  `Findings: ${report.findings.length === 0 ? 'none' : report.findings.length}`,
  ...report.findings.map(
    (finding) =>
      `  ${finding.kind}${finding.ledger ? ` ${finding.ledger}` : ''}${finding.key ? ` ${finding.key}` : ''}: ${finding.detail}`,
  ),
];

const stackOutputs = async (stackName: string): Promise<Record<string, string>> => {
  const { Stacks } = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: stackName }));
  return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
};

const fromStack = async (stackName: string, from: Date, to: Date, publicKeyPem?: string): Promise<EvidenceBundle> => {
  const outputs = await stackOutputs(stackName);
  const need = (name: string): string => {
    const value = outputs[name];
    if (value === undefined)
      throw new Error(`stack ${stackName} has no output ${name}: deploy a version with evidence`);
    return value;
  };
  return readDeployedEvidence(
    {
      dynamodb: new DynamoDBClient({}),
      s3: new S3Client({}),
      kms: new KMSClient({}),
      tables: { audit: need('AuditTableName'), enforcement: need('EnforcementLedgerTableName') },
      digestBucket: need('DigestBucketName'),
      signingKeyId: need('DigestSigningKeyArn'),
      grid: {
        periodMinutes: Number(need('DigestPeriodMinutes')),
        boundaries: [need('MoratoriumStart'), need('MoratoriumEnd')],
      },
      ...(publicKeyPem !== undefined ? { publicKeyPem } : {}),
    },
    from,
    to,
  );
};

export interface VerifyCommandOptions {
  readonly from: Date;
  readonly to?: Date;
  readonly stack?: string;
  readonly evidence: string;
  readonly publicKey?: string;
  readonly export?: string;
  readonly json?: boolean;
}

/** Run `govrec verify`; returns the exit code (0 nothing found, 1 findings). */
export const runVerify = async (options: VerifyCommandOptions, print: (line?: string) => void): Promise<number> => {
  const publicKeyPem = options.publicKey !== undefined ? readFileSync(options.publicKey, 'utf8') : undefined;
  const bundle =
    options.stack !== undefined
      ? await fromStack(options.stack, options.from, options.to ?? new Date(), publicKeyPem)
      : readEvidenceDir(options.evidence, publicKeyPem);
  // An exported folder says when it was read (the offline run's simulated time): judge it as of then.
  const now = bundle.asOf !== undefined ? new Date(bundle.asOf) : new Date();
  const to = options.to ?? now;
  if (options.export !== undefined)
    writeEvidenceDir(options.export, { ...bundle, asOf: bundle.asOf ?? now.toISOString() });
  const report = verifyBundle(bundle, { from: options.from, to, now });
  if (options.json === true) print(JSON.stringify(report, null, 2));
  else for (const line of formatReport(report)) print(line);
  return report.findings.length === 0 ? 0 : 1;
};
