/**
 * Where digests are kept: an S3 bucket with Object Lock. Each digest is written once
 * (If-None-Match: *) in COMPLIANCE mode, locked until the moratorium end plus the margin.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DigestWriteError } from './errors';

export interface DigestStore {
  /** Store `text` at `key` unless something is there already; false when it was. */
  putIfAbsent(key: string, text: string, retainUntil: Date): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
}

export class S3DigestStore implements DigestStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async putIfAbsent(key: string, text: string, retainUntil: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: text,
          ContentType: 'application/json',
          IfNoneMatch: '*',
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: retainUntil,
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      return true;
    } catch (error) {
      const name = (error as { name?: string }).name;
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (name === 'PreconditionFailed' || status === 412) return false;
      throw new DigestWriteError(`could not write digest s3://${this.bucket}/${key}`, { cause: error });
    }
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await result.Body?.transformToString('utf8');
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}
