import { accountOfArn, parseRoleArn, partitionOfArn } from '../../../lambda/shared/arn';

describe('parseRoleArn', () => {
  it.each([
    ['arn:aws:iam::111111111111:role/plain', { partition: 'aws', accountId: '111111111111', path: '/', name: 'plain' }],
    [
      'arn:aws:iam::111111111111:role/team/sub/with-path',
      { partition: 'aws', accountId: '111111111111', path: '/team/sub/', name: 'with-path' },
    ],
    [
      'arn:aws-us-gov:iam::222222222222:role/gov',
      { partition: 'aws-us-gov', accountId: '222222222222', path: '/', name: 'gov' },
    ],
  ])('reads partition, account, path and name from %s', (arn, expected) => {
    expect(parseRoleArn(arn)).toEqual({ arn, ...expected });
  });

  it.each([
    'arn:aws:iam::111111111111:user/admin',
    'arn:aws:sts::111111111111:assumed-role/r/s',
    'arn:aws:iam::111111111111:role/',
    'arn:aws:iam::111111111111:role/team//name',
    'arn:aws:iam::not-an-account:role/x',
    'arn:aws:iam:eu-west-1:111111111111:role/x',
    'not an arn',
  ])('returns undefined for %s', (arn) => {
    expect(parseRoleArn(arn)).toBeUndefined();
  });
});

describe('accountOfArn and partitionOfArn', () => {
  it.each([
    ['arn:aws:lambda:eu-west-1:111111111111:function:f', '111111111111', 'aws'],
    ['arn:aws-cn:s3:::bucket/key', undefined, 'aws-cn'],
    ['111111111111:function:f', undefined, undefined],
  ])('read %s', (arn, account, partition) => {
    expect(accountOfArn(arn)).toBe(account);
    expect(partitionOfArn(arn)).toBe(partition);
  });
});
