/**
 * Building, signing and checking digests. The signed bytes are the stable JSON text of the body;
 * a digest's hash (what the next digest chains to) is the SHA-256 of the whole file as stored.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { sha256 } from './canonical';
import { DigestFormatError, DigestSigningError } from './errors';
import { stableStringify } from './stable-json';
import type { DigestBody, DigestEntry, DigestFile, Period } from './types';

/**
 * RSA PKCS#1 v1.5 with SHA-256 (KMS key spec RSA_2048). See docs/adr/0030: the offline KMS endpoint
 * can sign a pre-computed SHA-256 with Node's own crypto only in this scheme.
 */
export const SIGNING_ALGORITHM = 'RSASSA_PKCS1_V1_5_SHA_256' as const;

/** Signs digest bodies. The deployed stack and the offline run both use {@link KmsDigestSigner}. */
export interface DigestSigner {
  readonly keyId: string;
  /** An RSASSA-PKCS1-v1_5 SHA-256 signature of `message`. */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/**
 * Signs with a KMS asymmetric key (key spec RSA_2048, usage SIGN_VERIFY). KMS is sent the
 * SHA-256 of the body (MessageType DIGEST), so a digest of any size is one Sign request.
 *
 * @example
 * const signer = new KmsDigestSigner(new KMSClient({}), process.env.DIGEST_KEY_ID!);
 */
export class KmsDigestSigner implements DigestSigner {
  constructor(
    private readonly client: KMSClient,
    readonly keyId: string,
  ) {}

  async sign(message: Uint8Array): Promise<Uint8Array> {
    let signature: Uint8Array | undefined;
    try {
      ({ Signature: signature } = await this.client.send(
        new SignCommand({
          KeyId: this.keyId,
          Message: createHash('sha256').update(message).digest(),
          MessageType: 'DIGEST',
          SigningAlgorithm: SIGNING_ALGORITHM,
        }),
      ));
    } catch (error) {
      throw new DigestSigningError(`KMS could not sign with ${this.keyId}`, { cause: error });
    }
    if (signature === undefined || signature.length === 0)
      throw new DigestSigningError(`KMS returned no signature for ${this.keyId}`);
    return signature;
  }

  /** The key's public half as PEM (SPKI), for verifying without AWS credentials. */
  async publicKeyPem(): Promise<string> {
    const { PublicKey: der } = await this.client.send(new GetPublicKeyCommand({ KeyId: this.keyId }));
    if (der === undefined) throw new DigestSigningError(`KMS returned no public key for ${this.keyId}`);
    return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })
      .export({ format: 'pem', type: 'spki' })
      .toString();
  }
}

const sequenceOrder = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;

/** The order of entries in a digest: time, ledger, stream sequence number, key. */
export const compareEntries = (a: DigestEntry, b: DigestEntry): number =>
  a.at.localeCompare(b.at) ||
  a.ledger.localeCompare(b.ledger) ||
  sequenceOrder(a.sequence, b.sequence) ||
  a.key.localeCompare(b.key);

/** The S3 key of a period's digest: keys sort in time order. */
export const digestKey = (prefix: string, period: Period): string => `${prefix}${period.start}.json`;

/** Sign `body` and return the file text to store. */
export const signDigest = async (body: DigestBody, signer: DigestSigner): Promise<string> => {
  const signature = await signer.sign(Buffer.from(stableStringify(body), 'utf8'));
  const file: DigestFile = { body, signature: Buffer.from(signature).toString('base64') };
  return stableStringify(file);
};

/** The hash the next digest chains to: SHA-256 of the stored file. */
export const digestFileHash = (text: string): string => sha256(text);

/** Parse a stored digest file; throws {@link DigestFormatError} when it is not one. */
export const parseDigestFile = (text: string, key: string): DigestFile => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DigestFormatError(`${key} is not JSON`, { cause: error });
  }
  const file = parsed as Partial<DigestFile>;
  const body = file.body as Partial<DigestBody> | undefined;
  if (
    typeof file.signature !== 'string' ||
    body?.version !== 1 ||
    typeof body.period?.start !== 'string' ||
    typeof body.period?.end !== 'string' ||
    !Array.isArray(body.entries) ||
    body.previous === undefined
  )
    throw new DigestFormatError(`${key} lacks a version 1 body, period, entries, previous or signature`);
  return file as DigestFile;
};

/** Whether `file`'s signature is valid under `publicKeyPem`. */
export const signatureValid = (file: DigestFile, publicKeyPem: string): boolean => {
  try {
    return verify(
      'sha256',
      Buffer.from(stableStringify(file.body), 'utf8'),
      createPublicKey(publicKeyPem),
      Buffer.from(file.signature, 'base64'),
    );
  } catch {
    return false;
  }
};
