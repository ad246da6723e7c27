import {
  assumedRolePrincipalId,
  decodeS3EventKey,
  encodeS3EventKey,
  fromS3rverRecord,
  Sequencer,
  s3EventMessageBody,
  s3ObjectCreatedRecord,
} from '../../../local/s3-events';

describe('encodeS3EventKey', () => {
  it.each([
    ['red flower.jpg', 'red+flower.jpg'],
    ['café.jpg', 'caf%C3%A9.jpg'],
    ['incoming/thorn-like/red flower.jpg', 'incoming/thorn-like/red+flower.jpg'],
    ['a+b.jpg', 'a%2Bb.jpg'],
    ['dt=2027-06-10/10:47.jpg', 'dt%3D2027-06-10/10%3A47.jpg'],
    ['photo (1).png', 'photo+%281%29.png'],
    ['x_y-z.*', 'x_y-z.*'],
    ['日本.jpg', '%E6%97%A5%E6%9C%AC.jpg'],
  ])('encodes %p as %p', (key, encoded) => {
    expect(encodeS3EventKey(key)).toBe(encoded);
  });

  it.each(['red flower.jpg', 'café.jpg', 'a+b c%.jpg', 'incoming/org/😀 (2).png'])(
    'round-trips %p through decodeS3EventKey',
    (key) => {
      expect(decodeS3EventKey(encodeS3EventKey(key))).toBe(key);
    },
  );
});

describe('Sequencer', () => {
  it('issues fixed-width upper-case hex that increases as a string', () => {
    const sequencer = new Sequencer(0xffn);
    const [a, b] = [sequencer.next(), sequencer.next()];
    expect(a).toBe('000000000000000100');
    expect(b).toBe('000000000000000101');
    expect(b > a).toBe(true);
  });
});

describe('s3ObjectCreatedRecord', () => {
  const input = {
    bucket: 'intake-bucket',
    key: 'incoming/thorn-like/red flower.jpg',
    size: 1234,
    eTag: '0123456789abcdef0123456789abcdef',
    versionId: 'v-1',
    sequencer: '005F1E000000000001',
    principalId: assumedRolePrincipalId('AROAEXAMPLEID1234567', 'ngo-session'),
    eventTime: '2027-05-01T10:00:00.000Z',
    region: 'eu-west-1',
  };

  it('builds the record S3 sends to SQS', () => {
    expect(s3ObjectCreatedRecord(input)).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2027-05-01T10:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AROAEXAMPLEID1234567:ngo-session' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: {
        'x-amz-request-id': '5F1E000000000001',
        'x-amz-id-2': Buffer.from('intake-bucket/5F1E000000000001').toString('base64'),
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'govrec-intake',
        bucket: {
          name: 'intake-bucket',
          ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
          arn: 'arn:aws:s3:::intake-bucket',
        },
        object: {
          key: 'incoming/thorn-like/red+flower.jpg',
          size: 1234,
          eTag: '0123456789abcdef0123456789abcdef',
          versionId: 'v-1',
          sequencer: '005F1E000000000001',
        },
      },
    });
  });

  it('leaves versionId out for an unversioned bucket', () => {
    const { versionId: _omit, ...unversioned } = input;
    expect('versionId' in s3ObjectCreatedRecord(unversioned).s3.object).toBe(false);
  });

  it('wraps records in the SQS message body S3 sends', () => {
    expect(JSON.parse(s3EventMessageBody([s3ObjectCreatedRecord(input)])).Records[0].s3.object.key).toBe(
      'incoming/thorn-like/red+flower.jpg',
    );
  });
});

describe('fromS3rverRecord', () => {
  const s3rverRecord = {
    eventVersion: '2.0',
    eventName: 'ObjectCreated:Put',
    awsRegion: 'us-east-1',
    userIdentity: { principalId: 'AWS:0A1B2C3D4E5F60718293A' },
    s3: {
      bucket: { name: 'intake', arn: 'arn:aws:s3: : :intake' },
      object: { key: 'café.jpg', size: 7, eTag: 'abc', sequencer: '18C0' },
    },
  };
  const context = {
    principalId: 'AWS:AROAX:s',
    eventTime: '2027-06-11T00:00:00.000Z',
    region: 'eu-west-1',
    versionId: 'v9',
    sequencer: '005F1E000000000009',
  };

  it('replaces what s3rver invents with the real shape', () => {
    const record = fromS3rverRecord(s3rverRecord, context);
    expect(record).toMatchObject({
      eventVersion: '2.1',
      awsRegion: 'eu-west-1',
      userIdentity: { principalId: 'AWS:AROAX:s' },
      s3: {
        bucket: { arn: 'arn:aws:s3:::intake' },
        object: { key: 'caf%C3%A9.jpg', size: 7, eTag: 'abc', versionId: 'v9', sequencer: '005F1E000000000009' },
      },
    });
  });

  it('refuses a removal event', () => {
    expect(() => fromS3rverRecord({ ...s3rverRecord, eventName: 'ObjectRemoved:Delete' }, context)).toThrow(
      'Only ObjectCreated events are converted, got ObjectRemoved:Delete',
    );
  });
});
