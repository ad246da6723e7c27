/**
 * The local face engine through the unchanged Rekognition SDK client, with the real model and
 * real photos. The model is loaded once for the file (one FaceEngine shared by every server).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CompareFacesCommand,
  CreateCollectionCommand,
  DetectFacesCommand,
  ImageTooLargeException,
  IndexFacesCommand,
  InvalidImageFormatException,
  InvalidParameterException,
  InvalidS3ObjectException,
  RekognitionClient,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  SearchFacesByImageCommand,
} from '@aws-sdk/client-rekognition';
import { FaceEngine, RekognitionServer, type RunningRekognitionServer } from '../../../local/face-engine';
import { astronautRetaken, fixture } from '../../../local/face-engine/derived-images';

const engine = new FaceEngine();
const folder = mkdtempSync(path.join(tmpdir(), 'face-engine-test-'));
const s3Objects = new Map<string, Uint8Array>();
const getS3Object = async (bucket: string, key: string) => {
  const object = s3Objects.get(`${bucket}/${key}`);
  if (!object) throw new Error(`NoSuchKey: ${bucket}/${key}`);
  return object;
};

let server: RekognitionServer;
let running: RunningRekognitionServer;
let client: RekognitionClient;
let astronaut: Uint8Array;
let camera: Uint8Array;
let coffee: Uint8Array;
let retaken: Uint8Array;

const startServer = async () => {
  server = new RekognitionServer({ folder, engine, getS3Object });
  running = await server.start();
  client = new RekognitionClient({
    endpoint: running.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    maxAttempts: 1,
  });
};

beforeAll(async () => {
  astronaut = fixture('astronaut.png');
  camera = fixture('camera.png');
  coffee = fixture('coffee.png');
  retaken = astronautRetaken();
  s3Objects.set('intake/incoming/thorn-like/astronaut.png', astronaut);
  await startServer();
  await client.send(new CreateCollectionCommand({ CollectionId: 'ngo-faces' }));
  await client.send(
    new IndexFacesCommand({ CollectionId: 'ngo-faces', Image: { Bytes: astronaut }, ExternalImageId: 'astronaut' }),
  );
});

afterAll(async () => {
  client.destroy();
  await running.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('RekognitionServer DetectFaces', () => {
  it('finds one face on astronaut.png with its box in ratios of the image', async () => {
    const { FaceDetails } = await client.send(new DetectFacesCommand({ Image: { Bytes: astronaut } }));

    expect(FaceDetails).toHaveLength(1);
    const { BoundingBox: box, Confidence, Landmarks } = FaceDetails![0];
    for (const v of [box!.Left!, box!.Top!, box!.Width!, box!.Height!]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(box!.Left! + box!.Width!).toBeLessThanOrEqual(1);
    // The face sits in the upper middle of the 512x512 portrait.
    expect(box!.Left).toBeCloseTo(0.3, 1);
    expect(box!.Top).toBeCloseTo(0.1, 1);
    expect(box!.Width).toBeCloseTo(0.28, 1);
    expect(Confidence).toBeGreaterThan(90);
    expect(Landmarks!.map((l) => l.Type)).toEqual(['eyeLeft', 'eyeRight', 'nose', 'mouthLeft', 'mouthRight']);
  });

  it('finds no face on coffee.png', async () => {
    const { FaceDetails } = await client.send(new DetectFacesCommand({ Image: { Bytes: coffee } }));

    expect(FaceDetails).toEqual([]);
  });

  it('reads Image.S3Object through the injected getter', async () => {
    const { FaceDetails } = await client.send(
      new DetectFacesCommand({ Image: { S3Object: { Bucket: 'intake', Name: 'incoming/thorn-like/astronaut.png' } } }),
    );

    expect(FaceDetails).toHaveLength(1);
  });
});

describe('RekognitionServer IndexFaces and SearchFacesByImage', () => {
  it('returns the indexed face with its ids and the engine model version', async () => {
    await client.send(new CreateCollectionCommand({ CollectionId: 'index-shape' }));

    const response = await client.send(
      new IndexFacesCommand({
        CollectionId: 'index-shape',
        Image: { Bytes: camera },
        ExternalImageId: 'case-17:camera',
      }),
    );

    expect(response.FaceRecords).toHaveLength(1);
    const { Face, FaceDetail } = response.FaceRecords![0];
    expect(Face!.FaceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Face!.ImageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Face!.ExternalImageId).toBe('case-17:camera');
    expect(Face!.BoundingBox).toEqual(FaceDetail!.BoundingBox);
    expect(response.UnindexedFaces).toEqual([]);
    expect(response.FaceModelVersion).toBe(engine.modelVersion);
  });

  it('matches a mirrored, cropped, re-encoded photo of the indexed person above the default threshold', async () => {
    const response = await client.send(
      new SearchFacesByImageCommand({ CollectionId: 'ngo-faces', Image: { Bytes: retaken } }),
    );

    expect(response.FaceMatches).toHaveLength(1);
    expect(response.FaceMatches![0].Similarity).toBeGreaterThanOrEqual(80);
    expect(response.FaceMatches![0].Face!.ExternalImageId).toBe('astronaut');
    expect(response.SearchedFaceConfidence).toBeGreaterThan(90);
    expect(response.SearchedFaceBoundingBox!.Width).toBeGreaterThan(0);
  });

  it('does not match a different person', async () => {
    const response = await client.send(
      new SearchFacesByImageCommand({ CollectionId: 'ngo-faces', Image: { Bytes: camera } }),
    );

    expect(response.FaceMatches).toEqual([]);
  });

  it('reports the different person below 80 when the threshold is lowered to 0', async () => {
    const response = await client.send(
      new SearchFacesByImageCommand({ CollectionId: 'ngo-faces', Image: { Bytes: camera }, FaceMatchThreshold: 0 }),
    );

    expect(response.FaceMatches).toHaveLength(1);
    expect(response.FaceMatches![0].Similarity).toBeLessThan(80);
  });

  it('returns at most MaxFaces matches, best first', async () => {
    await client.send(new CreateCollectionCommand({ CollectionId: 'max-faces' }));
    await client.send(
      new IndexFacesCommand({ CollectionId: 'max-faces', Image: { Bytes: astronaut }, ExternalImageId: 'original' }),
    );
    await client.send(
      new IndexFacesCommand({ CollectionId: 'max-faces', Image: { Bytes: retaken }, ExternalImageId: 'retaken' }),
    );

    const all = await client.send(
      new SearchFacesByImageCommand({ CollectionId: 'max-faces', Image: { Bytes: retaken } }),
    );
    const one = await client.send(
      new SearchFacesByImageCommand({ CollectionId: 'max-faces', Image: { Bytes: retaken }, MaxFaces: 1 }),
    );

    expect(all.FaceMatches!.map((m) => m.Face!.ExternalImageId)).toEqual(['retaken', 'original']);
    expect(one.FaceMatches!.map((m) => m.Face!.ExternalImageId)).toEqual(['retaken']);
  });
});

describe('RekognitionServer CompareFaces', () => {
  it('matches the same person and leaves a different person unmatched', async () => {
    const same = await client.send(
      new CompareFacesCommand({ SourceImage: { Bytes: astronaut }, TargetImage: { Bytes: retaken } }),
    );
    const other = await client.send(
      new CompareFacesCommand({ SourceImage: { Bytes: astronaut }, TargetImage: { Bytes: camera } }),
    );

    expect(same.FaceMatches).toHaveLength(1);
    expect(same.FaceMatches![0].Similarity).toBeGreaterThanOrEqual(80);
    expect(same.SourceImageFace!.Confidence).toBeGreaterThan(90);
    expect(other.FaceMatches).toEqual([]);
    expect(other.UnmatchedFaces).toHaveLength(1);
  });
});

describe('RekognitionServer errors', () => {
  it('words a search without a face as Rekognition does, so callers can tell "no face" from other parameter errors', async () => {
    await expect(
      client.send(new SearchFacesByImageCommand({ CollectionId: 'ngo-faces', Image: { Bytes: coffee } })),
    ).rejects.toThrow('There are no faces in the image. Should be at least 1.');
  });

  const notAnImage = new TextEncoder().encode('%PDF-1.7 not an image');
  const brokenPng = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
  const tooLarge = () => {
    const bytes = new Uint8Array(5 * 1024 * 1024 + 1);
    bytes.set([0xff, 0xd8, 0xff]);
    return bytes;
  };

  it.each([
    ['a non-image', () => new DetectFacesCommand({ Image: { Bytes: notAnImage } }), InvalidImageFormatException],
    [
      'a PNG that does not decode',
      () => new DetectFacesCommand({ Image: { Bytes: brokenPng } }),
      InvalidImageFormatException,
    ],
    ['an image over 5 MB', () => new DetectFacesCommand({ Image: { Bytes: tooLarge() } }), ImageTooLargeException],
    [
      'a search image without a face',
      () => new SearchFacesByImageCommand({ CollectionId: 'ngo-faces', Image: { Bytes: coffee } }),
      InvalidParameterException,
    ],
    [
      'a compare source without a face',
      () => new CompareFacesCommand({ SourceImage: { Bytes: coffee }, TargetImage: { Bytes: astronaut } }),
      InvalidParameterException,
    ],
    [
      'a malformed collection id',
      () => new CreateCollectionCommand({ CollectionId: '../etc' }),
      InvalidParameterException,
    ],
    [
      'a threshold above 100',
      () =>
        new SearchFacesByImageCommand({
          CollectionId: 'ngo-faces',
          Image: { Bytes: astronaut },
          FaceMatchThreshold: 101,
        }),
      InvalidParameterException,
    ],
    [
      'a search in a missing collection',
      () => new SearchFacesByImageCommand({ CollectionId: 'no-such-collection', Image: { Bytes: astronaut } }),
      ResourceNotFoundException,
    ],
    [
      'indexing into a missing collection',
      () => new IndexFacesCommand({ CollectionId: 'no-such-collection', Image: { Bytes: astronaut } }),
      ResourceNotFoundException,
    ],
    [
      'creating a collection twice',
      () => new CreateCollectionCommand({ CollectionId: 'ngo-faces' }),
      ResourceAlreadyExistsException,
    ],
    [
      'an S3 object that cannot be read',
      () => new DetectFacesCommand({ Image: { S3Object: { Bucket: 'intake', Name: 'missing.png' } } }),
      InvalidS3ObjectException,
    ],
  ])('rejects %s with the SDK exception class', async (_case, command, exception) => {
    const sent = client.send(command() as DetectFacesCommand);

    await expect(sent).rejects.toBeInstanceOf(exception);
    await expect(sent).rejects.toMatchObject({ name: exception.name, $metadata: { httpStatusCode: 400 } });
  });
});

describe('RekognitionServer call counting', () => {
  it('counts every request per operation, rejected ones included', async () => {
    server.resetCalls();

    await client.send(new DetectFacesCommand({ Image: { Bytes: coffee } }));
    await expect(
      client.send(new DetectFacesCommand({ Image: { Bytes: new Uint8Array([1, 2, 3]) } })),
    ).rejects.toThrow();
    await client.send(new SearchFacesByImageCommand({ CollectionId: 'ngo-faces', Image: { Bytes: retaken } }));

    expect(server.calls()).toEqual({ DetectFaces: 2, SearchFacesByImage: 1 });
    expect(server.callCount('IndexFaces')).toBe(0);
    expect(server.totalCalls()).toBe(3);
  });
});

describe('RekognitionServer persistence', () => {
  it('keeps collections and faces across a restart on the same folder', async () => {
    const before = await client.send(
      new SearchFacesByImageCommand({ CollectionId: 'ngo-faces', Image: { Bytes: retaken } }),
    );
    client.destroy();
    await running.stop();

    await startServer();
    const after = await client.send(
      new SearchFacesByImageCommand({ CollectionId: 'ngo-faces', Image: { Bytes: retaken } }),
    );

    expect(after.FaceMatches!.map((m) => m.Face!.FaceId)).toEqual(before.FaceMatches!.map((m) => m.Face!.FaceId));
    expect(after.FaceMatches![0].Similarity).toBe(before.FaceMatches![0].Similarity);
    await expect(client.send(new CreateCollectionCommand({ CollectionId: 'ngo-faces' }))).rejects.toBeInstanceOf(
      ResourceAlreadyExistsException,
    );
  });
});
