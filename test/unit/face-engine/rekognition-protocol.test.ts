/**
 * The wire format of the local Rekognition endpoint, spoken by hand (no SDK, no signature):
 * what the SDK relies on to pick its exception classes. No request here needs the model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CreateCollectionCommand,
  DeleteCollectionCommand,
  DescribeCollectionCommand,
  RekognitionClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-rekognition';
import { RekognitionServer, type RunningRekognitionServer } from '../../../local/face-engine';

const folder = mkdtempSync(path.join(tmpdir(), 'face-engine-protocol-'));
const server = new RekognitionServer({ folder, region: 'eu-west-1', accountId: '111111111111' });
let running: RunningRekognitionServer;

const post = (target: string | undefined, body: string) =>
  fetch(running.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}) },
    body,
  });

beforeAll(async () => {
  running = await server.start();
});

afterAll(async () => {
  await running.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('RekognitionServer wire protocol', () => {
  it('listens on loopback at a random port', () => {
    expect(running.endpoint).toBe(`http://127.0.0.1:${running.port}`);
    expect(running.port).toBeGreaterThan(0);
  });

  it('answers an unsigned CreateCollection with the JSON 1.1 content type and the collection ARN', async () => {
    const response = await post('RekognitionService.CreateCollection', JSON.stringify({ CollectionId: 'wire' }));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({
      StatusCode: 200,
      CollectionArn: 'arn:aws:rekognition:eu-west-1:111111111111:collection/wire',
      FaceModelVersion: server.rekognition.engine.modelVersion,
    });
  });

  it.each([
    [
      'a second CreateCollection',
      'ResourceAlreadyExistsException',
      'RekognitionService.CreateCollection',
      '{"CollectionId":"wire"}',
    ],
    ['a body that is not JSON', 'InvalidParameterException', 'RekognitionService.CreateCollection', '{not json'],
    ['a body that is a JSON array', 'InvalidParameterException', 'RekognitionService.CreateCollection', '[]'],
    [
      'Bytes that are not base64',
      'InvalidParameterException',
      'RekognitionService.DetectFaces',
      '{"Image":{"Bytes":"%%%"}}',
    ],
    [
      'Bytes that are not an image',
      'InvalidImageFormatException',
      'RekognitionService.DetectFaces',
      '{"Image":{"Bytes":"aGVsbG8="}}',
    ],
    [
      'an operation it does not serve',
      'UnknownOperationException',
      'RekognitionService.ListFaces',
      '{"CollectionId":"wire"}',
    ],
    ['a request without a target', 'UnknownOperationException', undefined, '{}'],
  ])('answers %s with status 400 and __type %s', async (_case, type, target, body) => {
    const response = await post(target, body);

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe(type);
    expect(await response.json()).toEqual({ __type: type, message: expect.any(String) });
  });

  it('is found by the unchanged SDK client through AWS_ENDPOINT_URL_REKOGNITION, with any credentials', async () => {
    const previous = process.env.AWS_ENDPOINT_URL_REKOGNITION;
    process.env.AWS_ENDPOINT_URL_REKOGNITION = running.endpoint;
    const client = new RekognitionClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'not-checked' },
    });
    try {
      const response = await client.send(new CreateCollectionCommand({ CollectionId: 'from-env' }));

      expect(response.CollectionArn).toBe('arn:aws:rekognition:eu-west-1:111111111111:collection/from-env');
      expect(server.callCount('CreateCollection')).toBeGreaterThanOrEqual(1);
    } finally {
      client.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_REKOGNITION;
      else process.env.AWS_ENDPOINT_URL_REKOGNITION = previous;
    }
  });

  it('describes and deletes a collection for the SDK client, timestamps in epoch seconds', async () => {
    const client = new RekognitionClient({
      endpoint: running.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    });
    try {
      await client.send(new CreateCollectionCommand({ CollectionId: 'short-lived' }));

      const described = await client.send(new DescribeCollectionCommand({ CollectionId: 'short-lived' }));
      const deleted = await client.send(new DeleteCollectionCommand({ CollectionId: 'short-lived' }));

      expect(described.FaceCount).toBe(0);
      expect(described.CollectionARN).toBe('arn:aws:rekognition:eu-west-1:111111111111:collection/short-lived');
      expect(described.CreationTimestamp).toBeInstanceOf(Date);
      expect(Math.abs(described.CreationTimestamp!.getTime() - Date.now())).toBeLessThan(60_000);
      expect(deleted.StatusCode).toBe(200);
      await expect(client.send(new DescribeCollectionCommand({ CollectionId: 'short-lived' }))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
      await expect(client.send(new DeleteCollectionCommand({ CollectionId: 'short-lived' }))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
    } finally {
      client.destroy();
    }
  });
});
