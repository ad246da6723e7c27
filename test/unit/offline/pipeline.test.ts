/**
 * The offline pipeline in-process on the synthesized stack: an upload the face engine cannot
 * serve is retried by the local queue and dead-lettered (never silently lost), and a denied
 * upload ends quarantined without any engine call. The face engine's endpoint is pointed at a
 * closed port before the first Rekognition request, which is when the SDK reads it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../lib/constructs/shared/house-function';
import { simulatedClock } from '../../../local/offline/clock';
import { fixtureImage } from '../../../local/offline/images';
import { OfflinePipeline } from '../../../local/offline/pipeline';
import { synthesizeOffline } from '../../../local/offline/synth';
import { readLedger, scanAll } from '../../../local/report';

describe('OfflinePipeline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'govrec-pipeline-'));
  let pipeline: OfflinePipeline;

  beforeAll(async () => {
    const app = synthesizeOffline({
      configPath: join(REPO_ROOT, 'config', 'governance.json'),
      outdir: join(dir, 'cdk.out'),
    });
    pipeline = await OfflinePipeline.start(app, simulatedClock('2027-05-01T00:00:00Z'), {
      collectionsFolder: join(dir, 'collections'),
    });
    process.env.AWS_ENDPOINT_URL_REKOGNITION = 'http://127.0.0.1:9';
  }, 120_000);

  afterAll(async () => {
    await pipeline?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("ends an allowed upload whose recognition keeps failing UNAVAILABLE on the template's final receive", async () => {
    const outcome = await pipeline.upload({
      orgId: 'marinus-like',
      operation: 'detect',
      name: 'coffee.png',
      body: fixtureImage('coffee.png'),
      contentType: 'image/png',
      roleArn: pipeline.roleFor('marinus-like'),
      at: '2027-05-01T10:00:00Z',
    });

    // The worker reads the queue's maxReceiveCount from the template's environment, so its last
    // receive records a fail-closed ending (the ALLOW superseded) instead of dead-lettering.
    expect(outcome.decision?.effect).toBe('ALLOW');
    expect(outcome.outcome).toBe('UNAVAILABLE');
    expect(outcome.deadLettered).toBe(0);
    expect(
      pipeline.app.template.redrivePolicy(
        pipeline.app.template.byPrefix('AWS::SQS::Queue', 'GovernedRecognitionIntakeQueue').logicalId,
      )?.maxReceiveCount,
    ).toBe(5);
  }, 60_000);

  it('tags every registered role with its organisation only, as a deployment does (none with the restricted tag)', () => {
    const tags = pipeline.settings.organisations.flatMap((org) =>
      org.roleArns.map((arn) => [arn, pipeline.standIns.iam.roleByArn(arn)?.tags]),
    );
    expect(tags).toEqual(
      pipeline.settings.organisations.flatMap((org) =>
        org.roleArns.map((arn) => [arn, { [pipeline.app.config.orgPrincipalTag]: org.id }]),
      ),
    );
  });

  it('quarantines a police upload in the window without a face engine call, restricted by its category, decided on the simulated clock', async () => {
    const outcome = await pipeline.upload({
      orgId: 'metro-police',
      operation: 'search',
      name: 'camera.png',
      body: fixtureImage('camera.png'),
      contentType: 'image/png',
      roleArn: pipeline.roleFor('metro-police'),
      at: '2027-07-01T10:00:00Z',
    });

    expect([outcome.decision?.effect, outcome.decision?.reason, outcome.outcome]).toEqual([
      'DENY',
      'MORATORIUM_IN_FORCE',
      'QUARANTINED',
    ]);
    expect(outcome.engineCalls).toEqual({});
    expect(outcome.deadLettered).toBe(0);
    const { decisions } = readLedger(await scanAll(pipeline.standIns.dynamodb.client, pipeline.names.auditTable));
    const caller = decisions.find((d) => d.decisionId === outcome.decisionId)?.caller;
    expect([caller?.category, caller?.restricted]).toEqual(['police', true]);
    // The handlers read the scenario's clock: decided and settled after the upload, within the step.
    const decided = Date.parse(outcome.decision!.decidedAt) - Date.parse('2027-07-01T10:00:00Z');
    expect(decided).toBeGreaterThanOrEqual(0);
    expect(decided).toBeLessThan(30_000);
    expect(Date.parse(outcome.outcomeAt!)).toBeGreaterThanOrEqual(Date.parse(outcome.decision!.decidedAt));
  }, 60_000);
});
