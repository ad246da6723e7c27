/** An offending CloudTrail event as EventBridge delivers it: a police role session calling Rekognition. */
import { LOCAL_ENV } from '../../local/stepfunctions';

export const roleArnOf = (name: string): string => `arn:aws:iam::${LOCAL_ENV.account}:role/${name}`;

export const rekognitionCallBy = (roleName: string, eventTime: string, eventId: string) => {
  const account = LOCAL_ENV.account;
  const detail = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROABENCH:${roleName}-session`,
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${roleName}-session`,
      accountId: account,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROABENCH',
          arn: roleArnOf(roleName),
          accountId: account,
          userName: roleName,
        },
      },
    },
    eventTime,
    eventSource: 'rekognition.amazonaws.com',
    eventName: 'SearchFacesByImage',
    eventID: eventId,
    recipientAccountId: account,
    requestParameters: { collectionId: 'police-mugshots' },
  };
  return {
    version: '0',
    id: `bench-${eventId}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.rekognition',
    account,
    time: eventTime,
    region: LOCAL_ENV.region,
    resources: [],
    detail,
  };
};
