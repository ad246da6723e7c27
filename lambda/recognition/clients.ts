/**
 * The AWS clients, created in this one module. Endpoints are never set here: an offline run
 * points the SDK at local stand-ins through the standard `AWS_ENDPOINT_URL_<SERVICE>` variables,
 * which the SDK reads itself, so the same code runs on AWS and on a laptop.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AUDIT_TRANSLATE_CONFIG } from '../shared/audit';
import type { RecognitionConfig } from './config';
import { createRekognitionClient } from './rekognition';

export interface RecognitionClients {
  readonly s3: S3Client;
  readonly lambda: LambdaClient;
  readonly dynamodb: DynamoDBClient;
  readonly auditDocuments: DynamoDBDocumentClient;
  /** Created by the Rekognition wrapper, the only module that may import that SDK. */
  readonly rekognition: ReturnType<typeof createRekognitionClient>;
}

/** Something applied to every client, e.g. X-Ray tracing; the identity by default. */
export type ClientInstrumentation = <T extends object>(client: T) => T;

/**
 * Create the clients. Endpoints come from the environment (`AWS_ENDPOINT_URL_S3`, ...).
 *
 * @example
 * const clients = createClients(loadConfig(), (client) => tracer.captureAWSv3Client(client));
 */
export const createClients = (
  config: Pick<RecognitionConfig, 's3ForcePathStyle'>,
  instrument: ClientInstrumentation = (client) => client,
): RecognitionClients => {
  const dynamodb = instrument(new DynamoDBClient({}));
  return {
    s3: instrument(
      new S3Client({
        forcePathStyle: config.s3ForcePathStyle,
        // Checksums only when S3 requires them: s3rver stored the SDK's default chunk framing as data.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    ),
    lambda: instrument(new LambdaClient({})),
    dynamodb,
    auditDocuments: DynamoDBDocumentClient.from(dynamodb, AUDIT_TRANSLATE_CONFIG),
    rekognition: instrument(createRekognitionClient()),
  };
};
