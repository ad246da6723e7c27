/**
 * Everything the per-upload logic needs, passed in, so tests build it from mocks and a fixed
 * clock without middy or environment tricks.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AuditLedger, OutcomeKind } from '../shared/audit';
import type { Clock } from '../shared/moratorium';
import type { GovernanceSettings } from '../shared/settings';
import type { RecognitionMetrics } from './metrics';
import type { RekognitionGateway } from './rekognition';

export interface UploadDeps {
  readonly s3: S3Client;
  readonly lambda: LambdaClient;
  readonly ledger: AuditLedger;
  readonly rekognition: RekognitionGateway;
  readonly settings: GovernanceSettings;
  readonly clock: Clock;
  readonly metrics: RecognitionMetrics;
  readonly logger: Logger;
  readonly quarantineBucket: string;
  readonly resultsBucket: string;
  readonly policyFunctionName: string;
  readonly policyTimeoutMs: number;
  /** The intake queue's maxReceiveCount: the receive that records a fail-closed outcome instead of retrying. */
  readonly maxReceiveCount: number;
}

/** What processing an upload ended in; stored by the idempotency layer, so plain JSON. */
export interface UploadResult {
  readonly decisionId: string;
  readonly outcome: OutcomeKind;
  /** True when the outcome was already in the ledger and nothing was done again. */
  readonly duplicate: boolean;
  readonly reason?: string;
  readonly location?: { readonly bucket: string; readonly key: string; readonly versionId?: string };
}
