/**
 * The two Rekognition back ends of the overhead benchmark, both behind the product's own
 * `RekognitionGateway` and SDK client: a zero-latency one (a middleware answers DetectFaces
 * in-process, before any serialisation or network), and the local face engine over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { createRekognitionClient } from '../../lambda/recognition/rekognition';
import { RekognitionServer, s3ObjectGetter } from '../../local/face-engine';
import type { S3Client } from '@aws-sdk/client-s3';

type RekognitionClient = ReturnType<typeof createRekognitionClient>;

/** Counts the operations a recognizer answered. */
export interface Recognizer {
  readonly name: 'zero-latency' | 'face-engine';
  calls(): number;
  stop(): Promise<void>;
}

/**
 * Make `client` answer every command at once with one detected face, and count the calls.
 * The middleware sits at the start of the stack, so no request is built or sent.
 */
export const zeroLatencyRecognizer = (clients: readonly RekognitionClient[]): Recognizer => {
  let calls = 0;
  for (const client of clients) client.middlewareStack.add(
    () => async () => {
      calls += 1;
      return { output: { FaceDetails: [{ Confidence: 99.9, BoundingBox: { Left: 0.1, Top: 0.1, Width: 0.5, Height: 0.5 } }], $metadata: { httpStatusCode: 200 } }, response: {} };
    },
    { step: 'initialize', name: 'benchZeroLatencyRekognition', priority: 'high' },
  );
  return { name: 'zero-latency', calls: () => calls, stop: async () => undefined };
};

/** Start the local face engine (model preloaded) and return the endpoint a client should use. */
export const startFaceEngine = async (s3: S3Client): Promise<{ endpoint: string; recognizer: Recognizer }> => {
  const folder = mkdtempSync(join(tmpdir(), 'govrec-bench-collections-'));
  const server = new RekognitionServer({ folder, getS3Object: s3ObjectGetter(s3), preload: true });
  const running = await server.start();
  return {
    endpoint: running.endpoint,
    recognizer: {
      name: 'face-engine',
      calls: () => server.callCount('DetectFaces'),
      async stop() {
        await running.stop();
        rmSync(folder, { recursive: true, force: true });
      },
    },
  };
};
