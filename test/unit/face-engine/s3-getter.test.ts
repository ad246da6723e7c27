import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { s3ObjectGetter } from '../../../local/face-engine/s3-getter';

const s3 = mockClient(S3Client);

describe('s3ObjectGetter', () => {
  beforeEach(() => s3.reset());

  it('reads the named version of the object as bytes', async () => {
    s3.on(GetObjectCommand, { Bucket: 'intake', Key: 'incoming/thorn-like/a b.png', VersionId: 'v1' }).resolves({
      Body: sdkStreamMixin(Readable.from([Buffer.from([0x89, 0x50])])),
    });

    const bytes = await s3ObjectGetter(new S3Client({}))('intake', 'incoming/thorn-like/a b.png', 'v1');

    expect(Array.from(bytes)).toEqual([0x89, 0x50]);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
  });

  it('passes a missing object on as an error', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'missing', $metadata: {} }));

    await expect(s3ObjectGetter(new S3Client({}))('intake', 'missing.png')).rejects.toBeInstanceOf(NoSuchKey);
  });
});
