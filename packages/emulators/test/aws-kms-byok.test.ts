/**
 * AWS KMS emulator, BYOK happy paths: key material generated and wrapped by the OpenSSL CLI,
 * imported through the real SDK for every wrapping algorithm AWS allows, then used through the
 * emulator and checked against the ORIGINAL key with node:crypto.
 */
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyMacCommand,
  type KeySpec,
  type KeyUsageType,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import {
  constants,
  createHash,
  createHmac,
  createPublicKey,
  verify,
  type KeyObject,
} from 'node:crypto';
import { createExternalKey, useAwsKms } from './support/aws-kms';
import {
  ALL_WRAPPING_ALGORITHMS,
  byokImport,
  opensslGenerateKey,
  opensslRandom,
  type AwsWrappingAlgorithm,
  type OpensslKey,
} from './support/aws-byok';

const aws = useAwsKms();
let p256: OpensslKey;
let p384: OpensslKey;
let rsa2048: OpensslKey;

beforeAll(() => {
  p256 = opensslGenerateKey('EC:P-256');
  p384 = opensslGenerateKey('EC:P-384');
  rsa2048 = opensslGenerateKey('RSA:2048');
});

async function externalKey(keySpec: KeySpec, keyUsage: KeyUsageType): Promise<string> {
  const key = await createExternalKey(aws.client, keySpec, keyUsage);
  expect(key.state).toBe('PendingImport');
  expect(key.enabled).toBe(false);
  return key.keyId;
}

const HASH_OF: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** Signs RAW and DIGEST through the emulator and verifies with node:crypto and `publicKey`. */
async function expectSignaturesVerify(
  keyId: string,
  algorithm: SigningAlgorithmSpec,
  publicKey: KeyObject,
): Promise<void> {
  const hash = HASH_OF[algorithm.slice(-3)]!;
  const message = Buffer.from(`byok ${algorithm} ${keyId}`);
  const options = algorithm.startsWith('ECDSA')
    ? { key: publicKey, dsaEncoding: 'der' as const }
    : algorithm.startsWith('RSASSA_PSS')
      ? {
          key: publicKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: createHash(hash).digest().length,
        }
      : { key: publicKey, padding: constants.RSA_PKCS1_PADDING };
  for (const type of ['RAW', 'DIGEST'] as const) {
    const input = type === 'RAW' ? message : createHash(hash).update(message).digest();
    const { Signature } = await aws.client.send(
      new SignCommand({
        KeyId: keyId,
        Message: input,
        MessageType: type,
        SigningAlgorithm: algorithm,
      }),
    );
    expect({ type, valid: verify(hash, message, options, Buffer.from(Signature!)) }).toEqual({
      type,
      valid: true,
    });
  }
}

describe('symmetric key material', () => {
  test.each(ALL_WRAPPING_ALGORITHMS)('%s: import, Encrypt/Decrypt round trip', async (alg) => {
    const keyId = await externalKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const material = opensslRandom(32);
    const imported = await byokImport(aws.client, keyId, material, alg);
    expect(imported.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    const { KeyMetadata } = await aws.client.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(KeyMetadata).toMatchObject({
      KeyState: 'Enabled',
      Enabled: true,
      Origin: 'EXTERNAL',
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      CurrentKeyMaterialId: imported.KeyMaterialId,
    });
    const plaintext = Buffer.from(`secret under ${alg}`);
    const context = { purpose: 'byok-test' };
    const enc = await aws.client.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }),
    );
    const dec = await aws.client.send(
      new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context }),
    );
    expect(Buffer.from(dec.Plaintext!)).toEqual(plaintext);
    expect(dec.KeyId).toBe(KeyMetadata?.Arn);
  });
});

test('HMAC_256 material: the emulator MACs with exactly the imported bytes', async () => {
  const keyId = await externalKey('HMAC_256', 'GENERATE_VERIFY_MAC');
  const material = opensslRandom(48);
  await byokImport(aws.client, keyId, material, 'RSA_AES_KEY_WRAP_SHA_256');
  const message = Buffer.from('mac me');
  const { Mac } = await aws.client.send(
    new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }),
  );
  expect(Buffer.from(Mac!)).toEqual(createHmac('sha256', material).update(message).digest());
  const verified = await aws.client.send(
    new VerifyMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', Mac }),
  );
  expect(verified.MacValid).toBe(true);
});

describe('RSA-2048 signing key (RSA_AES_* only)', () => {
  const rsaAlgs: AwsWrappingAlgorithm[] = ['RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'];
  test.each(rsaAlgs)(
    '%s: import, sign with every RSA algorithm, verify with openssl key',
    async (alg) => {
      const keyId = await externalKey('RSA_2048', 'SIGN_VERIFY');
      await byokImport(aws.client, keyId, rsa2048.pkcs8, alg);
      const { PublicKey } = await aws.client.send(new GetPublicKeyCommand({ KeyId: keyId }));
      const fromKms = createPublicKey({
        key: Buffer.from(PublicKey!),
        format: 'der',
        type: 'spki',
      });
      expect(fromKms.equals(rsa2048.publicKey)).toBe(true);
      for (const sa of [
        'RSASSA_PKCS1_V1_5_SHA_256',
        'RSASSA_PKCS1_V1_5_SHA_512',
        'RSASSA_PSS_SHA_256',
        'RSASSA_PSS_SHA_384',
      ] as const)
        await expectSignaturesVerify(keyId, sa, rsa2048.publicKey);
    },
  );
});

describe('EC signing keys (all four algorithms)', () => {
  const cases = ALL_WRAPPING_ALGORITHMS.flatMap((alg) => [
    { alg, spec: 'ECC_NIST_P256' as const, curve: 'P-256', sa: 'ECDSA_SHA_256' as const },
    { alg, spec: 'ECC_NIST_P384' as const, curve: 'P-384', sa: 'ECDSA_SHA_384' as const },
  ]);
  test.each(cases)('$spec via $alg: sign RAW + DIGEST, verify with openssl key', async (c) => {
    const key = c.curve === 'P-256' ? p256 : p384;
    const keyId = await externalKey(c.spec, 'SIGN_VERIFY');
    await byokImport(aws.client, keyId, key.pkcs8, c.alg);
    await expectSignaturesVerify(keyId, c.sa, key.publicKey);
  });

  test('ECC_NIST_P521 via RSAES_OAEP_SHA_256 needs a 3072-bit wrapping key', async () => {
    const p521 = opensslGenerateKey('EC:P-521');
    const keyId = await externalKey('ECC_NIST_P521', 'SIGN_VERIFY');
    await byokImport(aws.client, keyId, p521.pkcs8, 'RSAES_OAEP_SHA_256', {
      wrappingKeySpec: 'RSA_3072',
    });
    await expectSignaturesVerify(keyId, 'ECDSA_SHA_512', p521.publicKey);
  });
});

test('re-import of the same material is accepted and keeps the KeyMaterialId', async () => {
  const keyId = await externalKey('ECC_NIST_P256', 'SIGN_VERIFY');
  const first = await byokImport(aws.client, keyId, p256.pkcs8, 'RSA_AES_KEY_WRAP_SHA_256');
  const again = await byokImport(aws.client, keyId, p256.pkcs8, 'RSAES_OAEP_SHA_1');
  expect(again.KeyMaterialId).toBe(first.KeyMaterialId);
  await expectSignaturesVerify(keyId, 'ECDSA_SHA_256', p256.publicKey);
});
