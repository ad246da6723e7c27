/** The deployment's own numbers that bound throughput, read from the synthesized template. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchSetupError } from '../lib/errors';
import { REPO_ROOT } from '../lib/repo';

export interface DeploymentShape {
  readonly workerMemoryGb: number;
  readonly policyMemoryGb: number;
  readonly batchSize: number;
  /** `undefined` when the event source mapping sets no MaximumConcurrency. */
  readonly maxConcurrency: number | undefined;
  readonly maxReceiveCount: number;
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

export const deploymentShape = (): DeploymentShape => {
  const template = JSON.parse(
    readFileSync(join(REPO_ROOT, 'cdk.out', 'GovernedRecognition.template.json'), 'utf8'),
  ) as { Resources: Record<string, Resource> };
  const entries = Object.entries(template.Resources);
  const fn = (part: string) =>
    entries.find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.includes(part))?.[1].Properties;
  const mapping = entries.find(([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping')?.[1].Properties;
  const queue = entries.find(([id, r]) => r.Type === 'AWS::SQS::Queue' && id.includes('IntakeQueue'))?.[1].Properties;
  const worker = fn('RecognitionWorkerFunction');
  const policy = fn('PolicyDecisionPointFunction');
  if (worker === undefined || policy === undefined || mapping === undefined || queue === undefined)
    throw new BenchSetupError(
      'cdk.out lacks the worker, the policy function, the event source mapping or the intake queue',
    );
  const redrive = queue.RedrivePolicy as { maxReceiveCount?: number } | undefined;
  return {
    workerMemoryGb: Number(worker.MemorySize ?? 128) / 1024,
    policyMemoryGb: Number(policy.MemorySize ?? 128) / 1024,
    batchSize: Number(mapping.BatchSize ?? 10),
    maxConcurrency: (mapping.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency,
    maxReceiveCount: Number(redrive?.maxReceiveCount ?? 0),
    visibilityTimeoutSeconds: Number(queue.VisibilityTimeout ?? 30),
    retentionSeconds: Number(queue.MessageRetentionPeriod ?? 345_600),
  };
};
