/**
 * The local S3: s3rver in-process on 127.0.0.1, a random port and a temporary directory, with
 * single-version versioning in front of it (see `s3-versioning.ts`) and the client settings it
 * needs. Handlers reach it through `AWS_ENDPOINT_URL_S3` and `GOVREC_S3_FORCE_PATH_STYLE=true`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account';
import { LocalServerError } from './errors';
import type { S3rverRecord } from './s3-events';
import { VersionRegistry, versioningMiddleware } from './s3-versioning';

/** s3rver's one account; the SDK must sign with this key id unless others are accepted. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalBucketSpec {
  readonly name: string;
  /** Give writes version ids (see `s3-versioning.ts`). @default false */
  readonly versioned?: boolean;
}

export interface LocalS3Options {
  readonly buckets?: readonly LocalBucketSpec[];
  /** Where objects are stored. @default a new temporary directory, removed by `stop()` */
  readonly directory?: string;
  /** @default process.env.AWS_REGION ?? 'eu-west-1' */
  readonly region?: string;
  /**
   * Further access key ids s3rver should accept (it checks the key id, not the SigV4 signature),
   * so handlers can keep the credentials of their environment.
   * @default [process.env.AWS_ACCESS_KEY_ID] when set
   */
  readonly acceptAccessKeyIds?: readonly string[];
}

/** A running local S3. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly region: string;
  readonly directory: string;
  /** A client configured for this server. */
  readonly client: S3Client;
  readonly versions: VersionRegistry;
  /** Environment a handler needs to use this server. */
  readonly env: Readonly<Record<string, string>>;
  createBucket(spec: LocalBucketSpec): Promise<void>;
  /** Records s3rver emitted since the last call (raw: convert with `fromS3rverRecord`). */
  takeEmittedRecords(): S3rverRecord[];
  stop(): Promise<void>;
}

/**
 * Serialises requests. s3rver's file store is not safe under concurrency: DeleteObject prunes
 * empty parent folders with an unguarded readdir/rmdir, so two deletes (or a delete and a put)
 * under one prefix can fail with InternalError after the object is already gone. The recognition
 * handler quarantines a batch's uploads in parallel, which hit exactly that.
 */
const oneAtATime = () => {
  let tail: Promise<unknown> = Promise.resolve();
  return (_ctx: unknown, next: () => Promise<void>): Promise<void> => {
    const run = tail.then(() => next());
    tail = run.catch(() => undefined);
    return run;
  };
};

/**
 * S3 client settings for s3rver. The checksum settings matter: with the SDK defaults a streamed
 * body is sent with aws-chunked framing, which s3rver stores verbatim (silent corruption).
 */
export const localS3ClientConfig = (endpoint: string, region: string): S3ClientConfig => ({
  endpoint,
  region,
  forcePathStyle: true,
  credentials: { ...S3RVER_CREDENTIALS },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

/**
 * Start s3rver and create the buckets.
 *
 * @example
 * const s3 = await startLocalS3({ buckets: [{ name: 'intake', versioned: true }] });
 * await s3.client.send(new PutObjectCommand({ Bucket: 'intake', Key: 'a.jpg', Body: bytes }));
 * await s3.stop();
 */
export const startLocalS3 = async (options: LocalS3Options = {}): Promise<LocalS3> => {
  const region = options.region ?? process.env.AWS_REGION ?? 'eu-west-1';
  const ownsDirectory = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'govrec-s3-'));
  const accepted = options.acceptAccessKeyIds ?? (process.env.AWS_ACCESS_KEY_ID ? [process.env.AWS_ACCESS_KEY_ID] : []);
  for (const keyId of accepted) AWSAccount.DUMMY_ACCOUNT.createKeyPair(keyId, 'unused');

  const versions = new VersionRegistry();
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    allowMismatchedSignatures: true,
  });
  // Koa composes its middleware list when the server starts listening, so these run first:
  // one request at a time, then versioning (so a version change is atomic with its write).
  server.middleware.unshift(oneAtATime(), versioningMiddleware(versions) as (typeof server.middleware)[number]);
  const emitted: S3rverRecord[] = [];
  server.on('event', (event: { Records: S3rverRecord[] }) => emitted.push(...event.Records));

  let port: number;
  try {
    ({ port } = await server.run());
  } catch (error) {
    throw new LocalServerError('s3rver did not start', { cause: error });
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client(localS3ClientConfig(endpoint, region));

  const createBucket = async (spec: LocalBucketSpec): Promise<void> => {
    await client.send(new CreateBucketCommand({ Bucket: spec.name }));
    if (spec.versioned === true) versions.enableVersioning(spec.name);
  };
  for (const bucket of options.buckets ?? []) await createBucket(bucket);

  return {
    endpoint,
    region,
    directory,
    client,
    versions,
    // The checksum variables give a handler's own S3 client the settings s3rver needs without code.
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      GOVREC_S3_FORCE_PATH_STYLE: 'true',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    },
    createBucket,
    takeEmittedRecords: () => emitted.splice(0, emitted.length),
    stop: async () => {
      client.destroy();
      try {
        await server.close();
      } catch (error) {
        throw new LocalServerError('s3rver did not stop', { cause: error });
      } finally {
        if (ownsDirectory) rmSync(directory, { recursive: true, force: true });
      }
    },
  };
};
