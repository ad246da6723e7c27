/**
 * The CloudTrail record of an intake upload as EventBridge delivers it to the enforcement rule
 * ("AWS API Call via CloudTrail", a data event of s3:PutObject): what EnforceRole receives when a
 * role writes to the intake bucket on AWS.
 */
import { createHash } from 'node:crypto';
import type { LocalRole } from '../iam/registry';
import type { Json } from '../stepfunctions';

export interface UploadEventInput {
  readonly role: Pick<LocalRole, 'arn' | 'roleId' | 'roleName'>;
  readonly sessionName: string;
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  readonly key: string;
  /** ISO instant of the upload. */
  readonly at: string;
  /**
   * CloudTrail's `errorCode` when IAM refused the call (e.g. `AccessDenied` once the role carries
   * the moratorium deny). Absent for a call that succeeded.
   */
  readonly errorCode?: string;
}

/**
 * @example
 * await enforcement.enforce(intakeUploadEvent({ role, sessionName: 'govrec-offline', accountId, region, bucket, key, at }));
 */
export const intakeUploadEvent = (input: UploadEventInput): Json => {
  const eventTime = new Date(input.at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Deterministic ids, so runs repeat exactly.
  const hash = createHash('sha256').update(`${input.bucket}/${input.key}@${eventTime}`).digest('hex');
  const eventId = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`;
  return {
    version: '0',
    id: `${hash.slice(32, 40)}-${hash.slice(40, 44)}-${hash.slice(44, 48)}-${hash.slice(48, 52)}-${hash.slice(52, 64)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.s3',
    account: input.accountId,
    time: eventTime,
    region: input.region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: `${input.role.roleId}:${input.sessionName}`,
        arn: `arn:aws:sts::${input.accountId}:assumed-role/${input.role.roleName}/${input.sessionName}`,
        accountId: input.accountId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: input.role.roleId,
            arn: input.role.arn,
            accountId: input.accountId,
            userName: input.role.roleName,
          },
          attributes: { creationDate: eventTime, mfaAuthenticated: 'false' },
        },
      },
      eventTime,
      eventSource: 's3.amazonaws.com',
      eventName: 'PutObject',
      awsRegion: input.region,
      sourceIPAddress: '127.0.0.1',
      requestParameters: {
        bucketName: input.bucket,
        key: input.key,
        Host: `${input.bucket}.s3.${input.region}.amazonaws.com`,
      },
      responseElements: null,
      ...(input.errorCode !== undefined ? { errorCode: input.errorCode, errorMessage: 'Access Denied' } : {}),
      eventID: eventId,
      readOnly: false,
      resources: [
        { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${input.bucket}/${input.key}` },
        { accountId: input.accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${input.bucket}` },
      ],
      eventType: 'AwsApiCall',
      managementEvent: false,
      recipientAccountId: input.accountId,
      eventCategory: 'Data',
    },
  };
};
