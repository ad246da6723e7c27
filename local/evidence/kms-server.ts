/**
 * A local endpoint speaking KMS's JSON protocol (`X-Amz-Target: TrentService.<Action>`) for the
 * two calls the evidence flow makes, Sign and GetPublicKey, backed by an RSA 2048 key pair made
 * on this machine. The unchanged @aws-sdk/client-kms reaches it through `AWS_ENDPOINT_URL_KMS`,
 * so the offline run signs digests through exactly the code that runs on AWS. Any request
 * signature is accepted: this is a loopback stand-in.
 */
import { constants, generateKeyPairSync, type KeyObject, privateEncrypt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** ASN.1 DigestInfo prefix of a SHA-256 hash (RFC 8017, section 9.2, note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** A local signing key with the KMS key spec RSA_2048 and usage SIGN_VERIFY. */
export interface LocalSigningKey {
  readonly keyId: string;
  readonly keyArn: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export const newLocalSigningKey = (region = 'eu-west-1', account = '111111111111'): LocalSigningKey => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = randomUUID();
  return { keyId, keyArn: `arn:aws:kms:${region}:${account}:key/${keyId}`, privateKey, publicKey };
};

/**
 * RSASSA-PKCS1-v1_5 over an already computed SHA-256 (KMS `MessageType: DIGEST`): the DigestInfo
 * padded with PKCS#1 type 1 and raised to the private exponent, which is what `privateEncrypt`
 * with PKCS#1 padding does.
 */
export const signSha256Digest = (privateKey: KeyObject, digest: Uint8Array): Buffer =>
  privateEncrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.concat([SHA256_DIGEST_INFO, digest]),
  );

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

const knownKey = (key: LocalSigningKey, id: unknown): void => {
  if (id !== key.keyId && id !== key.keyArn)
    throw new KmsError('NotFoundException', `Key '${String(id)}' does not exist`);
};

/** Answer one KMS action. Exported for tests. */
export const answerKms = (key: LocalSigningKey, action: string, input: Record<string, unknown>): unknown => {
  switch (action) {
    case 'GetPublicKey':
      knownKey(key, input.KeyId);
      return {
        KeyId: key.keyArn,
        KeySpec: 'RSA_2048',
        KeyUsage: 'SIGN_VERIFY',
        PublicKey: key.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256'],
      };
    case 'Sign': {
      knownKey(key, input.KeyId);
      if (input.SigningAlgorithm !== 'RSASSA_PKCS1_V1_5_SHA_256')
        throw new KmsError('InvalidKeyUsageException', `This key does not sign with ${String(input.SigningAlgorithm)}`);
      const message = Buffer.from(String(input.Message ?? ''), 'base64');
      if (input.MessageType !== 'DIGEST' || message.length !== 32)
        throw new KmsError(
          'ValidationException',
          'this local endpoint signs SHA-256 digests (MessageType DIGEST) only',
        );
      return {
        KeyId: key.keyArn,
        Signature: signSha256Digest(key.privateKey, message).toString('base64'),
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      };
    }
    default:
      throw new KmsError('UnsupportedOperationException', `${action} is not served by the local KMS endpoint`);
  }
};

/** A running local KMS endpoint. */
export interface LocalKms {
  readonly endpoint: string;
  readonly key: LocalSigningKey;
  /** `{ AWS_ENDPOINT_URL_KMS }` for a handler's environment. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * @example
 * const kms = await startLocalKms();
 * const signer = new KmsDigestSigner(new KMSClient({ endpoint: kms.endpoint }), kms.key.keyId);
 */
export const startLocalKms = async (key: LocalSigningKey = newLocalSigningKey()): Promise<LocalKms> => {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const action = String(request.headers['x-amz-target'] ?? '').replace(/^TrentService\./, '');
      let status = 200;
      let body: unknown;
      try {
        body = answerKms(key, action, JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>);
      } catch (error) {
        status = 400;
        body = {
          __type: error instanceof KmsError ? error.type : 'InternalFailure',
          message: (error as Error).message,
        };
      }
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
      response.end(JSON.stringify(body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    key,
    env: { AWS_ENDPOINT_URL_KMS: endpoint },
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
};
