/**
 * The governed pipeline on this machine: the synthesized template, the stand-ins named from it,
 * the real policy and recognition handler modules, and the intake queue in between. An upload
 * goes into the local S3 "as" a role, its S3 event goes through a `LocalQueue` with the template's
 * redrive and batch settings (partial batch failures, dead letters) to the recognition handler,
 * which asks the policy handler through the local Lambda endpoint.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { decisionIdFor, type OutcomeKind, type OutcomeRecord } from '../../lambda/shared/audit';
import { resetRuntimeClock, useRuntimeClock } from '../../lambda/shared/clock';
import { ENV } from '../../lambda/shared/contracts';
import type { Decision } from '../../lambda/shared/decision';
import { findOrganisation, type GovernanceSettings, type OperationName } from '../../lambda/shared/settings';
import { LocalQueue } from '../queue';
import { readLedger, scanAll } from '../report';
import { assumedRolePrincipalId, Sequencer, s3EventMessageBody } from '../s3-events';
import { uploadAs } from '../s3-upload';
import type { LocalTemplate } from '../template';
import type { SimulatedClock } from './clock';
import { OfflineConfigError, OfflineTemplateError, ScenarioError } from './errors';
import { type LoadedHandlers, loadHandlers } from './handlers';
import { MetricCapture } from './metric-capture';
import { type StandIns, startStandIns, unregisteredRoleArn } from './standins';
import type { SynthesizedApp } from './synth';

/** One upload "as" a role. */
export interface UploadRequest {
  /** Organisation whose prefix is written to (`incoming/<orgId>/...`). */
  readonly orgId: string;
  readonly operation: OperationName | string;
  /** Object name after `incoming/<orgId>/<operation>/`. */
  readonly name: string;
  readonly body: Uint8Array;
  readonly contentType?: string;
  /** The uploading role; it must exist in the local IAM. */
  readonly roleArn: string;
  /** Event time on the simulated clock (ISO). */
  readonly at: string;
  /** @default 'govrec-offline' */
  readonly sessionName?: string;
}

/** A face match of a search, as the result document holds it. */
export interface MatchView {
  readonly externalImageId?: string;
  readonly faceId?: string;
  readonly similarity: number;
}

/** What became of one upload, read back from the ledger and the results bucket. */
export interface UploadOutcome {
  readonly bucket: string;
  readonly key: string;
  /** The intake version the upload created (local S3 is versioned as the intake bucket is). */
  readonly versionId?: string;
  readonly at: string;
  readonly roleArn: string;
  readonly principalId: string;
  readonly decisionId: string;
  /** `decidedAt` is on the simulated clock: at or shortly after `at`. */
  readonly decision?: Pick<Decision, 'effect' | 'reason' | 'policyIds' | 'detail' | 'decidedAt'>;
  readonly outcome?: OutcomeKind;
  /** When the outcome was recorded (simulated clock). */
  readonly outcomeAt?: string;
  readonly summary?: OutcomeRecord['summary'];
  readonly matches: readonly MatchView[];
  /** Requests the face engine received while this upload was processed, per operation. */
  readonly engineCalls: Readonly<Record<string, number>>;
  /** Messages that ended in the dead-letter queue while this upload was processed. */
  readonly deadLettered: number;
}

/** The local names the run needs, all from the template. */
export interface PipelineNames {
  readonly intakeBucket: string;
  readonly quarantineBucket: string;
  readonly resultsBucket: string;
  readonly auditTable: string;
  readonly policyFunction: string;
  readonly recognitionFunction: string;
  readonly intakeQueue: string;
}

/** Find the names the run needs; a template without them is an {@link OfflineTemplateError}. */
export const pipelineNames = (template: LocalTemplate): PipelineNames => {
  try {
    const recognition = template.functionByPrefix('GovernedRecognitionRecognitionWorker');
    const policy = template.functionByPrefix('GovernedRecognitionPolicyDecisionPoint');
    const mapping = template.sqsEventSourceMappings().find((m) => m.functionLogicalId === recognition.logicalId);
    if (mapping === undefined)
      throw new OfflineTemplateError('No SQS event source mapping feeds the recognition function');
    const env = recognition.environment;
    const need = (key: string): string => {
      const value = env[key];
      if (value === undefined) throw new OfflineTemplateError(`The recognition function's environment has no ${key}`);
      return value;
    };
    return {
      intakeBucket: template.byPrefix('AWS::S3::Bucket', 'GovernedRecognitionIntakeBucket').name,
      quarantineBucket: need(ENV.quarantineBucket),
      resultsBucket: need(ENV.resultsBucket),
      auditTable: need(ENV.auditTable),
      policyFunction: policy.name,
      recognitionFunction: recognition.name,
      intakeQueue: template.nameOf(mapping.queueLogicalId),
    };
  } catch (error) {
    if (error instanceof OfflineTemplateError) throw error;
    throw new OfflineTemplateError(
      `The synthesized template lacks what the offline run needs: ${(error as Error).message}`,
      { cause: error },
    );
  }
};

const diff = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after)
      .map(([op, n]) => [op, n - (before[op] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );

/**
 * @example
 * const pipeline = await OfflinePipeline.start(app, clock, { collectionsFolder: 'output/collections' });
 * const outcome = await pipeline.upload({ orgId: 'thorn-like', operation: 'index', name: 'a.png', body, roleArn, at });
 * await pipeline.stop();
 */
export class OfflinePipeline {
  readonly names: PipelineNames;
  readonly queue: LocalQueue;
  private readonly sequencer = new Sequencer();
  /** Face engine calls per operation over the whole run (setup excluded). */
  private readonly engineBaseline: Record<string, number>;

  private constructor(
    readonly app: SynthesizedApp,
    readonly settings: GovernanceSettings,
    readonly clock: SimulatedClock,
    readonly standIns: StandIns,
    private readonly handlers: LoadedHandlers,
    /** The handlers' EMF output, captured off the terminal. */
    readonly metrics: MetricCapture,
  ) {
    this.names = pipelineNames(app.template);
    const mapping = app.template
      .sqsEventSourceMappings()
      .find((m) => app.template.nameOf(m.functionLogicalId) === this.names.recognitionFunction)!;
    this.queue = new LocalQueue({
      name: this.names.intakeQueue,
      clock,
      region: app.region,
      accountId: app.accountId,
      maxReceiveCount: app.template.redrivePolicy(mapping.queueLogicalId)?.maxReceiveCount ?? 3,
      batchSize: mapping.batchSize,
    });
    this.engineBaseline = standIns.faceEngine.calls();
  }

  /** Start the stand-ins and load the handlers. */
  static async start(
    app: SynthesizedApp,
    clock: SimulatedClock,
    options: { readonly collectionsFolder: string },
  ): Promise<OfflinePipeline> {
    const settings = app.config.governance;
    const names = pipelineNames(app.template);
    const standIns = await startStandIns({
      template: app.template,
      settings,
      accountId: app.accountId,
      region: app.region,
      orgPrincipalTag: app.config.orgPrincipalTag,
      collectionsFolder: options.collectionsFolder,
      clock,
    });
    let handlers: LoadedHandlers | undefined;
    const capture = MetricCapture.install();
    try {
      const functions = {
        policy: app.template.functionByPrefix('GovernedRecognitionPolicyDecisionPoint'),
        recognition: app.template.functionByPrefix('GovernedRecognitionRecognitionWorker'),
      };
      useRuntimeClock(clock);
      handlers = await loadHandlers(
        functions,
        [standIns.env],
        { GOVREC_SETTINGS: JSON.stringify(app.configJson) },
        capture,
      );
      standIns.lambda.register(names.policyFunction, {
        handler: handlers.policy,
        timeoutMs: functions.policy.timeoutSeconds * 1000,
      });
      standIns.lambda.register(names.recognitionFunction, {
        handler: handlers.recognition,
        timeoutMs: functions.recognition.timeoutSeconds * 1000,
      });
      return new OfflinePipeline(app, settings, clock, standIns, handlers, capture);
    } catch (error) {
      resetRuntimeClock();
      capture.uninstall();
      handlers?.restore();
      await standIns.stop().catch(() => undefined);
      throw error;
    }
  }

  /** The role an organisation uploads with (its first registered role), or the unregistered role for `unknown`. */
  roleFor(orgId: string): string {
    if (orgId === 'unknown') return unregisteredRoleArn(this.app.accountId);
    const org = findOrganisation(this.settings, orgId);
    if (org === undefined)
      throw new OfflineConfigError(
        `No organisation "${orgId}" in the configuration (known: ${this.settings.organisations.map((o) => o.id).join(', ')}, or "unknown")`,
      );
    return org.roleArns[0]!;
  }

  /** Powertools service names of the two functions, from the template. */
  get serviceNames(): LoadedHandlers['serviceNames'] {
    return this.handlers.serviceNames;
  }

  /** Face engine requests per operation since the stand-ins were set up. */
  engineCalls(): Record<string, number> {
    return diff(this.standIns.faceEngine.calls(), this.engineBaseline);
  }

  /** Upload, deliver the event through the queue to the recognition handler, and read back what happened. */
  async upload(request: UploadRequest): Promise<UploadOutcome> {
    const role = this.standIns.iam.roleByArn(request.roleArn);
    if (role === undefined)
      throw new OfflineConfigError(
        `The role ${request.roleArn} is not in the local IAM (registered roles and ${unregisteredRoleArn(this.app.accountId)} are)`,
      );
    // The handlers take their time from runtimeClock: in this run that is the scenario's clock,
    // starting at the upload's event time and advancing with the real processing time.
    this.clock.set(request.at);
    useRuntimeClock(this.clock);
    const principalId = assumedRolePrincipalId(role.roleId, request.sessionName ?? 'govrec-offline');
    const key = `incoming/${request.orgId}/${request.operation}/${request.name}`;
    const callsBefore = this.standIns.faceEngine.calls();
    const deadBefore = this.queue.deadLetters.length;
    const { record, versionId } = await uploadAs(this.standIns.s3, {
      bucket: this.names.intakeBucket,
      key,
      body: request.body,
      contentType: request.contentType,
      principalId,
      eventTime: new Date(request.at).toISOString(),
      sequencer: this.sequencer,
    });
    this.queue.send(s3EventMessageBody([record]));
    await this.queue.drain(
      (event: SQSEvent) =>
        this.standIns.lambda.invoke(this.names.recognitionFunction, event) as Promise<SQSBatchResponse>,
    );

    const decisionId = decisionIdFor({
      bucket: this.names.intakeBucket,
      key,
      ...(versionId !== undefined ? { versionId } : {}),
    });
    const { decisions, outcomes } = readLedger(await scanAll(this.standIns.dynamodb.client, this.names.auditTable));
    const decision = decisions.find((d) => d.decisionId === decisionId);
    const outcome = outcomes.get(decisionId);
    return {
      bucket: this.names.intakeBucket,
      key,
      ...(versionId !== undefined ? { versionId } : {}),
      at: request.at,
      roleArn: request.roleArn,
      principalId,
      decisionId,
      ...(decision !== undefined
        ? {
            decision: {
              effect: decision.effect,
              reason: decision.reason,
              policyIds: decision.policyIds,
              decidedAt: decision.decidedAt,
              ...(decision.detail !== undefined ? { detail: decision.detail } : {}),
            },
          }
        : {}),
      ...(outcome !== undefined
        ? {
            outcome: outcome.outcome,
            outcomeAt: outcome.recordedAt,
            ...(outcome.summary !== undefined ? { summary: outcome.summary } : {}),
          }
        : {}),
      matches: outcome?.outcome === 'RECOGNIZED' ? await this.matchesOf(outcome) : [],
      engineCalls: diff(this.standIns.faceEngine.calls(), callsBefore),
      deadLettered: this.queue.deadLetters.length - deadBefore,
    };
  }

  private async matchesOf(outcome: OutcomeRecord): Promise<MatchView[]> {
    const location = outcome.location;
    if (location === undefined)
      throw new ScenarioError(`Outcome ${outcome.decisionId} is RECOGNIZED but names no result document`);
    const got = await this.standIns.s3.client.send(
      new GetObjectCommand({ Bucket: location.bucket, Key: location.key, VersionId: location.versionId }),
    );
    const document = JSON.parse(await got.Body!.transformToString()) as {
      response?: { FaceMatches?: { Similarity?: number; Face?: { FaceId?: string; ExternalImageId?: string } }[] };
    };
    return (document.response?.FaceMatches ?? []).map((match) => ({
      similarity: match.Similarity ?? 0,
      ...(match.Face?.FaceId !== undefined ? { faceId: match.Face.FaceId } : {}),
      ...(match.Face?.ExternalImageId !== undefined ? { externalImageId: match.Face.ExternalImageId } : {}),
    }));
  }

  /** Stop every stand-in and put the environment and the handlers' wall clock back. */
  async stop(): Promise<void> {
    try {
      await this.standIns.stop();
    } finally {
      resetRuntimeClock();
      this.metrics.uninstall();
      this.handlers.restore();
    }
  }
}
