/**
 * The deployed role-listing entry point: its real middy chain, its real IAM reader (the SDK
 * paginators over a mocked IAMClient, two ListRoles pages), invoked with the payload the sweep
 * state machine sends. What it prints is read back from stdout, as CloudWatch would.
 */
import 'aws-sdk-client-mock-jest';
import { IAMClient, ListRolesCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import type { Handler } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { captureStdout, freezeDate, lambdaContext, powertoolsOutputEnv } from '../../helpers/lambda-output';
import { ACCOUNT, INSIDE, NGO_ARN, POLICE_ARN, settings } from './fixtures';

process.env.GOVREC_SETTINGS = JSON.stringify(settings);
process.env.RESTRICTED_TAG_KEY = 'govrec:category';
process.env.RESTRICTED_TAG_VALUE = 'police';
powertoolsOutputEnv('roles');

const SHERIFF_ARN = `arn:aws:iam::${ACCOUNT}:role/units/sheriff`;
const role = (arn: string) => ({ Arn: arn, RoleName: arn.slice(arn.lastIndexOf('/') + 1) });
const iam = mockClient(IAMClient);

let handler: Handler;
beforeAll(async () => {
  ({ handler } = await import('../../../lambda/enforcement/roles/handler'));
});

describe('roles handler', () => {
  beforeEach(() => {
    iam.reset();
    iam
      .on(ListRolesCommand)
      .resolves({ Roles: [], IsTruncated: false })
      .on(ListRolesCommand, { Marker: undefined })
      .resolves({ Roles: [role(POLICE_ARN), role(NGO_ARN)] as never, IsTruncated: true, Marker: 'page-2' })
      .on(ListRolesCommand, { Marker: 'page-2' })
      .resolves({ Roles: [role(SHERIFF_ARN)] as never, IsTruncated: false });
    iam.on(ListRoleTagsCommand).resolves({ Tags: [], IsTruncated: false });
    iam.on(ListRoleTagsCommand, { RoleName: 'sheriff' }).resolves({
      Tags: [{ Key: 'govrec:category', Value: 'police' }],
      IsTruncated: false,
    });
  });
  afterEach(() => jest.useRealTimers());

  it('plans the sweep over every page of roles and logs the plan with the request id', async () => {
    freezeDate(INSIDE);
    const output = captureStdout();
    const trigger = { source: 'govrec.schedule', schedule: 'MoratoriumStartSchedule' };
    try {
      const plan = await handler({ action: 'sweep', trigger }, lambdaContext('roles', 'req-roles-1'), () => {});

      const enforcement = (roleArn: string) => ({ source: 'govrec.sweep', roleArn, at: INSIDE });
      expect(plan).toEqual({
        inForce: true,
        at: INSIDE,
        restrictedCount: 2,
        enforcements: [enforcement(POLICE_ARN), enforcement(SHERIFF_ARN)],
      });
      expect(iam).toHaveReceivedCommandTimes(ListRolesCommand, 2);
      expect(iam).toHaveReceivedCommandWith(ListRolesCommand, { Marker: 'page-2', MaxItems: 1000 });
      expect(iam).toHaveReceivedCommandTimes(ListRoleTagsCommand, 3);
      expect(output.logs).toEqual([
        expect.objectContaining({
          level: 'INFO',
          message: 'roles step',
          service: 'roles',
          function_name: 'roles',
          function_request_id: 'req-roles-1',
          action: 'sweep',
          trigger,
          plan,
        }),
      ]);
      // The sweep's metrics are put by the state machine, never by this function.
      expect(output.emf).toEqual([]);
      expect(output.other).toEqual([]);
    } finally {
      output.restore();
    }
  });

  it('fails the task with RoleListingError when IAM refuses the listing', async () => {
    freezeDate(INSIDE);
    iam.on(ListRolesCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const output = captureStdout();
    try {
      await expect(handler({ action: 'sweep' }, lambdaContext('roles', 'req-roles-2'), () => {})).rejects.toMatchObject(
        { name: 'RoleListingError', cause: { name: 'Throttling' } },
      );
      expect(output.logs).toEqual([]);
    } finally {
      output.restore();
    }
  });
});
