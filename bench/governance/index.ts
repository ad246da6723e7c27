/**
 * Benchmark 2: what governance costs per upload. The same uploads go through the real
 * recognition worker logic with the policy step (Invoke of the real policy handler over the
 * local Lambda endpoint, IAM lookup, Cedar, DECISION record) and through a bench-only variant
 * without it, first with a zero-latency recognizer (only governance is left to measure), then
 * with the local face engine (a real model, so the share of governance in a realistic upload).
 */
import { Agent } from 'node:http';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createClients, type RecognitionClients } from '../../lambda/recognition/clients';
import type { Benchmark, Metric } from '../lib/types';
import { runPhase } from './phase';
import { startFaceEngine, zeroLatencyRecognizer } from './recognizers';
import { startStandIns } from './stand-ins';

/**
 * The worker's clients for the face-engine phase. The Rekognition client keeps the product's
 * `maxAttempts: 1` but opens a connection per call: the engine's HTTP server closes idle
 * keep-alive sockets after Node's default 5 s, and a call that reused one as it closed failed
 * with ECONNRESET now and then while the other variant's round ran. That is a property of the
 * local server, not of Rekognition, so the benchmark must not count it.
 */
const faceEngineClients = (): RecognitionClients => ({
  ...createClients({ s3ForcePathStyle: true }),
  rekognition: new RekognitionClient({
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: false }) }),
  }),
});

export const governanceOverhead: Benchmark = {
  name: 'governance',
  title: 'Governance overhead: governed vs ungoverned uploads, interleaved',
  async run({ quick }) {
    const standIns = await startStandIns();
    const metrics: Metric[] = [];
    try {
      const zeroClients = {
        governed: createClients({ s3ForcePathStyle: true }),
        ungoverned: createClients({ s3ForcePathStyle: true }),
      };
      const zero = zeroLatencyRecognizer([zeroClients.governed.rekognition, zeroClients.ungoverned.rekognition]);
      metrics.push(
        ...(await runPhase(
          standIns,
          zeroClients,
          zero,
          quick ? { perRound: 10, rounds: 2, warmupRounds: 1 } : { perRound: 40, rounds: 6, warmupRounds: 1 },
        )),
      );

      const engine = await startFaceEngine(standIns.s3.endpoint, standIns.s3.region);
      process.env.AWS_ENDPOINT_URL_REKOGNITION = engine.endpoint;
      const engineClients = { governed: faceEngineClients(), ungoverned: faceEngineClients() };
      const recognizer = engine.attach([engineClients.governed.rekognition, engineClients.ungoverned.rekognition]);
      try {
        metrics.push(
          ...(await runPhase(
            standIns,
            engineClients,
            recognizer,
            quick ? { perRound: 2, rounds: 1, warmupRounds: 1 } : { perRound: 6, rounds: 3, warmupRounds: 1 },
          )),
        );
      } finally {
        delete process.env.AWS_ENDPOINT_URL_REKOGNITION;
        await recognizer.stop();
      }
    } finally {
      await standIns.stop();
    }
    return metrics;
  },
};
