/**
 * AWS KMS emulator: error types and messages users and code match on, as recorded from the real
 * service (or documented in the AWS KMS API reference), through the real SDK — plus Ed25519
 * keys (ECC_NIST_EDWARDS25519) checked with node:crypto.
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  SignCommand,
  TagResourceCommand,
  VerifyCommand,
  VerifyMacCommand,
  type CreateKeyCommandInput,
  type Tag,
} from '@aws-sdk/client-kms';
import { createPublicKey, verify } from 'node:crypto';
import { createExternalKey, expectKmsError, useAwsKms } from './support/aws-kms';
import { byokImport, opensslRandom } from './support/aws-byok';
import { openssl, opensslPkcs8Der, withTempDir } from '../../../test/support/openssl';
import { join } from 'node:path';

const aws = useAwsKms();

const create = async (input: CreateKeyCommandInput = {}): Promise<string> =>
  (await aws.client.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;

async function failure(call: Promise<unknown>, name: string): Promise<string> {
  return (await expectKmsError(call, name)).message;
}

describe('tags', () => {
  const tags = (n: number, value = 'v'): Tag[] =>
    Array.from({ length: n }, (_, i) => ({ TagKey: `k${i}`, TagValue: value }));

  test('duplicate keys, more than 50, reserved aws: → TagException with AWS wording', async () => {
    const dup = [
      { TagKey: 'a', TagValue: '1' },
      { TagKey: 'a', TagValue: '2' },
    ];
    expect(
      await failure(aws.client.send(new CreateKeyCommand({ Tags: dup })), 'TagException'),
    ).toBe('Duplicate tag keys');
    expect(
      await failure(aws.client.send(new CreateKeyCommand({ Tags: tags(51) })), 'TagException'),
    ).toBe('Too many tags');
    const k = await create({ Tags: tags(50) });
    expect(
      await failure(
        aws.client.send(
          new TagResourceCommand({ KeyId: k, Tags: [{ TagKey: 'one-more', TagValue: 'x' }] }),
        ),
        'TagException',
      ),
    ).toBe('Too many tags');
    expect(
      await failure(
        aws.client.send(new CreateKeyCommand({ Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })),
        'TagException',
      ),
    ).toBe('Tags beginning with aws: are reserved');
  });

  test('key over 128 / value over 256 characters → ValidationException naming tags.N.member', async () => {
    const longKey = 'k'.repeat(129);
    expect(
      await failure(
        aws.client.send(
          new CreateKeyCommand({
            Tags: [
              { TagKey: 'ok', TagValue: 'ok' },
              { TagKey: longKey, TagValue: 'v' },
            ],
          }),
        ),
        'ValidationException',
      ),
    ).toBe(
      `1 validation error detected: Value '${longKey}' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    const longValue = 'v'.repeat(257);
    expect(
      await failure(
        aws.client.send(new CreateKeyCommand({ Tags: [{ TagKey: 'k', TagValue: longValue }] })),
        'ValidationException',
      ),
    ).toBe(
      `1 validation error detected: Value '${longValue}' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
    await create({ Tags: [{ TagKey: 'k'.repeat(128), TagValue: 'v'.repeat(256) }] });
  });
});

describe('key identifiers, aliases and CreateKey', () => {
  test('a non-UUID key id, another region’s ARN', async () => {
    expect(
      await failure(
        aws.client.send(new EncryptCommand({ KeyId: 'x', Plaintext: Buffer.from('p') })),
        'NotFoundException',
      ),
    ).toBe("Invalid keyId 'x'");
    const arn = 'arn:aws:kms:eu-west-3:111122223333:key/11111111-2222-3333-4444-555555555555';
    expect(
      await failure(
        aws.client.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('p') })),
        'NotFoundException',
      ),
    ).toBe(`Invalid arn ${arn}`);
  });

  test('alias prefix, HMAC key without KeyUsage', async () => {
    const k = await create();
    expect(
      await failure(
        aws.client.send(new CreateAliasCommand({ AliasName: 'payments', TargetKeyId: k })),
        'ValidationException',
      ),
    ).toBe(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
    expect(
      await failure(
        aws.client.send(new CreateKeyCommand({ KeySpec: 'HMAC_256' })),
        'ValidationException',
      ),
    ).toBe(
      'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    );
  });
});

describe('cryptographic operations', () => {
  let rsaSign = '';
  let rsaEncrypt = '';
  let hmac224 = '';
  let symmetric = '';
  beforeAll(async () => {
    [rsaSign, rsaEncrypt, hmac224, symmetric] = await Promise.all([
      create({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
      create({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }),
      create({ KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC' }),
      create(),
    ]);
  });

  test('digest of the wrong length: the message names the algorithm, nothing appended', async () => {
    expect(
      await failure(
        aws.client.send(
          new SignCommand({
            KeyId: rsaSign,
            Message: Buffer.alloc(31),
            MessageType: 'DIGEST',
            SigningAlgorithm: 'RSASSA_PSS_SHA_256',
          }),
        ),
        'ValidationException',
      ),
    ).toBe('Digest is invalid length for algorithm RSASSA_PSS_SHA_256.');
  });

  test('invalid signature / MAC: KMSInvalidSignatureException / KMSInvalidMacException, empty message', async () => {
    const sign = {
      KeyId: rsaSign,
      Message: Buffer.from('m'),
      SigningAlgorithm: 'RSASSA_PSS_SHA_256' as const,
    };
    const { Signature } = await aws.client.send(new SignCommand(sign));
    const bad = Buffer.from(Signature!);
    bad[0] = (bad[0] ?? 0) ^ 1;
    // The SDK renders an empty service message as "UnknownError".
    expect(
      await failure(
        aws.client.send(new VerifyCommand({ ...sign, Signature: bad })),
        'KMSInvalidSignatureException',
      ),
    ).toBe('UnknownError');
    const mac = {
      KeyId: hmac224,
      Message: Buffer.from('m'),
      MacAlgorithm: 'HMAC_SHA_224' as const,
    };
    expect(
      await failure(
        aws.client.send(new VerifyMacCommand({ ...mac, Mac: Buffer.alloc(28) })),
        'KMSInvalidMacException',
      ),
    ).toBe('UnknownError');
  });

  test('HMAC algorithm vs key spec; RSA plaintext too long; plaintext over 4096 bytes', async () => {
    expect(
      await failure(
        aws.client.send(
          new GenerateMacCommand({
            KeyId: hmac224,
            Message: Buffer.from('m'),
            MacAlgorithm: 'HMAC_SHA_256',
          }),
        ),
        'InvalidKeyUsageException',
      ),
    ).toBe('Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.');
    expect(
      await failure(
        aws.client.send(
          new EncryptCommand({
            KeyId: rsaEncrypt,
            Plaintext: Buffer.alloc(215),
            EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
          }),
        ),
        'ValidationException',
      ),
    ).toBe(
      'Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot encrypt data larger than 214 bytes.',
    );
    await aws.client.send(
      new EncryptCommand({
        KeyId: rsaEncrypt,
        Plaintext: Buffer.alloc(214),
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
      }),
    );
    expect(
      await failure(
        aws.client.send(new EncryptCommand({ KeyId: symmetric, Plaintext: Buffer.alloc(4097) })),
        'ValidationException',
      ),
    ).toBe(
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
  });

  test('Decrypt naming a key that did not make the ciphertext → IncorrectKeyException', async () => {
    const { CiphertextBlob } = await aws.client.send(
      new EncryptCommand({ KeyId: symmetric, Plaintext: Buffer.from('p') }),
    );
    for (const other of [hmac224, await create()])
      expect(
        await failure(
          aws.client.send(new DecryptCommand({ CiphertextBlob, KeyId: other })),
          'IncorrectKeyException',
        ),
      ).toBe('The key ID in the request does not identify a CMK that can perform this operation.');
  });
});

test('ImportKeyMaterial without ExpirationModel defaults to KEY_MATERIAL_EXPIRES: ValidTo required', async () => {
  const { keyId } = await createExternalKey(aws.client, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
  expect(
    await failure(
      byokImport(aws.client, keyId, opensslRandom(32), 'RSA_AES_KEY_WRAP_SHA_256', {
        importOverrides: { ExpirationModel: undefined },
      }),
      'ValidationException',
    ),
  ).toBe('A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
  const validTo = new Date(Date.now() + 3600_000);
  await byokImport(aws.client, keyId, opensslRandom(32), 'RSA_AES_KEY_WRAP_SHA_256', {
    importOverrides: { ExpirationModel: undefined, ValidTo: validTo },
  });
});

describe('ECC_NIST_EDWARDS25519', () => {
  const message = Buffer.from('ed25519 through the AWS KMS emulator');

  test('a KMS-generated Ed25519 key signs ED25519_SHA_512 (RAW); node:crypto verifies', async () => {
    const keyId = await create({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' });
    const pub = await aws.client.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(pub.SigningAlgorithms).toEqual(['ED25519_SHA_512', 'ED25519_PH_SHA_512']);
    const publicKey = createPublicKey({
      key: Buffer.from(pub.PublicKey!),
      format: 'der',
      type: 'spki',
    });
    expect(publicKey.asymmetricKeyType).toBe('ed25519');
    const sign = { KeyId: keyId, Message: message, SigningAlgorithm: 'ED25519_SHA_512' as const };
    const { Signature } = await aws.client.send(new SignCommand(sign));
    expect(verify(null, message, publicKey, Buffer.from(Signature!))).toBe(true);
    const ok = await aws.client.send(new VerifyCommand({ ...sign, Signature }));
    expect(ok.SignatureValid).toBe(true);
    await expectKmsError(
      aws.client.send(new SignCommand({ ...sign, MessageType: 'DIGEST' })),
      'ValidationException',
    );
    await expectKmsError(
      aws.client.send(new SignCommand({ ...sign, SigningAlgorithm: 'ECDSA_SHA_256' })),
      'InvalidKeyUsageException',
    );
  });

  test('BYOK: an OpenSSL Ed25519 key imported, signatures verify with the original public key', async () => {
    const { pkcs8, publicPem } = withTempDir((dir) => {
      const path = join(dir, 'ed.pem');
      openssl(['genpkey', '-algorithm', 'ED25519', '-out', path]);
      return { pkcs8: opensslPkcs8Der(path), publicPem: openssl(['pkey', '-in', path, '-pubout']) };
    });
    const { keyId } = await createExternalKey(aws.client, 'ECC_NIST_EDWARDS25519', 'SIGN_VERIFY');
    await byokImport(aws.client, keyId, pkcs8, 'RSA_AES_KEY_WRAP_SHA_256');
    const { Signature } = await aws.client.send(
      new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ED25519_SHA_512' }),
    );
    expect(verify(null, message, createPublicKey(publicPem), Buffer.from(Signature!))).toBe(true);
    // A P-256 key is not Ed25519 material.
    const { keyId: other } = await createExternalKey(
      aws.client,
      'ECC_NIST_EDWARDS25519',
      'SIGN_VERIFY',
    );
    const p256 = withTempDir((dir) => {
      const path = join(dir, 'p256.pem');
      openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
      return opensslPkcs8Der(path);
    });
    await expectKmsError(
      byokImport(aws.client, other, p256, 'RSA_AES_KEY_WRAP_SHA_256'),
      'IncorrectKeyMaterialException',
    );
  });
});
