/**
 * The CloudTrail record of an intake upload that the offline run hands to EnforceRole: it must
 * match the template's intake-upload rule and be traced by the enforcer to the uploading role.
 */
import { identify } from '../../../lambda/enforcement/enforcer/identify';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { parseGovernance } from '../../../lambda/shared/settings';
import { roleIdFor } from '../../../local/iam/registry';
import { intakeUploadEvent } from '../../../local/offline/cloudtrail';
import { exampleConfigJson } from '../../helpers/cdk-app';

const ARN = 'arn:aws:iam::111111111111:role/govrec-police-investigations';
const role = { arn: ARN, roleId: roleIdFor(ARN), roleName: 'govrec-police-investigations' };
const input = {
  role,
  sessionName: 'govrec-offline',
  accountId: '111111111111',
  region: 'eu-west-1',
  bucket: 'intake-bucket',
  key: 'incoming/metro-police/search/a.jpg',
  at: '2027-06-15T09:00:00.000Z',
};

describe('intakeUploadEvent', () => {
  it('has the fields the intake-upload rule matches on', () => {
    const event = intakeUploadEvent(input) as Record<string, any>;

    expect(event).toMatchObject({
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.s3',
      account: '111111111111',
    });
    expect(event.detail).toMatchObject({
      eventSource: 's3.amazonaws.com',
      eventName: 'PutObject',
      eventTime: '2027-06-15T09:00:00Z',
      requestParameters: { bucketName: 'intake-bucket', key: 'incoming/metro-police/search/a.jpg' },
      userIdentity: {
        type: 'AssumedRole',
        principalId: `${role.roleId}:govrec-offline`,
        sessionContext: { sessionIssuer: { type: 'Role', arn: ARN } },
      },
    });
  });

  it('is deterministic for the same upload and differs for another', () => {
    expect(intakeUploadEvent(input)).toEqual(intakeUploadEvent(input));
    expect(
      (intakeUploadEvent({ ...input, key: 'incoming/metro-police/search/b.jpg' }) as { detail: { eventID: string } })
        .detail.eventID,
    ).not.toBe((intakeUploadEvent(input) as { detail: { eventID: string } }).detail.eventID);
  });

  it('is traced by the enforcer to the uploading role, inside the window', () => {
    const settings = parseGovernance(exampleConfigJson());
    const assessment = identify(intakeUploadEvent(input), {
      settings,
      accountId: '111111111111',
      restrictedTag: { key: 'govrec:category', value: 'police' },
      intakeBucketArn: 'arn:aws:s3:::intake-bucket',
      clock: fixedClock('2027-06-15T09:00:00Z'),
    });

    expect(assessment.subject).toMatchObject({
      roleArn: ARN,
      roleName: 'govrec-police-investigations',
      registeredCategory: 'police',
      trigger: { source: 'cloudtrail', eventName: 'PutObject', at: '2027-06-15T09:00:00.000Z' },
    });
    expect(assessment.next).toBe('CHECK');
  });
});
