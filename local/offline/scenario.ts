/**
 * The scenario `govrec run` plays over a simulated clock, before, during and after the moratorium
 * window of the configuration: NGO indexing and searching with a real face model, a photo without
 * a face, a non-image, police uploads on both sides of and inside the window, the sweep at the
 * window start and the restore at its end (from the template's schedules), and an unknown caller.
 * Each step prints one line with its outcome; the review report is written at the end.
 */
import { join } from 'node:path';
import { type GovernanceSettings, isRestrictedCategory, type Organisation } from '../../lambda/shared/settings';
import type { AccessResult } from '../iam/effect';
import type { AccessCheckView, RoleStateView, RunStepView, WrittenReport } from '../report';
import { oneTimeSchedules } from './enforcement';
import { OfflineConfigError } from './errors';
import { astronautRetaken, fixtureImage, notAnImage } from './images';
import { checkScenarioTime } from './scenario-time';
import { OfflineSession, type SessionOptions } from './session';
import {
  describeAccess,
  describeExpectation,
  describeRun,
  describeUpload,
  meetsExpectation,
  roleNameOf,
  type UploadExpectation,
} from './steps';

const DAY = 86_400_000;

/** The organisations the scenario plays, chosen from the configuration by category and operations. */
export interface ScenarioCast {
  /** An NGO that may index and search (indexes the astronaut, searches for her). */
  readonly indexer: Organisation;
  /** An organisation that may detect (ideally another NGO). */
  readonly detector: Organisation;
  /** A restricted organisation with at least one role. */
  readonly police: Organisation;
}

/** Pick the cast; a configuration without one is an {@link OfflineConfigError}. */
export const castFrom = (settings: GovernanceSettings): ScenarioCast => {
  const open = settings.organisations.filter((org) => !isRestrictedCategory(settings, org.category));
  const indexer = open.find(
    (org) => org.operations.includes('index') && org.operations.includes('search') && org.collectionId !== undefined,
  );
  const detector =
    open.find((org) => org !== indexer && org.operations.includes('detect')) ??
    open.find((org) => org.operations.includes('detect'));
  const police = settings.organisations.find(
    (org) => isRestrictedCategory(settings, org.category) && org.roleArns.length > 0,
  );
  if (indexer === undefined || detector === undefined || police === undefined) {
    throw new OfflineConfigError(
      'The scenario needs an unrestricted organisation registered for index and search with a collection, one for detect, and a restricted organisation with a role',
    );
  }
  return { indexer, detector, police };
};

export interface ScenarioOptions extends SessionOptions {
  /** Progress output, one line per call. @default console.log */
  readonly print?: (line: string) => void;
}

export interface ScenarioResult {
  readonly report: WrittenReport;
  readonly steps: readonly RunStepView[];
  /** Every step as expected and the headline green. */
  readonly ok: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Play the scenario and write the report.
 *
 * @example
 * const { report, ok } = await runScenario({ outputDir: 'output' });
 * console.log(report.htmlPath);
 */
export const runScenario = async (options: ScenarioOptions = {}): Promise<ScenarioResult> => {
  const print = options.print ?? ((line: string) => console.log(line));
  const session = await OfflineSession.start(options);
  const scenarioStarted = Date.now();
  try {
    const { app, pipeline, enforcement } = session;
    const settings = app.config.governance;
    const cast = castFrom(settings);
    const start = Date.parse(settings.moratorium.start);
    const end = Date.parse(settings.moratorium.end);
    const steps: RunStepView[] = [];
    const accessChecks: AccessCheckView[] = [];
    const roleStates: RoleStateView[] = [];
    const policeRoles = cast.police.roleArns;
    const record = (step: Omit<RunStepView, 'index'>): void => {
      const view = { index: steps.length + 1, ...step };
      steps.push(view);
      print(
        `${String(view.index).padStart(2)}. [${view.at}] ${view.title}: ${view.outcome}${view.asExpected ? '' : `  (EXPECTED ${view.expected})`}`,
      );
    };

    const upload = async (
      title: string,
      at: number,
      org: Organisation,
      roleArn: string,
      operation: string,
      name: string,
      body: Uint8Array,
      contentType: string,
      expected: UploadExpectation,
    ): Promise<void> => {
      const outcome = await session.upload({ orgId: org.id, operation, name, body, contentType, roleArn, at: iso(at) });
      const enforced =
        outcome.enforcement !== undefined
          ? `; EnforceRole ${outcome.enforcement.action ?? describeRun(outcome.enforcement)}`
          : '';
      // The local S3 enforces no IAM: say when AWS would already have refused the PutObject.
      const refused =
        outcome.iamAtUpload === 'ExplicitlyDenied'
          ? '; IAM would refuse this PutObject (AccessDenied): on AWS it never reaches the pipeline'
          : '';
      record({
        at: iso(at),
        title,
        outcome: `${describeUpload(outcome)}${enforced}${refused}`,
        expected: describeExpectation(expected),
        asExpected: meetsExpectation(outcome, expected),
        decisionId: outcome.decisionId,
        key: outcome.key,
        faceEngineCalls: outcome.engineCalls,
      });
    };

    const snapshotRoles = (at: number, label: string): void => {
      for (const arn of policeRoles) {
        const role = pipeline.standIns.iam.roleByArn(arn)!;
        roleStates.push({
          at: iso(at),
          label,
          roleArn: arn,
          inlinePolicies: Object.keys(role.inlinePolicies).sort(),
          tags: { ...role.tags },
        });
      }
    };
    const checkAccess = async (at: number, label: string, tokenIssuedAt?: number): Promise<AccessResult[]> => {
      if (enforcement === undefined) return [];
      const results: { roleArn: string; result: AccessResult }[] = [];
      for (const roleArn of policeRoles) {
        const resource = `arn:aws:rekognition:${app.region}:${app.accountId}:collection/${cast.police.collectionId ?? 'any'}`;
        const result = await enforcement.access(
          roleArn,
          'rekognition:SearchFacesByImage',
          resource,
          new Date(at),
          tokenIssuedAt === undefined ? undefined : new Date(tokenIssuedAt),
        );
        accessChecks.push({ at: iso(at), roleArn, action: 'rekognition:SearchFacesByImage', resource, result, label });
        results.push({ roleArn, result });
      }
      print(`      IAM simulation (${label}): ${describeAccess(results)}`);
      return results.map((r) => r.result);
    };

    print(
      `Scenario over ${settings.moratorium.start} .. ${settings.moratorium.end} (moratorium on ${settings.moratorium.restrictedCategories.join(', ')}), stack ${app.template.stackName}, ${app.template.buckets().length} buckets, ${pipeline.standIns.collections.length} collections${enforcement === undefined ? ', no enforcement workflows in the template' : ', enforcement workflows EnforceRole/Sweep/Restore'}`,
    );
    for (const warning of app.warnings)
      print(`Synth ${warning.length > 160 ? `${warning.slice(0, 157)}...` : warning}`);
    const before = start - 40 * DAY + 9 * 3_600_000;
    const indexer = cast.indexer.roleArns[0]!;
    const detector = cast.detector.roleArns[0]!;
    const threshold = cast.indexer.faceMatchThreshold ?? 80;
    snapshotRoles(before, 'before the window');
    await upload(
      `${cast.indexer.id} indexes astronaut.png`,
      before,
      cast.indexer,
      indexer,
      'index',
      'astronaut.png',
      fixtureImage('astronaut.png'),
      'image/png',
      { effect: 'ALLOW', outcome: 'RECOGNIZED' },
    );
    await upload(
      `${cast.indexer.id} searches with another photo of her (mirrored, cropped, JPEG)`,
      before + 3_600_000,
      cast.indexer,
      indexer,
      'search',
      'astronaut-retaken.jpg',
      astronautRetaken(),
      'image/jpeg',
      {
        effect: 'ALLOW',
        outcome: 'RECOGNIZED',
        matchAtLeast: { externalImageId: 'astronaut.png', similarity: threshold },
      },
    );
    await upload(
      `${cast.indexer.id} searches with camera.png (someone else)`,
      before + 2 * 3_600_000,
      cast.indexer,
      indexer,
      'search',
      'camera.png',
      fixtureImage('camera.png'),
      'image/png',
      { effect: 'ALLOW', outcome: 'RECOGNIZED', noMatch: true },
    );
    await upload(
      `${cast.detector.id} detects faces on coffee.png (no face)`,
      before + 3 * 3_600_000,
      cast.detector,
      detector,
      'detect',
      'coffee.png',
      fixtureImage('coffee.png'),
      'image/png',
      { effect: 'ALLOW', outcome: 'RECOGNIZED' },
    );
    await upload(
      `${cast.detector.id} uploads a text file`,
      before + 4 * 3_600_000,
      cast.detector,
      detector,
      'detect',
      'notes.txt',
      notAnImage(),
      'text/plain',
      { effect: 'DENY', reason: 'INVALID_IMAGE', outcome: 'REJECTED', noEngineCall: true },
    );
    await upload(
      `${cast.police.id} detects on camera.png before the window`,
      before + DAY,
      cast.police,
      policeRoles[0]!,
      'detect',
      'camera-before.png',
      fixtureImage('camera.png'),
      'image/png',
      { effect: 'ALLOW', outcome: 'RECOGNIZED' },
    );
    await checkAccess(before + DAY, 'before the window');

    const schedules = oneTimeSchedules(app);
    const startSchedule = schedules.find((s) => Date.parse(s.at) === start);
    const notified = (since: number): string => {
      const published = enforcement?.recorders.published.slice(since) ?? [];
      return published.length === 0
        ? 'no notification'
        : `notified: ${published.map((p) => p.Subject ?? 'message').join(', ')}`;
    };
    if (enforcement !== undefined) {
      const sent = enforcement.recorders.published.length;
      session.clock.set(iso(start));
      const { result, enforcements } =
        startSchedule !== undefined
          ? await enforcement.runSchedule(startSchedule)
          : await enforcement
              .sweep({ trigger: 'moratorium-start' })
              .then(({ sweep, enforcements }) => ({ result: sweep, enforcements }));
      await session.evidence?.capture();
      const disabled = policeRoles.every(
        (arn) => Object.keys(pipeline.standIns.iam.roleByArn(arn)!.inlinePolicies).length > 0,
      );
      record({
        at: iso(start),
        title: `Sweep at the window start (${startSchedule?.logicalId ?? 'no schedule in template'})`,
        outcome: `${describeRun(result)}; ${enforcements.length} EnforceRole run(s): ${enforcements.map(describeRun).join(', ') || 'none'}; police roles ${disabled ? 'disabled' : 'NOT disabled'}; ${notified(sent)}`,
        expected: 'police roles disabled',
        asExpected: result.status === 'SUCCEEDED' && disabled,
      });
      snapshotRoles(start, 'after the sweep at the window start');
      await checkAccess(start + 3_600_000, 'in the window, new session');
      await checkAccess(start + 3_600_000, 'in the window, session issued before the sweep', start - 3_600_000);
    }

    const inside = start + 5 * DAY + 9 * 3_600_000;
    const denied: UploadExpectation = {
      effect: 'DENY',
      reason: 'MORATORIUM_IN_FORCE',
      outcome: 'QUARANTINED',
      noEngineCall: true,
    };
    for (const [index, roleArn] of policeRoles.entries()) {
      const operation = cast.police.operations[index % cast.police.operations.length]!;
      await upload(
        `${cast.police.id} (${roleNameOf(roleArn)}) ${operation} in the window`,
        inside + index * 3_600_000,
        cast.police,
        roleArn,
        operation,
        `suspect-${index + 1}.jpg`,
        astronautRetaken(),
        'image/jpeg',
        denied,
      );
    }
    await upload(
      `${cast.indexer.id} searches in the window (not restricted)`,
      inside + 3 * 3_600_000,
      cast.indexer,
      indexer,
      'search',
      'astronaut-in-window.jpg',
      astronautRetaken(),
      'image/jpeg',
      {
        effect: 'ALLOW',
        outcome: 'RECOGNIZED',
        matchAtLeast: { externalImageId: 'astronaut.png', similarity: threshold },
      },
    );
    await upload(
      'An unregistered role uploads under an NGO prefix',
      inside + 4 * 3_600_000,
      cast.indexer,
      pipeline.roleFor('unknown'),
      'search',
      'unknown.png',
      fixtureImage('camera.png'),
      'image/png',
      { effect: 'DENY', reason: 'UNKNOWN_PRINCIPAL', outcome: 'QUARANTINED', noEngineCall: true },
    );

    const normalAfter = settings.moratorium.afterWindow === 'normal-rules';
    if (enforcement !== undefined) {
      const endSchedule = schedules.find((s) => Date.parse(s.at) === end);
      const sent = enforcement.recorders.published.length;
      session.clock.set(iso(end));
      const { result } =
        endSchedule !== undefined
          ? await enforcement.runSchedule(endSchedule)
          : { result: await enforcement.restore({ trigger: 'moratorium-end' }) };
      await session.evidence?.capture();
      const restored = policeRoles.every(
        (arn) => Object.keys(pipeline.standIns.iam.roleByArn(arn)!.inlinePolicies).length === 0,
      );
      record({
        at: iso(end),
        title: `Restore at the window end (${endSchedule?.logicalId ?? 'no schedule in template'})`,
        outcome: `${describeRun(result)}; police roles ${restored ? 'restored' : 'still disabled'}; ${notified(sent)}`,
        expected: normalAfter ? 'police roles restored' : 'police roles kept denied (afterWindow: deny)',
        asExpected: result.status === 'SUCCEEDED' && restored === normalAfter,
      });
      snapshotRoles(end, 'after the restore at the window end');
      await checkAccess(end + 3_600_000, 'after the window');
    }
    const after = end + 2 * DAY + 9 * 3_600_000;
    await upload(
      `${cast.police.id} detects on camera.png after the window`,
      after,
      cast.police,
      policeRoles[0]!,
      'detect',
      'camera-after.png',
      fixtureImage('camera.png'),
      'image/png',
      normalAfter
        ? { effect: 'ALLOW', outcome: 'RECOGNIZED' }
        : { effect: 'DENY', reason: 'RESTRICTED_AFTER_MORATORIUM', outcome: 'QUARANTINED', noEngineCall: true },
    );

    if (session.evidence !== undefined) {
      const { playEvidenceStep } = await import('../evidence/scenario-step');
      const at = after + DAY;
      const step = await playEvidenceStep(
        session.evidence,
        pipeline.standIns.dynamodb.client,
        (t) => session.clock.set(t),
        at,
        join(session.outputDir, 'evidence'),
      );
      session.evidenceReport = step.report;
      record({
        at: iso(at),
        title:
          'An administrator rewrites a police denial as ALLOW, then deletes an enforcement record with its stream off',
        outcome: `govrec verify: ${step.report.findings.map((f) => `${f.kind} (${f.ledger})`).join(', ') || 'no finding'}; ${step.report.records.verified} records verified against ${step.digestsWritten} signed digests (${(step.wallMs / 1000).toFixed(1)} s)`,
        expected: 'verification names both records',
        asExpected: step.asExpected,
      });
    }

    const report = await session.writeReport({
      steps,
      accessChecks,
      roleStates,
      faceEngineCallsByOperation: pipeline.engineCalls(),
      deadLetters: pipeline.queue.deadLetters.length,
    });
    const consoleView = report.report.consoleView;
    const consoleAgrees = consoleView === undefined || consoleView.differences === 0;
    const time = checkScenarioTime(report.report.uploads, session.capturedMetrics().points);
    const ok =
      report.report.headline.ok &&
      steps.every((step) => step.asExpected) &&
      report.report.headline.uploadsWithoutOutcome === 0 &&
      consoleAgrees &&
      time.ok;
    print(`${report.report.headline.text}`);
    print(time.line);
    if (consoleView !== undefined) {
      const differing = consoleView.rows
        .filter((row) => !row.equal)
        .map(
          (row) =>
            `${row.metric}{${Object.values(row.dimensions).join(',')}} console ${row.console} vs records ${row.records}`,
        );
      print(
        `Console view: ${consoleView.rows.length} dashboard numbers from ${consoleView.emfRecords} EMF records and ${consoleView.putMetricDataCalls} PutMetricData calls; ${differing.length === 0 ? 'all equal to the records' : `${differing.length} DIFFER: ${differing.join('; ')}`}; restricted requests allowed in the window: ${consoleView.restrictedAllowedInWindow}`,
      );
    }
    print(
      `${steps.filter((s) => s.asExpected).length} of ${steps.length} steps as expected; face engine calls: ${Object.entries(
        pipeline.engineCalls(),
      )
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')}`,
    );
    const seconds = (ms: number): string => (ms / 1000).toFixed(1);
    print(
      `Time: synth ${seconds(session.timings.synthMs)} s, stand-ins and face model ${seconds(session.timings.standInsMs)} s, scenario and report ${seconds(Date.now() - scenarioStarted)} s`,
    );
    return { report, steps, ok };
  } finally {
    await session.stop();
  }
};
