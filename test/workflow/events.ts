/**
 * Builders for the inputs of the enforcement workflows: CloudTrail API-call events as
 * EventBridge delivers them, and the sweep's per-role request.
 */
import { LOCAL_ENV } from '../../local/stepfunctions/extract';

export const ACCOUNT = LOCAL_ENV.account;
export const roleArn = (name: string, account = ACCOUNT): string => `arn:aws:iam::${account}:role/${name}`;

export interface ApiCallOptions {
  readonly eventTime: string;
  readonly eventId?: string;
  readonly eventName?: string;
  readonly eventSource?: string;
  readonly account?: string;
}

const envelope = (detail: Record<string, unknown>, account: string) => ({
  version: '0',
  id: 'b1f2c3d4-0000-4000-8000-000000000001',
  'detail-type': 'AWS API Call via CloudTrail',
  source: `aws.${String(detail.eventSource).split('.')[0]}`,
  account,
  time: detail.eventTime,
  region: LOCAL_ENV.region,
  resources: [],
  detail,
});

/** A call made by a session of `roleName` (e.g. Rekognition SearchFacesByImage or an intake PutObject). */
export const roleSessionCall = (roleName: string, options: ApiCallOptions) => {
  const account = options.account ?? ACCOUNT;
  return envelope(
    {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: `AROAEXAMPLE:${roleName}-session`,
        arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${roleName}-session`,
        accountId: account,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROAEXAMPLE',
            arn: roleArn(roleName, account),
            accountId: account,
            userName: roleName,
          },
        },
      },
      eventTime: options.eventTime,
      eventSource: options.eventSource ?? 'rekognition.amazonaws.com',
      eventName: options.eventName ?? 'SearchFacesByImage',
      eventID: options.eventId ?? 'evt-0001',
      recipientAccountId: account,
      requestParameters: { collectionId: 'police-mugshots' },
    },
    account,
  );
};

/** An IAM change to `targetRole` made by an administrator (an IAM user). */
export const iamChange = (targetRole: string, options: ApiCallOptions) =>
  envelope(
    {
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/admin`, accountId: ACCOUNT },
      eventTime: options.eventTime,
      eventSource: 'iam.amazonaws.com',
      eventName: options.eventName ?? 'DeleteRolePolicy',
      eventID: options.eventId ?? 'evt-iam-0001',
      recipientAccountId: ACCOUNT,
      requestParameters: { roleName: targetRole, policyName: 'govrec-moratorium-deny' },
    },
    options.account ?? ACCOUNT,
  );

/** What the sweep hands EnforceRole for one role. */
export const sweepRequest = (name: string, at: string) => ({ source: 'govrec.sweep', roleArn: roleArn(name), at });
