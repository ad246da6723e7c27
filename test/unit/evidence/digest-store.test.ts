import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { retainUntil } from '../../../lambda/evidence/config';
import { S3DigestStore } from '../../../lambda/evidence/digest-store';
import { DigestWriteError } from '../../../lambda/evidence/errors';
import { exampleConfig } from '../../helpers/cdk-app';

const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status } });

describe('S3DigestStore (aws-sdk-client-mock for the faults s3rver does not produce)', () => {
  let s3: AwsClientStub<S3Client>;
  beforeAll(() => {
    s3 = mockClient(S3Client);
  });
  afterEach(() => s3.reset());
  afterAll(() => s3.restore());
  const store = () => new S3DigestStore(new S3Client({ region: 'eu-west-1' }), 'digests-bucket');

  it('writes once (If-None-Match) in COMPLIANCE mode until the given date, with a checksum', async () => {
    s3.on(PutObjectCommand).resolves({});
    const until = new Date('2029-06-10T00:00:00.000Z');

    await expect(store().putIfAbsent('digests/a.json', '{}', until)).resolves.toBe(true);

    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({
      Bucket: 'digests-bucket',
      Key: 'digests/a.json',
      IfNoneMatch: '*',
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: until,
      ChecksumAlgorithm: 'SHA256',
    });
  });

  it('answers false when the digest is already there (412), so the closer adopts it', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    await expect(store().putIfAbsent('digests/a.json', '{}', new Date())).resolves.toBe(false);
  });

  it.each([
    ['a concurrent conditional write (409)', s3Error('ConditionalRequestConflict', 409)],
    ['access denied', s3Error('AccessDenied', 403)],
  ])('raises DigestWriteError on %s, so the tick fails and the next one retries', async (_, error) => {
    s3.on(PutObjectCommand).rejects(error);
    await expect(store().putIfAbsent('digests/a.json', '{}', new Date())).rejects.toThrow(DigestWriteError);
  });
});

describe('retainUntil', () => {
  const settings = exampleConfig().governance;
  it('locks a digest until the moratorium end plus the margin, or from its write when that is later', () => {
    const end = Date.parse(settings.moratorium.end);
    expect(retainUntil(settings, 30, new Date(end - 86_400_000)).getTime()).toBe(end + 30 * 86_400_000);
    expect(retainUntil(settings, 30, new Date(end + 86_400_000)).getTime()).toBe(end + 31 * 86_400_000);
  });
});
