/**
 * The deployed enforcer entry point: its real middy chain (tracer, logger with the Lambda
 * context), loaded as on Lambda with its environment, invoked with the payload the EnforceRole
 * state machine sends. What it prints is read back from stdout, as CloudWatch would.
 */
import type { Handler } from 'aws-lambda';
import { captureStdout, freezeDate, lambdaContext, powertoolsOutputEnv } from '../../helpers/lambda-output';
import { roleSessionCall } from '../../workflow/events';
import { ACCOUNT, INSIDE, POLICE_ARN, settings } from './fixtures';

process.env.GOVREC_SETTINGS = JSON.stringify(settings);
process.env.GOVREC_ACCOUNT_ID = ACCOUNT;
process.env.INTAKE_BUCKET_ARN = 'arn:aws:s3:::govrec-intake';
process.env.RESTRICTED_TAG_KEY = 'govrec:category';
process.env.RESTRICTED_TAG_VALUE = 'police';
powertoolsOutputEnv('enforcer');

let handler: Handler;
beforeAll(async () => {
  ({ handler } = await import('../../../lambda/enforcement/enforcer/handler'));
});

describe('enforcer handler', () => {
  afterEach(() => jest.useRealTimers());

  it('identifies the role of a Rekognition call in the window and logs the step with the request id', async () => {
    freezeDate(INSIDE);
    const output = captureStdout();
    const event = roleSessionCall('govrec-police-investigations', { eventTime: INSIDE, eventId: 'e-1' });
    try {
      const result = await handler({ action: 'identify', event }, lambdaContext('enforcer', 'req-enf-1'), () => {});

      expect(result).toMatchObject({ next: 'CHECK', subject: { roleArn: POLICE_ARN, registeredCategory: 'police' } });
      expect(output.logs).toEqual([
        expect.objectContaining({
          level: 'INFO',
          message: 'enforcer step',
          service: 'enforcer',
          function_name: 'enforcer',
          function_request_id: 'req-enf-1',
          action: 'identify',
          roleArn: POLICE_ARN,
          next: 'CHECK',
          recordAction: result.record.action,
        }),
      ]);
      // Enforcement metrics are put by the state machines' SDK tasks, never by this function.
      expect(output.emf).toEqual([]);
      expect(output.other).toEqual([]);
    } finally {
      output.restore();
    }
  });

  it('fails the task with a named error for an action it does not implement', async () => {
    const output = captureStdout();
    try {
      await expect(
        handler({ action: 'disable', event: {} }, lambdaContext('enforcer', 'req-enf-2'), () => {}),
      ).rejects.toMatchObject({ name: 'UnknownEnforcerActionError' });
      expect(output.logs).toEqual([]);
    } finally {
      output.restore();
    }
  });
});
