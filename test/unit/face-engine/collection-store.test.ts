import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CollectionStore, type StoredFace } from '../../../local/face-engine/collection-store';
import { ResourceAlreadyExistsError, ResourceNotFoundError } from '../../../local/face-engine/errors';

const face = (id: string): StoredFace => ({
  FaceId: id,
  ImageId: `image-${id}`,
  BoundingBox: { Width: 0.5, Height: 0.5, Left: 0.25, Top: 0.25 },
  Confidence: 99,
  IndexedAt: '2027-01-01T00:00:00.000Z',
  embedding: [0.1, 0.2],
});

const collection = (id: string) => ({
  CollectionId: id,
  CollectionArn: `arn:aws:rekognition:eu-west-1:000000000000:collection/${id}`,
  FaceModelVersion: 'test',
  CreationTimestamp: '2027-01-01T00:00:00.000Z',
  faces: [],
});

describe('CollectionStore', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'collection-store-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps one JSON file per collection and no temporary files', async () => {
    const store = new CollectionStore(folder);

    await store.create(collection('a'));
    await store.addFaces('a', [face('1')]);

    expect(readdirSync(folder)).toEqual(['a.json']);
  });

  it('is read back by another store on the same folder', async () => {
    await new CollectionStore(folder).create(collection('a'));
    await new CollectionStore(folder).addFaces('a', [face('1')]);

    expect((await new CollectionStore(folder).get('a')).faces).toEqual([face('1')]);
  });

  it('loses no face when faces are added concurrently', async () => {
    const store = new CollectionStore(folder);
    await store.create(collection('a'));

    await Promise.all(Array.from({ length: 10 }, (_, i) => store.addFaces('a', [face(String(i))])));

    expect((await store.get('a')).faces.map((f) => f.FaceId).sort()).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
  });

  it('refuses to create a collection twice, even concurrently', async () => {
    const store = new CollectionStore(folder);

    const results = await Promise.allSettled([store.create(collection('a')), store.create(collection('a'))]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ResourceAlreadyExistsError);
  });

  it('reports a missing collection as not found', async () => {
    const store = new CollectionStore(folder);

    await expect(store.get('missing')).rejects.toBeInstanceOf(ResourceNotFoundError);
    await expect(store.addFaces('missing', [face('1')])).rejects.toBeInstanceOf(ResourceNotFoundError);
    await expect(store.find('missing')).resolves.toBeUndefined();
  });
});
