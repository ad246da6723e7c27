import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { type LocalS3, startLocalS3 } from '../../../local/s3';
import { Sequencer } from '../../../local/s3-events';
import { uploadAs } from '../../../local/s3-upload';

describe('startLocalS3', () => {
  let s3: LocalS3;

  beforeAll(async () => {
    s3 = await startLocalS3({ buckets: [{ name: 'intake', versioned: true }, { name: 'plain' }], region: 'eu-west-1' });
  });
  afterAll(async () => {
    await s3.stop();
  });

  it('listens on 127.0.0.1 and exposes the handler environment', () => {
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s3.env).toEqual({
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      GOVREC_S3_FORCE_PATH_STYLE: 'true',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    });
  });

  it('stores a streamed body byte for byte (no chunk framing)', async () => {
    const bytes = Buffer.from('streamed body '.repeat(100));
    await s3.client.send(
      new PutObjectCommand({
        Bucket: 'plain',
        Key: 'stream.bin',
        Body: Readable.from([bytes]),
        ContentLength: bytes.length,
      }),
    );
    const got = await s3.client.send(new GetObjectCommand({ Bucket: 'plain', Key: 'stream.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(bytes);
  });

  it('returns a version id on put and serves that version', async () => {
    const put = await s3.client.send(new PutObjectCommand({ Bucket: 'intake', Key: 'v/a.jpg', Body: 'one' }));
    expect(put.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const got = await s3.client.send(
      new GetObjectCommand({ Bucket: 'intake', Key: 'v/a.jpg', VersionId: put.VersionId }),
    );
    expect(got.VersionId).toBe(put.VersionId);
    expect(await got.Body!.transformToString()).toBe('one');
  });

  it('answers NoSuchVersion for a version that was overwritten, and leaves the object alone', async () => {
    const first = await s3.client.send(new PutObjectCommand({ Bucket: 'intake', Key: 'v/b.jpg', Body: 'one' }));
    const second = await s3.client.send(new PutObjectCommand({ Bucket: 'intake', Key: 'v/b.jpg', Body: 'two' }));
    expect(second.VersionId).not.toBe(first.VersionId);
    await expect(
      s3.client.send(new GetObjectCommand({ Bucket: 'intake', Key: 'v/b.jpg', VersionId: first.VersionId })),
    ).rejects.toMatchObject({ name: 'NoSuchVersion' });
    await expect(
      s3.client.send(new DeleteObjectCommand({ Bucket: 'intake', Key: 'v/b.jpg', VersionId: first.VersionId })),
    ).rejects.toMatchObject({ name: 'NoSuchVersion' });
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: 'intake', Key: 'v/b.jpg' }));
    expect(head.VersionId).toBe(second.VersionId);
  });

  it('copies a named version and deletes it by version id', async () => {
    const put = await s3.client.send(new PutObjectCommand({ Bucket: 'intake', Key: 'v/red flower.jpg', Body: 'face' }));
    const copy = await s3.client.send(
      new CopyObjectCommand({
        Bucket: 'plain',
        Key: 'quarantine/red flower.jpg',
        CopySource: `intake/${encodeURIComponent('v/red flower.jpg')}?versionId=${put.VersionId}`,
      }),
    );
    expect(copy.CopySourceVersionId).toBeUndefined(); // the destination bucket is unversioned: no header is promised
    const copied = await s3.client.send(new GetObjectCommand({ Bucket: 'plain', Key: 'quarantine/red flower.jpg' }));
    expect(await copied.Body!.transformToString()).toBe('face');

    const deleted = await s3.client.send(
      new DeleteObjectCommand({ Bucket: 'intake', Key: 'v/red flower.jpg', VersionId: put.VersionId }),
    );
    expect(deleted.VersionId).toBe(put.VersionId);
    await expect(
      s3.client.send(new HeadObjectCommand({ Bucket: 'intake', Key: 'v/red flower.jpg' })),
    ).rejects.toMatchObject({ name: 'NotFound' });
    expect(s3.versions.currentVersion('intake', 'v/red flower.jpg')).toBeUndefined();
  });

  it.each(['a#b?c.jpg', '100% café+x.jpg', 'dir/with space/(1).png'])(
    'copies a versioned key with awkward characters: %p',
    async (name) => {
      const key = `incoming/org/${name}`;
      const put = await s3.client.send(new PutObjectCommand({ Bucket: 'intake', Key: key, Body: name }));
      const encoded = key.split('/').map(encodeURIComponent).join('/');
      await s3.client.send(
        new CopyObjectCommand({
          Bucket: 'plain',
          Key: `q/${name}`,
          CopySource: `intake/${encoded}?versionId=${encodeURIComponent(put.VersionId!)}`,
        }),
      );
      const copied = await s3.client.send(new GetObjectCommand({ Bucket: 'plain', Key: `q/${name}` }));
      expect(await copied.Body!.transformToString()).toBe(name);
    },
  );

  it('refuses to copy a version that is no longer current', async () => {
    const first = await s3.client.send(new PutObjectCommand({ Bucket: 'intake', Key: 'v/c.jpg', Body: 'one' }));
    await s3.client.send(new PutObjectCommand({ Bucket: 'intake', Key: 'v/c.jpg', Body: 'two' }));
    await expect(
      s3.client.send(
        new CopyObjectCommand({
          Bucket: 'plain',
          Key: 'q/c.jpg',
          CopySource: `intake/v/c.jpg?versionId=${first.VersionId}`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchVersion' });
  });

  it('rejects a version id other than "null" on an unversioned bucket', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: 'plain', Key: 'u.jpg', Body: 'x' }));
    await expect(
      s3.client.send(new GetObjectCommand({ Bucket: 'plain', Key: 'u.jpg', VersionId: 'abc' })),
    ).rejects.toMatchObject({ name: 'InvalidArgument' });
    const got = await s3.client.send(new GetObjectCommand({ Bucket: 'plain', Key: 'u.jpg', VersionId: 'null' }));
    expect(await got.Body!.transformToString()).toBe('x');
  });

  it('survives concurrent deletes that empty a shared folder (s3rver prunes folders without a lock)', async () => {
    for (let round = 0; round < 10; round += 1) {
      const keys = [`race${round}/org-a/x/1.jpg`, `race${round}/org-b/x/2.jpg`, `race${round}/org-c/3.jpg`];
      const puts = await Promise.all(
        keys.map((key) => s3.client.send(new PutObjectCommand({ Bucket: 'intake', Key: key, Body: key }))),
      );
      await Promise.all(
        keys.map((key, i) =>
          s3.client.send(new DeleteObjectCommand({ Bucket: 'intake', Key: key, VersionId: puts[i]!.VersionId })),
        ),
      );
      expect(keys.map((key) => s3.versions.currentVersion('intake', key))).toEqual([undefined, undefined, undefined]);
    }
  });

  it('keeps object tags written with PutObjectTagging without minting a version', async () => {
    const put = await s3.client.send(new PutObjectCommand({ Bucket: 'intake', Key: 'v/t.jpg', Body: 't' }));
    await s3.client.send(
      new PutObjectTaggingCommand({
        Bucket: 'intake',
        Key: 'v/t.jpg',
        Tagging: { TagSet: [{ Key: 'decision', Value: 'DENY' }] },
      }),
    );
    const tags = await s3.client.send(new GetObjectTaggingCommand({ Bucket: 'intake', Key: 'v/t.jpg' }));
    expect(tags.TagSet).toEqual([{ Key: 'decision', Value: 'DENY' }]);
    expect(s3.versions.currentVersion('intake', 'v/t.jpg')).toBe(put.VersionId);
  });
});

describe('uploadAs', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3({ buckets: [{ name: 'intake', versioned: true }], region: 'eu-west-1' });
  });
  afterAll(async () => {
    await s3.stop();
  });

  it('returns the real S3 record for the upload, with the uploading role and the version', async () => {
    const sequencer = new Sequencer();
    const body = Buffer.from('jpeg bytes');
    const result = await uploadAs(s3, {
      bucket: 'intake',
      key: 'incoming/thorn-like/red flower.jpg',
      body,
      principalId: 'AWS:AROAEXAMPLE:ngo',
      eventTime: '2027-05-01T10:00:00.000Z',
      sequencer,
    });
    expect(result.record).toMatchObject({
      eventVersion: '2.1',
      eventTime: '2027-05-01T10:00:00.000Z',
      awsRegion: 'eu-west-1',
      userIdentity: { principalId: 'AWS:AROAEXAMPLE:ngo' },
      s3: {
        bucket: { name: 'intake', arn: 'arn:aws:s3:::intake' },
        object: { key: 'incoming/thorn-like/red+flower.jpg', size: body.length, versionId: result.versionId },
      },
    });
    expect(result.versionId).toBe(s3.versions.currentVersion('intake', 'incoming/thorn-like/red flower.jpg'));
    expect(result.eTag).toMatch(/^[0-9a-f]{32}$/);
  });
});
