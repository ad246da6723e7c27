/**
 * A "deployed stack" on this machine for the tests of `govrec … --stack`: the offline session
 * (the real handlers and workflows over the stand-ins) after the sweep at the window start and two
 * uploads, plus a CloudFormation endpoint serving the stack's outputs. Run as a child process
 * (`node --import tsx test/helpers/deployed-standin.ts <output dir>`); it prints one JSON line,
 * `{ env, stack, reportPath }` (the `AWS_ENDPOINT_URL_*` and credentials a client needs), and
 * stops when its stdin closes.
 */

import { startCloudFormationEndpoint } from '../../local/offline/cloudformation-endpoint';
import { oneTimeSchedules } from '../../local/offline/enforcement';
import { fixtureImage } from '../../local/offline/images';
import { OfflineSession } from '../../local/offline/session';
import { STACK_ID } from '../../local/offline/synth';

const main = async (): Promise<void> => {
  const outputDir = process.argv[2] ?? 'output/deployed-standin';
  const session = await OfflineSession.start({ outputDir });
  const cfn = await startCloudFormationEndpoint(session.app.template, STACK_ID);
  const stop = async (): Promise<void> => {
    await cfn.stop();
    await session.stop();
    process.exit(0);
  };
  try {
    const settings = session.app.config.governance;
    const start = settings.moratorium.start;
    for (const schedule of oneTimeSchedules(session.app).filter((s) => s.at === start)) {
      session.clock.set(schedule.at);
      await session.enforcement?.runSchedule(schedule);
    }
    const inWindow = new Date(Date.parse(start) + 5 * 86_400_000).toISOString();
    await session.upload({
      orgId: 'metro-police',
      operation: 'detect',
      name: 'suspect.png',
      body: fixtureImage('camera.png'),
      contentType: 'image/png',
      roleArn: session.pipeline.roleFor('metro-police'),
      at: inWindow,
    });
    await session.upload({
      orgId: 'marinus-like',
      operation: 'detect',
      name: 'coffee.png',
      body: fixtureImage('coffee.png'),
      contentType: 'image/png',
      roleArn: session.pipeline.roleFor('marinus-like'),
      at: new Date(Date.parse(inWindow) + 3_600_000).toISOString(),
    });
    const written = await session.writeReport();
    process.stdout.write(
      `${JSON.stringify({
        env: { ...session.pipeline.standIns.env, AWS_ENDPOINT_URL_CLOUDFORMATION: cfn.endpoint },
        stack: STACK_ID,
        reportPath: written.jsonPath,
        outputs: cfn.outputs,
      })}\n`,
    );
  } catch (error) {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    await stop();
  }
  process.stdin.resume();
  process.stdin.on('end', () => void stop());
};

void main();
