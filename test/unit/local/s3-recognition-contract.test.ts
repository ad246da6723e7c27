import { GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { quarantineObject } from '../../../lambda/recognition/quarantine';
import { type LocalS3, startLocalS3 } from '../../../local/s3';
import { decodeS3EventKey, Sequencer } from '../../../local/s3-events';
import { uploadAs } from '../../../local/s3-upload';

/** The recognition handler's own quarantine step, run against the local S3. */
describe('local S3 with the recognition quarantine step', () => {
  let s3: LocalS3;
  const sequencer = new Sequencer();
  beforeAll(async () => {
    s3 = await startLocalS3({
      buckets: [
        { name: 'intake', versioned: true },
        { name: 'quarantine', versioned: true },
      ],
    });
  });
  afterAll(async () => {
    await s3.stop();
  });

  const upload = (key: string, body: string) =>
    uploadAs(s3, {
      bucket: 'intake',
      key,
      body: Buffer.from(body),
      principalId: 'AWS:AROAPOLICE:s',
      eventTime: '2027-07-01T00:00:00.000Z',
      sequencer,
    });

  it('moves the exact version named by the event into quarantine, tagged, and deletes it from intake', async () => {
    const { record } = await upload('incoming/metro-police/red flower.jpg', 'police photo');
    const object = {
      bucket: record.s3.bucket.name,
      key: decodeS3EventKey(record.s3.object.key),
      versionId: record.s3.object.versionId,
    };
    const location = await quarantineObject(s3.client, {
      object,
      quarantineBucket: 'quarantine',
      quarantineKey: 'quarantine/metro-police/red flower.jpg',
      decisionId: 'd-1',
      reason: 'MORATORIUM_IN_FORCE',
      orgId: 'metro-police',
    });
    expect(location.versionId).toBe(s3.versions.currentVersion('quarantine', 'quarantine/metro-police/red flower.jpg'));
    const copy = await s3.client.send(
      new GetObjectCommand({ Bucket: 'quarantine', Key: location.key, VersionId: location.versionId }),
    );
    expect(await copy.Body!.transformToString()).toBe('police photo');
    const tags = await s3.client.send(new GetObjectTaggingCommand({ Bucket: 'quarantine', Key: location.key }));
    expect(tags.TagSet).toEqual([
      { Key: 'govrec:decisionId', Value: 'd-1' },
      { Key: 'govrec:reason', Value: 'MORATORIUM_IN_FORCE' },
      { Key: 'govrec:org', Value: 'metro-police' },
    ]);
    await expect(s3.client.send(new HeadObjectCommand({ Bucket: 'intake', Key: object.key }))).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('fails instead of quarantining other content when the intake object was overwritten after the event', async () => {
    const { record } = await upload('incoming/metro-police/b.jpg', 'first');
    await s3.client.send(
      new PutObjectCommand({ Bucket: 'intake', Key: 'incoming/metro-police/b.jpg', Body: 'second' }),
    );
    const object = { bucket: 'intake', key: 'incoming/metro-police/b.jpg', versionId: record.s3.object.versionId };
    await expect(
      quarantineObject(s3.client, {
        object,
        quarantineBucket: 'quarantine',
        quarantineKey: 'quarantine/metro-police/b.jpg',
        decisionId: 'd-2',
        reason: 'MORATORIUM_IN_FORCE',
      }),
    ).rejects.toMatchObject({ name: 'NoSuchVersion' });
    const still = await s3.client.send(new GetObjectCommand({ Bucket: 'intake', Key: 'incoming/metro-police/b.jpg' }));
    expect(await still.Body!.transformToString()).toBe('second');
  });
});
