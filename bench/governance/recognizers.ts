/**
 * The two Rekognition back ends of the overhead benchmark, both behind the product's own
 * `RekognitionGateway` and SDK client: a zero-latency one (a middleware answers DetectFaces
 * in-process, before any serialisation or network), and the local face engine over HTTP in a
 * process of its own.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { createRekognitionClient } from '../../lambda/recognition/rekognition';
import { BenchSetupError } from '../lib/errors';

type RekognitionClient = ReturnType<typeof createRekognitionClient>;

/** Counts the operations a recognizer answered. */
export interface Recognizer {
  readonly name: 'zero-latency' | 'face-engine';
  calls(): number;
  /** Wall time of each call as the worker saw it, by the index of the client that sent it. */
  readonly callMs?: readonly number[][];
  stop(): Promise<void>;
}

/**
 * Make `client` answer every command at once with one detected face, and count the calls.
 * The middleware sits at the start of the stack, so no request is built or sent.
 */
export const zeroLatencyRecognizer = (clients: readonly RekognitionClient[]): Recognizer => {
  let calls = 0;
  for (const client of clients)
    client.middlewareStack.add(
      () => async () => {
        calls += 1;
        return {
          output: {
            FaceDetails: [{ Confidence: 99.9, BoundingBox: { Left: 0.1, Top: 0.1, Width: 0.5, Height: 0.5 } }],
            $metadata: { httpStatusCode: 200 },
          },
          response: {},
        };
      },
      { step: 'initialize', name: 'benchZeroLatencyRekognition', priority: 'high' },
    );
  return { name: 'zero-latency', calls: () => calls, stop: async () => undefined };
};

/** Count the calls `clients` send (at the start of the stack) and time each until its answer. */
const countCalls = (clients: readonly RekognitionClient[]): { calls: () => number; callMs: number[][] } => {
  let calls = 0;
  const callMs = clients.map((): number[] => []);
  clients.forEach((client, index) => {
    client.middlewareStack.add(
      (next) => async (args) => {
        calls += 1;
        const start = performance.now();
        try {
          return await next(args);
        } finally {
          callMs[index]!.push(performance.now() - start);
        }
      },
      { step: 'initialize', name: 'benchCountRekognition' },
    );
  });
  return { calls: () => calls, callMs };
};

/**
 * Start the local face engine (model preloaded) in a child process; the clients that will use
 * its endpoint are passed later to `attach`, which counts their calls.
 */
export const startFaceEngine = async (
  s3Endpoint: string,
  region: string,
): Promise<{ endpoint: string; attach(clients: readonly RekognitionClient[]): Recognizer }> => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'face-engine-process.ts'), s3Endpoint, region],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new BenchSetupError(`the face engine process exited early (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n') && line !== undefined) resolve((JSON.parse(line) as { endpoint: string }).endpoint);
    });
  });
  child.removeAllListeners('exit');
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { endpoint, attach: (clients) => ({ name: 'face-engine', ...countCalls(clients), stop }) };
};
