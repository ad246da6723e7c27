/**
 * One offline session: synthesize, start the pipeline and (when the template has them) the
 * enforcement workflows; an upload goes through the pipeline and its CloudTrail record through
 * EnforceRole, as EventBridge's intake-upload rule would deliver it; at the end the review
 * report is collected and everything is stopped.
 */
import { join, resolve } from 'node:path';
import type { VerificationReport } from '../../lambda/evidence/verify';
import { OfflineEvidence } from '../evidence/offline-evidence';
import type { AccessResult } from '../iam/effect';
import {
  type CapturedMetrics,
  collectReportInput,
  type EnforcementEntry,
  putMetricDataPoints,
  type RunSection,
  type UploadImageInput,
  type WrittenReport,
  writeReviewReport,
} from '../report';
import type { LocalRunResult } from '../stepfunctions';
import { type SimulatedClock, simulatedClock } from './clock';
import { intakeUploadEvent } from './cloudtrail';
import { OfflineEnforcement } from './enforcement';
import { OfflinePipeline, type UploadOutcome, type UploadRequest } from './pipeline';
import { type SynthesizedApp, synthesizeOffline } from './synth';

export interface SessionOptions {
  /** @default 'config/governance.json' */
  readonly configPath?: string;
  /** Where the cloud assembly, the collections and the report go. @default 'output' */
  readonly outputDir?: string;
  /** The simulated clock's first reading. @default the moratorium start minus 60 days */
  readonly startAt?: string;
  /** Progress while starting (synth, stand-ins and face model), one line each. @default silent */
  readonly progress?: (line: string) => void;
  /** Reuse the cloud assembly when config and code are unchanged. @default true */
  readonly reuseSynth?: boolean;
}

/** An upload with what EnforceRole made of its CloudTrail record (when the stack has the workflow). */
export interface SessionUpload extends UploadOutcome {
  readonly enforcement?: LocalRunResult & { readonly action?: string };
  /**
   * What IAM answers for the uploader's PutObject at the upload time, given the inline policies
   * the enforcement workflows put on its role. The local S3 enforces no IAM, so a refused upload
   * still reaches the pipeline here (showing its own denial, the second lock); on AWS it would
   * never have been stored, and CloudTrail records it with `errorCode: AccessDenied`.
   */
  readonly iamAtUpload?: AccessResult;
}

/**
 * @example
 * const session = await OfflineSession.start({ outputDir: 'output' });
 * try { await session.upload({ ... }); await session.writeReport(); } finally { await session.stop(); }
 */
export class OfflineSession {
  /** Bytes of every upload, so the report can show recognised ones. */
  private readonly images: UploadImageInput[] = [];
  /** Ledger digests and their verification (docs/evidence.md); undefined without the evidence functions. */
  evidence: OfflineEvidence | undefined;
  /** What verification found, for the report (set by the scenario's evidence step). */
  evidenceReport: VerificationReport | undefined;

  private constructor(
    readonly app: SynthesizedApp,
    readonly clock: SimulatedClock,
    readonly pipeline: OfflinePipeline,
    readonly enforcement: OfflineEnforcement | undefined,
    readonly outputDir: string,
    /** Wall time of the synth and of starting the stand-ins (model load included), in ms. */
    readonly timings: { readonly synthMs: number; readonly standInsMs: number },
  ) {}

  static async start(options: SessionOptions = {}): Promise<OfflineSession> {
    const outputDir = resolve(options.outputDir ?? 'output');
    const progress = options.progress ?? (() => undefined);
    const t0 = Date.now();
    progress('Synthesizing the stack (skipped when config and code are unchanged)...');
    const app = synthesizeOffline({
      configPath: options.configPath ?? 'config/governance.json',
      outdir: join(outputDir, 'cdk.out'),
      ...(options.reuseSynth !== undefined ? { reuse: options.reuseSynth } : {}),
    });
    progress(
      app.cached
        ? 'Reused the synthesized template (config and code unchanged)'
        : `Synthesized in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const startAt =
      options.startAt ?? new Date(Date.parse(app.config.governance.moratorium.start) - 60 * 86_400_000).toISOString();
    const clock = simulatedClock(startAt);
    const t1 = Date.now();
    progress('Starting the local stand-ins (S3, DynamoDB, IAM, Lambda) and loading the face model...');
    const pipeline = await OfflinePipeline.start(app, clock, { collectionsFolder: join(outputDir, 'collections') });
    progress(`Stand-ins and face model ready in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    try {
      const enforcement = OfflineEnforcement.fromTemplate(app, pipeline.standIns, clock, pipeline.names.intakeBucket);
      const session = new OfflineSession(app, clock, pipeline, enforcement, outputDir, {
        synthMs: t1 - t0,
        standInsMs: Date.now() - t1,
      });
      session.evidence = await OfflineEvidence.start({
        template: app.template,
        region: app.region,
        accountId: app.accountId,
        dynamodb: pipeline.standIns.dynamodb.client,
        s3: pipeline.standIns.s3.client,
        clock,
        settings: app.config.governance,
        standInEnv: [pipeline.standIns.env],
        overrides: { POWERTOOLS_LOG_LEVEL: 'SILENT', GOVREC_SETTINGS: JSON.stringify(app.configJson) },
        // Their EMF goes to the run's metric capture under their own service names, like the others'.
        wrap: (service, handler) => pipeline.metrics.wrap(service, handler),
      });
      return session;
    } catch (error) {
      await pipeline.stop().catch(() => undefined);
      throw error;
    }
  }

  /** Upload through the pipeline, then hand its CloudTrail record to EnforceRole. */
  async upload(request: UploadRequest): Promise<SessionUpload> {
    const intakeKeyArn = `arn:aws:s3:::${this.pipeline.names.intakeBucket}/incoming/${request.orgId}/${request.operation}/${request.name}`;
    const iamAtUpload =
      this.enforcement === undefined
        ? undefined
        : await this.enforcement.access(request.roleArn, 's3:PutObject', intakeKeyArn, new Date(request.at));
    const outcome = await this.pipeline.upload(request);
    if (outcome.decision !== undefined) {
      // Keyed as the decision names the object (bucket, key and version), which is how the report looks it up.
      const object = {
        bucket: outcome.bucket,
        key: outcome.key,
        ...(outcome.versionId !== undefined ? { versionId: outcome.versionId } : {}),
      };
      this.images.push({ object, bytes: request.body });
    }
    if (this.enforcement === undefined) {
      await this.evidence?.capture();
      return outcome;
    }
    const role = this.pipeline.standIns.iam.roleByArn(request.roleArn)!;
    const event = intakeUploadEvent({
      role,
      sessionName: request.sessionName ?? 'govrec-offline',
      accountId: this.app.accountId,
      region: this.app.region,
      bucket: this.pipeline.names.intakeBucket,
      key: outcome.key,
      at: request.at,
      ...(iamAtUpload === 'ExplicitlyDenied' ? { errorCode: 'AccessDenied' } : {}),
    });
    const run = await this.enforcement.enforce(event);
    const action = run.output as
      | { record?: { action?: string }; assessment?: { record?: { action?: string } } }
      | undefined;
    const recorded = action?.assessment?.record?.action ?? action?.record?.action;
    await this.evidence?.capture();
    return {
      ...outcome,
      ...(iamAtUpload !== undefined ? { iamAtUpload } : {}),
      enforcement: { ...run, ...(recorded !== undefined ? { action: recorded } : {}) },
    };
  }

  /** The enforcement ledger as timeline entries (empty without enforcement). */
  async timeline(): Promise<EnforcementEntry[]> {
    return this.enforcement === undefined ? [] : this.enforcement.timeline();
  }

  /** Every data point the console would chart: the handlers' EMF and the workflows' PutMetricData. */
  capturedMetrics(): CapturedMetrics {
    const capture = this.pipeline.metrics;
    const calls = this.enforcement?.recorders.metrics ?? [];
    return {
      points: [...capture.points, ...calls.flatMap((call) => putMetricDataPoints(call))],
      emfRecords: capture.emfRecords,
      putMetricDataCalls: calls.length,
      serviceNames: this.pipeline.serviceNames,
      reattributed: capture.reattributed,
    };
  }

  /**
   * Collect the records and write `<baseName>.json` and `.html` into the output folder
   * (`review-report` for the scenario; `govrec upload` writes its own so it never replaces it).
   */
  async writeReport(run?: RunSection, options: { baseName?: string; title?: string } = {}): Promise<WrittenReport> {
    const { standIns, names } = this.pipeline;
    const collected = await collectReportInput({
      dynamodb: standIns.dynamodb.client,
      auditTable: names.auditTable,
      s3: standIns.s3.client,
      quarantineBucket: names.quarantineBucket,
    });
    const engineCalls = this.pipeline.engineCalls();
    return writeReviewReport(
      this.outputDir,
      {
        ...collected,
        ...(options.title !== undefined ? { title: options.title } : {}),
        generatedAt: this.clock.now().toISOString(),
        settings: this.app.config.governance,
        images: this.images,
        enforcement: await this.timeline(),
        faceEngineCalls: Object.values(engineCalls).reduce((a, b) => a + b, 0),
        metrics: this.capturedMetrics(),
        ...(run !== undefined ? { run } : {}),
        ...(this.evidenceReport !== undefined ? { evidence: this.evidenceReport } : {}),
      },
      options.baseName,
    );
  }

  async stop(): Promise<void> {
    await this.evidence?.stop();
    await this.pipeline.stop();
  }
}
