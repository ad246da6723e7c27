import { createHash } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, KMSServiceException, SignCommand } from '@aws-sdk/client-kms';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { KmsDigestSigner, parseDigestFile, signatureValid, signDigest } from '../../../lambda/evidence/digest';
import { DigestSigningError } from '../../../lambda/evidence/errors';
import { stableStringify } from '../../../lambda/evidence/stable-json';
import type { DigestBody } from '../../../lambda/evidence/types';
import { type LocalKms, newLocalSigningKey, signSha256Digest, startLocalKms } from '../../../local/evidence/kms-server';

const body: DigestBody = {
  version: 1,
  period: { start: '2027-07-01T00:00:00.000Z', end: '2027-07-01T01:00:00.000Z' },
  previous: null,
  entries: [],
  signing: { keyId: 'k', algorithm: 'RSASSA_PKCS1_V1_5_SHA_256' },
  createdAt: '2027-07-01T01:05:00.000Z',
};
const kmsClient = (endpoint: string) =>
  new KMSClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

describe('KmsDigestSigner against the local KMS endpoint (unchanged KMS client)', () => {
  let kms: LocalKms;
  beforeAll(async () => {
    kms = await startLocalKms();
  });
  afterAll(() => kms.stop());

  it('signs a digest that verifies under the exported public key, and not once altered', async () => {
    const signer = new KmsDigestSigner(kmsClient(kms.endpoint), kms.key.keyId);
    const pem = await signer.publicKeyPem();
    const file = parseDigestFile(await signDigest(body, signer), 'd');

    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(signatureValid(file, pem)).toBe(true);
    expect(signatureValid({ ...file, body: { ...file.body, createdAt: '2027-07-01T01:06:00.000Z' } }, pem)).toBe(false);
    expect(
      signatureValid(file, newLocalSigningKey().publicKey.export({ format: 'pem', type: 'spki' }).toString()),
    ).toBe(false);
  });

  it('refuses a key it does not hold, as KMS does', async () => {
    const signer = new KmsDigestSigner(kmsClient(kms.endpoint), 'not-this-key');
    await expect(signer.sign(Buffer.from('x'))).rejects.toThrow(DigestSigningError);
  });
});

describe('KmsDigestSigner requests (aws-sdk-client-mock)', () => {
  const key = newLocalSigningKey();
  // Created here, not at collection time: mockClient patches every KMSClient while it is active.
  let kms: AwsClientStub<KMSClient>;
  beforeAll(() => {
    kms = mockClient(KMSClient);
  });
  afterEach(() => kms.reset());
  afterAll(() => kms.restore());

  it('sends the SHA-256 of the body as a DIGEST with RSASSA_PKCS1_V1_5_SHA_256', async () => {
    kms.on(SignCommand).callsFake((input: { Message: Uint8Array }) => ({
      Signature: signSha256Digest(key.privateKey, input.Message),
    }));
    const signer = new KmsDigestSigner(new KMSClient({ region: 'eu-west-1' }), 'alias/digests');

    const file = parseDigestFile(await signDigest(body, signer), 'd');

    const input = kms.commandCalls(SignCommand)[0]!.args[0].input;
    expect(input).toEqual({
      KeyId: 'alias/digests',
      MessageType: 'DIGEST',
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      Message: createHash('sha256').update(stableStringify(body)).digest(),
    });
    expect(signatureValid(file, key.publicKey.export({ format: 'pem', type: 'spki' }).toString())).toBe(true);
  });

  it.each([
    [
      'KMS fails',
      () =>
        kms
          .on(SignCommand)
          .rejects(new KMSServiceException({ name: 'KMSInternalException', $fault: 'server', $metadata: {} })),
    ],
    ['KMS returns no signature', () => kms.on(SignCommand).resolves({})],
  ])('raises DigestSigningError when %s', async (_, arrange) => {
    arrange();
    const signer = new KmsDigestSigner(new KMSClient({ region: 'eu-west-1' }), 'k');
    await expect(signer.sign(Buffer.from('x'))).rejects.toThrow(DigestSigningError);
  });

  it('exports the public key as PEM from GetPublicKey', async () => {
    kms.on(GetPublicKeyCommand).resolves({ PublicKey: key.publicKey.export({ format: 'der', type: 'spki' }) });
    const pem = await new KmsDigestSigner(new KMSClient({ region: 'eu-west-1' }), 'k').publicKeyPem();
    expect(pem).toBe(key.publicKey.export({ format: 'pem', type: 'spki' }).toString());
  });
});
