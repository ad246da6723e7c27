/**
 * `govrec upload`: one file through the same pipeline the scenario uses. The template's one-time
 * schedules that fall before the upload (the sweep at the window start, the restore at its end)
 * run first, as they would have on AWS, so a police upload inside the window meets disabled roles.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { OperationName } from '../../lambda/shared/settings';
import type { WrittenReport } from '../report';
import { DEFAULT_OFFLINE_CONFIG, loadOfflineConfig } from './config';
import { oneTimeSchedules } from './enforcement';
import { OfflineConfigError } from './errors';
import { OfflineSession, type SessionUpload } from './session';

export interface UploadOnceOptions {
  readonly file: string;
  /** Organisation whose prefix is written to; `unknown` uploads as the unregistered role. */
  readonly orgId: string;
  /** @default the organisation's first registered operation */
  readonly operation?: OperationName;
  /** The uploading role. @default the organisation's first role */
  readonly roleArn?: string;
  /** ISO instant of the upload on the simulated clock. @default now */
  readonly at?: string;
  readonly configPath?: string;
  readonly outputDir?: string;
  /** Progress output. */
  readonly print?: (line: string) => void;
  /** Start-up progress (synth, stand-ins, face model). @default silent */
  readonly progress?: (line: string) => void;
  /** Reuse the cloud assembly when config and code are unchanged. @default true */
  readonly reuseSynth?: boolean;
}

export interface UploadOnceResult {
  readonly upload: SessionUpload;
  readonly report: WrittenReport;
  /** The cloud assembly of an earlier run was reused (config and code unchanged). */
  readonly synthReused: boolean;
}

/** File name (without extension) of the report `govrec upload` writes. */
export const UPLOAD_REPORT = 'upload-report';

const CONTENT_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png' };

/**
 * @example
 * const { upload } = await uploadOnce({ file: 'me.jpg', orgId: 'thorn-like', operation: 'detect' });
 */
export const uploadOnce = async (options: UploadOnceOptions): Promise<UploadOnceResult> => {
  let body: Uint8Array;
  try {
    body = new Uint8Array(readFileSync(options.file));
  } catch (error) {
    throw new OfflineConfigError(`Cannot read ${options.file}: ${(error as Error).message}`, { cause: error });
  }
  const at = options.at ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(at)))
    throw new OfflineConfigError(`--at must be an ISO 8601 instant, e.g. 2027-07-01T09:00:00Z; got "${at}"`);
  const print = options.print ?? (() => undefined);
  // Check the organisation before the (slower) synth and stand-ins.
  const { config } = loadOfflineConfig(options.configPath ?? DEFAULT_OFFLINE_CONFIG);
  if (options.orgId !== 'unknown' && !config.governance.organisations.some((o) => o.id === options.orgId)) {
    throw new OfflineConfigError(
      `No organisation "${options.orgId}" in the configuration (known: ${config.governance.organisations.map((o) => o.id).join(', ')}, or "unknown")`,
    );
  }
  const session = await OfflineSession.start({
    ...(options.configPath !== undefined ? { configPath: options.configPath } : {}),
    ...(options.outputDir !== undefined ? { outputDir: options.outputDir } : {}),
    ...(options.progress !== undefined ? { progress: options.progress } : {}),
    ...(options.reuseSynth !== undefined ? { reuseSynth: options.reuseSynth } : {}),
  });
  try {
    const settings = session.app.config.governance;
    const org =
      options.orgId === 'unknown'
        ? settings.organisations[0]!
        : settings.organisations.find((o) => o.id === options.orgId);
    if (org === undefined)
      throw new OfflineConfigError(
        `No organisation "${options.orgId}" in the configuration (known: ${settings.organisations.map((o) => o.id).join(', ')}, or "unknown")`,
      );
    const roleArn = options.roleArn ?? session.pipeline.roleFor(options.orgId);
    const orgId = options.orgId === 'unknown' ? org.id : options.orgId;
    if (session.enforcement !== undefined) {
      for (const schedule of oneTimeSchedules(session.app).filter((s) => Date.parse(s.at) <= Date.parse(at))) {
        session.clock.set(schedule.at);
        const { machine, result } = await session.enforcement.runSchedule(schedule);
        print(`[${schedule.at}] ${machine} (${schedule.logicalId}): ${result.status}`);
      }
    }
    const upload = await session.upload({
      orgId,
      operation: options.operation ?? org.operations[0]!,
      name: basename(options.file),
      body,
      contentType: CONTENT_TYPES[extname(options.file).toLowerCase()] ?? 'application/octet-stream',
      roleArn,
      at: new Date(at).toISOString(),
    });
    // Its own report: the scenario's review-report.html in the same folder stays as it was.
    const report = await session.writeReport(undefined, {
      baseName: UPLOAD_REPORT,
      title: `Governed recognition: upload of ${basename(options.file)}`,
    });
    return { upload, report, synthReused: session.app.cached };
  } finally {
    await session.stop();
  }
};
