/**
 * `govrec upload --stack`: the file to the deployed intake bucket as an organisation uploads it
 * (key `incoming/<org>/<operation>/<name>`, the intake KMS key, `purpose` metadata), then the
 * decision and outcome the pipeline records for that object version, waited for up to a bound
 * when asked (`--wait`): waiting reads the audit ledger, which the uploader policy does not grant.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { decisionIdFor, type OutcomeRecord } from '../../lambda/shared/audit';
import type { Decision } from '../../lambda/shared/decision';
import { type DeployedStack, isAccessDenied } from './stack';

export interface DeployedUploadRequest {
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly orgId: string;
  readonly operation: string;
  readonly name: string;
  readonly purpose?: string;
  /** How long to wait for the outcome, in seconds (0: do not wait). */
  readonly waitSeconds: number;
}

export interface DeployedUpload {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly decisionId: string;
  readonly decision?: Decision;
  readonly outcome?: OutcomeRecord;
  /** Why the decision and outcome could not be read while waiting (the credentials may not read the audit ledger). */
  readonly unreadable?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @example
 * const upload = await uploadToStack(stack, { body, contentType: 'image/jpeg', orgId: 'thorn-like', operation: 'detect', name: 'a.jpg', waitSeconds: 60 });
 */
export const uploadToStack = async (stack: DeployedStack, request: DeployedUploadRequest): Promise<DeployedUpload> => {
  const bucket = stack.output('IntakeBucketName');
  const key = `incoming/${request.orgId}/${request.operation}/${request.name}`;
  const put = await stack.clients.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: request.body,
      ContentType: request.contentType,
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: stack.output('IntakeKeyArn'),
      ...(request.purpose !== undefined ? { Metadata: { purpose: request.purpose } } : {}),
    }),
  );
  const object = { bucket, key, ...(put.VersionId !== undefined ? { versionId: put.VersionId } : {}) };
  const decisionId = decisionIdFor(object);
  const documents = DynamoDBDocumentClient.from(stack.clients.dynamodb);
  const table = request.waitSeconds > 0 ? stack.output('AuditTableName') : '';
  const read = async (entry: 'DECISION' | 'OUTCOME') =>
    (await documents.send(new GetCommand({ TableName: table, Key: { decisionId, entry }, ConsistentRead: true }))).Item;
  const deadline = Date.now() + request.waitSeconds * 1000;
  let decision: Decision | undefined;
  let outcome: OutcomeRecord | undefined;
  let unreadable: string | undefined;
  // Waiting reads the audit ledger, which an uploader role may not: without --wait nothing is read.
  while (request.waitSeconds > 0) {
    try {
      decision ??= (await read('DECISION'))?.decision as Decision | undefined;
      outcome ??= (await read('OUTCOME'))?.record as OutcomeRecord | undefined;
    } catch (error) {
      if (!isAccessDenied(error)) throw error;
      unreadable = `permission denied reading the audit ledger ${table} (dynamodb:GetItem on it and kms:Decrypt on its key): ${(error as Error).message}`;
      break;
    }
    if (outcome !== undefined || Date.now() >= deadline) break;
    await sleep(2000);
  }
  return {
    ...object,
    decisionId,
    ...(unreadable !== undefined ? { unreadable } : {}),
    ...(decision !== undefined ? { decision } : {}),
    ...(outcome !== undefined ? { outcome } : {}),
  };
};
