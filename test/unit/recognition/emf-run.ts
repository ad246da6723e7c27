/**
 * Run one upload through the recognition handler logic with real Powertools metrics teed off the
 * harness's own recorder, and return the EMF records Powertools printed.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { powertoolsMetrics } from '../../../lambda/recognition/metrics';
import { s3Record, sqsEvent, sqsS3Record } from '../../helpers/events';
import { captureEmf, type EmfRecord, enableEmf } from '../decision/emf';
import { createHarness } from './harness';

export const emfOfUpload = async (
  key: string,
  body: Buffer,
  arrange: (harness: ReturnType<typeof createHarness>) => void = () => undefined,
): Promise<EmfRecord[]> => {
  const restoreEnv = enableEmf();
  const records = captureEmf();
  // An error path has no stored metric left to publish, and Powertools warns about it.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const metrics = new Metrics({ namespace: 'GovernedRecognition', serviceName: 'recognition' });
    const harness = createHarness({ tee: powertoolsMetrics(metrics) });
    try {
      harness.putObject(key, 'v-1', { body });
      arrange(harness);
      await harness.run(sqsEvent(sqsS3Record([s3Record({ key, versionId: 'v-1', size: body.length })])));
      metrics.publishStoredMetrics();
    } finally {
      harness.reset();
    }
    return records();
  } finally {
    restoreEnv();
  }
};
