/**
 * An HTTP server on 127.0.0.1 that speaks Rekognition's JSON 1.1 protocol, so the unchanged
 * `@aws-sdk/client-rekognition` talks to the local face engine when its endpoint points here
 * (`endpoint` in the client config, or `AWS_ENDPOINT_URL_REKOGNITION`).
 *
 * Protocol: `POST /`, header `X-Amz-Target: RekognitionService.<Operation>`, JSON body with blobs
 * in base64. Errors are `{"__type": "<Code>", "message": "..."}` (and `x-amzn-ErrorType`), status
 * 400 for the caller's faults and 500 for ours, so the SDK raises its own exception classes.
 *
 * Signing: requests are SigV4-signed by the SDK, and any signature (or none) is accepted. The
 * server holds no secrets to check them against and listens on loopback only, so the client may
 * use any credentials (e.g. `test`/`test`), but it needs some: the SDK will not send unsigned.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalRekognition, type LocalRekognitionOptions } from './collections';
import { FaceEngineError, ImageTooLargeError, InvalidParameterError } from './errors';

/** Operations served; anything else is answered with UnknownOperationException. */
export const SUPPORTED_OPERATIONS = [
  'CreateCollection',
  'DeleteCollection',
  'DescribeCollection',
  'IndexFaces',
  'SearchFacesByImage',
  'DetectFaces',
  'CompareFaces',
] as const;
export type SupportedOperation = (typeof SUPPORTED_OPERATIONS)[number];

export interface RekognitionServerOptions extends LocalRekognitionOptions {
  /** Folder of the persisted collections. */
  readonly folder: string;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Load the model during `start()` so the first request does not pay for it. @default false */
  readonly preload?: boolean;
}

/** A started server. */
export interface RunningRekognitionServer {
  /** e.g. `http://127.0.0.1:41234`: give it to the client as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

// Room for a 5 MB image in base64 plus the JSON around it; beyond this the body is not buffered.
const MAX_BODY = 16 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const IMAGE_FIELDS = ['Image', 'SourceImage', 'TargetImage'] as const;

class UnknownOperationError extends FaceEngineError {
  constructor(target: string) {
    // Not a modelled Rekognition error: the SDK raises a generic RekognitionServiceException.
    super('UnknownOperationException', `Unknown operation: ${target || '(no X-Amz-Target header)'}`);
  }
}

/** Turns base64 `Bytes` of the image fields into byte arrays, as the SDK's types expect. */
const decodeBlobs = (body: Record<string, unknown>): Record<string, unknown> => {
  const decoded: Record<string, unknown> = { ...body };
  for (const field of IMAGE_FIELDS) {
    const image = body[field];
    if (image === null || typeof image !== 'object') continue;
    const bytes = (image as { Bytes?: unknown }).Bytes;
    if (bytes === undefined) continue;
    if (typeof bytes !== 'string' || !BASE64.test(bytes))
      throw new InvalidParameterError(`${field}.Bytes must be base64`);
    decoded[field] = { ...image, Bytes: new Uint8Array(Buffer.from(bytes, 'base64')) };
  }
  return decoded;
};

const readBody = (request: IncomingMessage): Promise<{ text: string; tooLarge: boolean; size: number }> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    request.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY, size }));
    request.on('error', reject);
  });

/**
 * The local Rekognition endpoint. Counts every request per operation (including rejected ones)
 * so a test can prove which calls did, or did not, reach the engine.
 *
 * @example
 * const server = new RekognitionServer({ folder: '.local/collections' });
 * const { endpoint, stop } = await server.start();
 * const client = new RekognitionClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * // ...
 * server.callCount('SearchFacesByImage'); // 1
 * await stop();
 */
export class RekognitionServer {
  readonly rekognition: LocalRekognition;
  private readonly counts = new Map<string, number>();

  constructor(private readonly options: RekognitionServerOptions) {
    this.rekognition = new LocalRekognition(options.folder, options);
  }

  /** Requests received for `operation` (any name, supported or not) since start or reset. */
  callCount(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  /** All requests received, per operation. */
  calls(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** Total requests received for any operation. */
  totalCalls(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  resetCalls(): void {
    this.counts.clear();
  }

  /** Listens on 127.0.0.1 (`port`, default a free one). */
  async start(): Promise<RunningRekognitionServer> {
    if (this.options.preload) await this.rekognition.engine.load();
    // handle() answers every error itself; this catch only covers a connection that broke mid-reply.
    const server = createServer(
      (request, response) => void this.handle(request, response).catch(() => response.destroy()),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      port,
      stop: () =>
        new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        }),
    };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const { text, tooLarge, size } = await readBody(request);
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('RekognitionService.') ? target.slice('RekognitionService.'.length) : '';
      if (operation !== '') this.counts.set(operation, this.callCount(operation) + 1);
      if (request.method !== 'POST' || !(SUPPORTED_OPERATIONS as readonly string[]).includes(operation)) {
        throw new UnknownOperationError(target);
      }
      if (tooLarge) throw new ImageTooLargeError(size, MAX_BODY);
      let body: unknown;
      try {
        body = JSON.parse(text === '' ? '{}' : text);
      } catch (error) {
        throw new InvalidParameterError('Request body is not valid JSON', { cause: error });
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        throw new InvalidParameterError('Request body must be a JSON object');
      const result = await this.dispatch(operation as SupportedOperation, decodeBlobs(body as Record<string, unknown>));
      this.send(response, 200, requestId, result);
    } catch (error) {
      const known = error instanceof FaceEngineError;
      const code = known ? error.code : 'InternalServerError';
      const message = known ? error.message : 'Internal server error';
      const status = code === 'InternalServerError' ? 500 : 400;
      this.send(response, status, requestId, { __type: code, message }, code);
    }
  }

  private dispatch(operation: SupportedOperation, body: Record<string, unknown>): Promise<unknown> {
    // The request objects are validated field by field inside LocalRekognition.
    const r = this.rekognition;
    switch (operation) {
      case 'CreateCollection':
        return r.createCollection(body as never);
      case 'DeleteCollection':
        return r.deleteCollection(body as never);
      case 'DescribeCollection':
        return r.describeCollection(body as never);
      case 'IndexFaces':
        return r.indexFaces(body as never);
      case 'SearchFacesByImage':
        return r.searchFacesByImage(body as never);
      case 'DetectFaces':
        return r.detectFaces(body as never);
      case 'CompareFaces':
        return r.compareFaces(body as never);
    }
  }

  private send(response: ServerResponse, status: number, requestId: string, body: unknown, errorType?: string): void {
    // Timestamps travel as epoch seconds in the JSON 1.1 protocol (the replacer sees the Date
    // through its holder: toJSON has already made the value a string).
    const payload = JSON.stringify(body, function (this: Record<string, unknown>, key: string, value: unknown) {
      const raw = this[key];
      return raw instanceof Date ? raw.getTime() / 1000 : value;
    });
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': requestId,
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    response.end(payload);
  }
}
