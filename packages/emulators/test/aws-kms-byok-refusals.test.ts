/**
 * AWS KMS emulator, BYOK refusals and import lifecycle: every wrong blob, token, algorithm or
 * material is refused with the error AWS documents, as the real SDK surfaces it; token and
 * material expiry use the emulator's injected clock.
 */
import {
  CreateKeyCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EnableKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  SignCommand,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import { opensslWrap } from '../../../test/support/openssl';
import { createExternalKey, expectKmsError, useAwsKms } from './support/aws-kms';
import {
  byokImport,
  formatOf,
  opensslGenerateKey,
  opensslRandom,
  type OpensslKey,
} from './support/aws-byok';

const HOUR = 3_600_000;
let offsetMs = 0;
const aws = useAwsKms({ clock: () => Date.now() + offsetMs });
let p256: OpensslKey;
let p384: OpensslKey;

beforeAll(() => {
  p256 = opensslGenerateKey('EC:P-256');
  p384 = opensslGenerateKey('EC:P-384');
});

const externalKey = async (keySpec: KeySpec, keyUsage: KeyUsageType) =>
  (await createExternalKey(aws.client, keySpec, keyUsage)).keyId;

const params = (keyId: string, alg: 'RSA_AES_KEY_WRAP_SHA_256' | 'RSAES_OAEP_SHA_256') =>
  aws.client.send(
    new GetParametersForImportCommand({
      KeyId: keyId,
      WrappingAlgorithm: alg,
      WrappingKeySpec: 'RSA_2048',
    }),
  );

const signP256 = (keyId: string) =>
  aws.client.send(
    new SignCommand({ KeyId: keyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }),
  );

test('wrong KEK: blob wrapped for another key’s import parameters → InvalidCiphertextException', async () => {
  const a = await externalKey('ECC_NIST_P256', 'SIGN_VERIFY');
  const b = await externalKey('ECC_NIST_P256', 'SIGN_VERIFY');
  const pa = await params(a, 'RSA_AES_KEY_WRAP_SHA_256');
  const pb = await params(b, 'RSA_AES_KEY_WRAP_SHA_256');
  const blobForB = opensslWrap(
    p256.pkcs8,
    Buffer.from(pb.PublicKey!),
    formatOf('RSA_AES_KEY_WRAP_SHA_256'),
  );
  const err = await expectKmsError(
    aws.client.send(
      new ImportKeyMaterialCommand({
        KeyId: a,
        ImportToken: pa.ImportToken,
        EncryptedKeyMaterial: blobForB,
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
    ),
    'InvalidCiphertextException',
  );
  expect(err.$metadata?.httpStatusCode).toBe(400);
  expect(err.$fault).toBe('client');
});

test('token of another key → InvalidImportTokenException; garbage token too', async () => {
  const a = await externalKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
  const b = await externalKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
  const pb = await params(b, 'RSAES_OAEP_SHA_256');
  const blob = opensslWrap(
    opensslRandom(32),
    Buffer.from(pb.PublicKey!),
    formatOf('RSAES_OAEP_SHA_256'),
  );
  const input = {
    KeyId: a,
    EncryptedKeyMaterial: blob,
    ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const,
  };
  await expectKmsError(
    aws.client.send(new ImportKeyMaterialCommand({ ...input, ImportToken: pb.ImportToken })),
    'InvalidImportTokenException',
  );
  await expectKmsError(
    aws.client.send(
      new ImportKeyMaterialCommand({ ...input, ImportToken: Buffer.from('not a token') }),
    ),
    'InvalidImportTokenException',
  );
});

describe('wrong algorithm → InvalidCiphertextException', () => {
  test('blob wrapped with OAEP SHA-1 for an RSA_AES_KEY_WRAP_SHA_256 token', async () => {
    const keyId = await externalKey('ECC_NIST_P256', 'SIGN_VERIFY');
    await expectKmsError(
      byokImport(aws.client, keyId, p256.pkcs8, 'RSA_AES_KEY_WRAP_SHA_256', {
        wrapAs: 'RSA_AES_KEY_WRAP_SHA_1',
      }),
      'InvalidCiphertextException',
    );
  });

  test('direct OAEP blob for a hybrid token, and hybrid blob for a direct token', async () => {
    const keyId = await externalKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const material = opensslRandom(32);
    await expectKmsError(
      byokImport(aws.client, keyId, material, 'RSA_AES_KEY_WRAP_SHA_256', {
        wrapAs: 'RSAES_OAEP_SHA_256',
      }),
      'InvalidCiphertextException',
    );
    await expectKmsError(
      byokImport(aws.client, keyId, material, 'RSAES_OAEP_SHA_256', {
        wrapAs: 'RSA_AES_KEY_WRAP_SHA_256',
      }),
      'InvalidCiphertextException',
    );
  });
});

describe('material that does not fit the key → IncorrectKeyMaterialException', () => {
  test('P-384 private key into an ECC_NIST_P256 key', async () => {
    const keyId = await externalKey('ECC_NIST_P256', 'SIGN_VERIFY');
    await expectKmsError(
      byokImport(aws.client, keyId, p384.pkcs8, 'RSA_AES_KEY_WRAP_SHA_256'),
      'IncorrectKeyMaterialException',
    );
    const { KeyMetadata } = await aws.client.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(KeyMetadata?.KeyState).toBe('PendingImport');
  });

  test('31-byte symmetric material', async () => {
    const keyId = await externalKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    await expectKmsError(
      byokImport(aws.client, keyId, opensslRandom(31), 'RSAES_OAEP_SHA_256'),
      'IncorrectKeyMaterialException',
    );
  });

  test('PKCS#8 followed by trailing zero bytes (SoftHSM KWP padding bug)', async () => {
    const keyId = await externalKey('ECC_NIST_P256', 'SIGN_VERIFY');
    const padded = Buffer.concat([p256.pkcs8, Buffer.alloc(6)]);
    await expectKmsError(
      byokImport(aws.client, keyId, padded, 'RSA_AES_KEY_WRAP_SHA_256'),
      'IncorrectKeyMaterialException',
    );
  });

  test('HMAC key shorter than AWS allows for HMAC_256', async () => {
    const keyId = await externalKey('HMAC_256', 'GENERATE_VERIFY_MAC');
    await expectKmsError(
      byokImport(aws.client, keyId, opensslRandom(16), 'RSAES_OAEP_SHA_1'),
      'IncorrectKeyMaterialException',
    );
  });

  test('different material on re-import, also after DeleteImportedKeyMaterial', async () => {
    const keyId = await externalKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const material = opensslRandom(32);
    await byokImport(aws.client, keyId, material, 'RSAES_OAEP_SHA_256');
    await expectKmsError(
      byokImport(aws.client, keyId, opensslRandom(32), 'RSAES_OAEP_SHA_256'),
      'IncorrectKeyMaterialException',
    );
    const deleted = await aws.client.send(new DeleteImportedKeyMaterialCommand({ KeyId: keyId }));
    expect(deleted.KeyId).toContain(keyId);
    await expectKmsError(
      byokImport(aws.client, keyId, opensslRandom(32), 'RSA_AES_KEY_WRAP_SHA_1'),
      'IncorrectKeyMaterialException',
    );
    await byokImport(aws.client, keyId, material, 'RSA_AES_KEY_WRAP_SHA_1');
    const { KeyMetadata } = await aws.client.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(KeyMetadata?.KeyState).toBe('Enabled');
  });
});

describe('GetParametersForImport refusals', () => {
  test('RSAES_OAEP_* for an RSA key → ValidationException', async () => {
    const keyId = await externalKey('RSA_2048', 'SIGN_VERIFY');
    await expectKmsError(params(keyId, 'RSAES_OAEP_SHA_256'), 'ValidationException');
  });

  test('ECC_NIST_P521 with RSAES_OAEP and an RSA_2048 wrapping key → ValidationException', async () => {
    const keyId = await externalKey('ECC_NIST_P521', 'SIGN_VERIFY');
    await expectKmsError(params(keyId, 'RSAES_OAEP_SHA_256'), 'ValidationException');
  });

  test('key with AWS_KMS origin → UnsupportedOperationException', async () => {
    const { KeyMetadata } = await aws.client.send(new CreateKeyCommand({}));
    await expectKmsError(
      params(KeyMetadata!.KeyId!, 'RSAES_OAEP_SHA_256'),
      'UnsupportedOperationException',
    );
  });

  test('unknown key → NotFoundException', async () => {
    await expectKmsError(
      params('11111111-2222-3333-4444-555555555555', 'RSAES_OAEP_SHA_256'),
      'NotFoundException',
    );
  });
});

describe('ImportKeyMaterial validation', () => {
  test('KEY_MATERIAL_EXPIRES without ValidTo, ValidTo beyond 365 days, ImportType on EC keys', async () => {
    const keyId = await externalKey('ECC_NIST_P256', 'SIGN_VERIFY');
    const expires = { ExpirationModel: 'KEY_MATERIAL_EXPIRES' as const };
    await expectKmsError(
      byokImport(aws.client, keyId, p256.pkcs8, 'RSAES_OAEP_SHA_1', { importOverrides: expires }),
      'ValidationException',
    );
    const tooLate = new Date(Date.now() + offsetMs + 366 * 24 * HOUR);
    await expectKmsError(
      byokImport(aws.client, keyId, p256.pkcs8, 'RSAES_OAEP_SHA_1', {
        importOverrides: { ...expires, ValidTo: tooLate },
      }),
      'ValidationException',
    );
    await expectKmsError(
      byokImport(aws.client, keyId, p256.pkcs8, 'RSAES_OAEP_SHA_1', {
        importOverrides: { ImportType: 'EXISTING_KEY_MATERIAL' },
      }),
      'ValidationException',
    );
  });
});

describe('time: token expiry and material expiry (injected clock)', () => {
  afterEach(() => {
    offsetMs = 0;
  });

  test('import token older than 24 h → ExpiredImportTokenException', async () => {
    const keyId = await externalKey('ECC_NIST_P256', 'SIGN_VERIFY');
    const p = await params(keyId, 'RSA_AES_KEY_WRAP_SHA_256');
    expect(p.ParametersValidTo!.getTime()).toBeGreaterThan(Date.now() + 23 * HOUR);
    const blob = opensslWrap(
      p256.pkcs8,
      Buffer.from(p.PublicKey!),
      formatOf('RSA_AES_KEY_WRAP_SHA_256'),
    );
    offsetMs = 24 * HOUR + 1000;
    await expectKmsError(
      aws.client.send(
        new ImportKeyMaterialCommand({
          KeyId: keyId,
          ImportToken: p.ImportToken,
          EncryptedKeyMaterial: blob,
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      ),
      'ExpiredImportTokenException',
    );
  });

  test('ValidTo passes → PendingImport; re-import of the same material restores it', async () => {
    const keyId = await externalKey('ECC_NIST_P256', 'SIGN_VERIFY');
    const validTo = new Date(Date.now() + HOUR);
    await byokImport(aws.client, keyId, p256.pkcs8, 'RSA_AES_KEY_WRAP_SHA_256', {
      importOverrides: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo },
    });
    const before = await aws.client.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(before.KeyMetadata).toMatchObject({
      KeyState: 'Enabled',
      ExpirationModel: 'KEY_MATERIAL_EXPIRES',
      ValidTo: validTo,
    });
    await signP256(keyId);
    offsetMs = 2 * HOUR;
    const after = await aws.client.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(after.KeyMetadata?.KeyState).toBe('PendingImport');
    await expectKmsError(signP256(keyId), 'KMSInvalidStateException');
    await byokImport(aws.client, keyId, p256.pkcs8, 'RSAES_OAEP_SHA_256');
    await signP256(keyId);
  });
});

test('PendingImport and deleted material: Sign and EnableKey → KMSInvalidStateException', async () => {
  const keyId = await externalKey('ECC_NIST_P256', 'SIGN_VERIFY');
  await expectKmsError(signP256(keyId), 'KMSInvalidStateException');
  await expectKmsError(
    aws.client.send(new EnableKeyCommand({ KeyId: keyId })),
    'KMSInvalidStateException',
  );
  await byokImport(aws.client, keyId, p256.pkcs8, 'RSAES_OAEP_SHA_256');
  await signP256(keyId);
  await aws.client.send(new DeleteImportedKeyMaterialCommand({ KeyId: keyId }));
  const { KeyMetadata } = await aws.client.send(new DescribeKeyCommand({ KeyId: keyId }));
  expect(KeyMetadata?.KeyState).toBe('PendingImport');
  await expectKmsError(signP256(keyId), 'KMSInvalidStateException');
});

test('DeleteImportedKeyMaterial on an AWS_KMS key → UnsupportedOperationException', async () => {
  const { KeyMetadata } = await aws.client.send(new CreateKeyCommand({}));
  await expectKmsError(
    aws.client.send(new DeleteImportedKeyMaterialCommand({ KeyId: KeyMetadata!.KeyId })),
    'UnsupportedOperationException',
  );
});
