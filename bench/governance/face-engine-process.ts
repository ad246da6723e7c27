/**
 * The local face engine in its own process, for the overhead benchmark. In-process, each
 * inference (~0.1-0.3 s of WebAssembly) blocks the event loop that also serves the policy
 * Lambda's Invoke, so the governed variant would be charged for waiting behind the model; on AWS
 * Rekognition is another machine. Prints `{"endpoint": ...}` on its first stdout line.
 * Run as `node --import tsx bench/governance/face-engine-process.ts <s3-endpoint> <region>`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { RekognitionServer, s3ObjectGetter } from '../../local/face-engine';
import { localS3ClientConfig } from '../../local/s3';

const main = async (): Promise<void> => {
  const [s3Endpoint, region] = process.argv.slice(2);
  if (s3Endpoint === undefined || region === undefined)
    throw new Error('usage: face-engine-process.ts <s3-endpoint> <region>');
  const folder = mkdtempSync(join(tmpdir(), 'govrec-bench-collections-'));
  const server = new RekognitionServer({
    folder,
    getS3Object: s3ObjectGetter(new S3Client(localS3ClientConfig(s3Endpoint, region))),
    preload: true,
  });
  const running = await server.start();
  const stop = async () => {
    await running.stop();
    rmSync(folder, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop()); // the parent went away
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ endpoint: running.endpoint })}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
