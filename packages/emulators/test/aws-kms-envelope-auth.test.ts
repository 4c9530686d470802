/**
 * AWS KMS emulator through the real SDK: envelope encryption (GenerateDataKey,
 * GenerateDataKeyWithoutPlaintext, ReEncrypt), GenerateRandom, and SigV4 verification against
 * the configured credentials (UnrecognizedClientException / InvalidSignatureException /
 * MissingAuthenticationTokenException).
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  GetPublicKeyCommand,
  ListKeysCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import {
  createExternalKey,
  expectKmsError,
  FAKE_CREDENTIALS,
  kmsClient,
  rawKmsCall,
  useAwsKms,
} from './support/aws-kms';
import { byokImport, opensslRandom } from './support/aws-byok';

const aws = useAwsKms();

const create = async (input: CreateKeyCommandInput = {}): Promise<string> =>
  (await aws.client.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;

const decrypt = async (blob: Uint8Array, extra: Record<string, unknown> = {}) =>
  await aws.client.send(new DecryptCommand({ CiphertextBlob: blob, ...extra }));

describe('GenerateDataKey / GenerateDataKeyWithoutPlaintext', () => {
  test('envelope encryption with a BYOK AES key, across a rotation of its material', async () => {
    const { keyId } = await createExternalKey(aws.client, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const imported = await byokImport(
      aws.client,
      keyId,
      opensslRandom(32),
      'RSA_AES_KEY_WRAP_SHA_256',
    );
    const context = { app: 'billing' };
    const dataKey = await aws.client.send(
      new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }),
    );
    expect(dataKey.Plaintext).toHaveLength(32);
    expect(dataKey.KeyMaterialId).toBe(imported.KeyMaterialId);
    // The app encrypts locally with the data key and stores only its wrapped form.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey.Plaintext!, iv);
    const record = Buffer.concat([cipher.update('invoice 42'), cipher.final()]);
    const tag = cipher.getAuthTag();

    // The key's material rotates; the stored data key still unwraps.
    await byokImport(aws.client, keyId, opensslRandom(32), 'RSA_AES_KEY_WRAP_SHA_256', {
      importOverrides: { ImportType: 'NEW_KEY_MATERIAL' },
    });
    await aws.client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    const unwrapped = await decrypt(dataKey.CiphertextBlob!, { EncryptionContext: context });
    expect(unwrapped.KeyMaterialId).toBe(imported.KeyMaterialId);
    const decipher = createDecipheriv('aes-256-gcm', unwrapped.Plaintext!, iv);
    decipher.setAuthTag(tag);
    expect(Buffer.concat([decipher.update(record), decipher.final()]).toString()).toBe(
      'invoice 42',
    );
    // Without the same context the data key stays wrapped.
    await expectKmsError(decrypt(dataKey.CiphertextBlob!), 'InvalidCiphertextException');
  });

  test('WithoutPlaintext returns only the wrapped key; NumberOfBytes / KeySpec rules', async () => {
    const keyId = await create();
    const wrapped = await aws.client.send(
      new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, NumberOfBytes: 64 }),
    );
    expect('Plaintext' in wrapped).toBe(false);
    const md = (await aws.client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    expect(wrapped.KeyMaterialId).toBe(md?.CurrentKeyMaterialId);
    expect((await decrypt(wrapped.CiphertextBlob!)).Plaintext).toHaveLength(64);
    const small = await aws.client.send(
      new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_128' }),
    );
    expect(small.Plaintext).toHaveLength(16);
    for (const bad of [
      {},
      { KeySpec: 'AES_256' as const, NumberOfBytes: 32 },
      { NumberOfBytes: 1025 },
    ])
      await expectKmsError(
        aws.client.send(new GenerateDataKeyCommand({ KeyId: keyId, ...bad })),
        'ValidationException',
      );
    const rsa = await create({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    await expectKmsError(
      aws.client.send(new GenerateDataKeyCommand({ KeyId: rsa, KeySpec: 'AES_256' })),
      'InvalidKeyUsageException',
    );
    const ec = await create({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await expectKmsError(
      aws.client.send(new GenerateDataKeyCommand({ KeyId: ec, KeySpec: 'AES_256' })),
      'InvalidKeyUsageException',
    );
  });
});

describe('ReEncrypt', () => {
  test('symmetric → symmetric, reporting both materials; the source context is required', async () => {
    const [a, b] = await Promise.all([create(), create()]);
    const dataKey = await aws.client.send(
      new GenerateDataKeyCommand({ KeyId: a, KeySpec: 'AES_256', EncryptionContext: { k: 'v' } }),
    );
    const moved = await aws.client.send(
      new ReEncryptCommand({
        CiphertextBlob: dataKey.CiphertextBlob,
        SourceEncryptionContext: { k: 'v' },
        DestinationKeyId: b,
      }),
    );
    const [mdA, mdB] = await Promise.all(
      [a, b].map(
        async (KeyId) => (await aws.client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata,
      ),
    );
    expect(moved).toMatchObject({
      SourceKeyId: mdA?.Arn,
      KeyId: mdB?.Arn,
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      SourceKeyMaterialId: mdA?.CurrentKeyMaterialId,
      DestinationKeyMaterialId: mdB?.CurrentKeyMaterialId,
    });
    expect('Plaintext' in moved).toBe(false);
    const out = await decrypt(moved.CiphertextBlob!);
    expect(Buffer.from(out.Plaintext!)).toEqual(Buffer.from(dataKey.Plaintext!));
    expect(out.KeyId).toBe(mdB?.Arn);
    await expectKmsError(
      aws.client.send(
        new ReEncryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, DestinationKeyId: b }),
      ),
      'InvalidCiphertextException',
    );
  });

  test('RSA-OAEP ciphertext made with node:crypto from GetPublicKey → symmetric key', async () => {
    const rsa = await create({ KeySpec: 'RSA_3072', KeyUsage: 'ENCRYPT_DECRYPT' });
    const sym = await create();
    const { PublicKey } = await aws.client.send(new GetPublicKeyCommand({ KeyId: rsa }));
    const secret = randomBytes(48);
    const blob = publicEncrypt(
      {
        key: createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' }),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
      },
      secret,
    );
    const moved = await aws.client.send(
      new ReEncryptCommand({
        CiphertextBlob: blob,
        SourceKeyId: rsa,
        SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        DestinationKeyId: sym,
      }),
    );
    expect(moved.SourceKeyMaterialId).toBeUndefined();
    expect(Buffer.from((await decrypt(moved.CiphertextBlob!)).Plaintext!)).toEqual(secret);
    // And back to the RSA key, decrypted there.
    const back = await aws.client.send(
      new ReEncryptCommand({
        CiphertextBlob: moved.CiphertextBlob,
        DestinationKeyId: rsa,
        DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
      }),
    );
    const plain = await decrypt(back.CiphertextBlob!, {
      KeyId: rsa,
      EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
    });
    expect(Buffer.from(plain.Plaintext!)).toEqual(secret);
  });
});

test('GenerateRandom: 1..1024 bytes, fresh each call', async () => {
  const one = await aws.client.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }));
  const two = await aws.client.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }));
  expect(one.Plaintext).toHaveLength(1024);
  expect(Buffer.from(one.Plaintext!)).not.toEqual(Buffer.from(two.Plaintext!));
  for (const NumberOfBytes of [0, 1025])
    await expectKmsError(
      aws.client.send(new GenerateRandomCommand({ NumberOfBytes })),
      'ValidationException',
    );
});

describe('SigV4 verification against the configured credentials', () => {
  test('an unknown access key: UnrecognizedClientException with AWS wording', async () => {
    const stranger = kmsClient(aws.emulator.url, {
      credentials: {
        accessKeyId: 'AKIDUNKNOWN',
        secretAccessKey: FAKE_CREDENTIALS.secretAccessKey,
      },
    });
    const e = await expectKmsError(
      stranger.send(new ListKeysCommand({})),
      'UnrecognizedClientException',
    );
    expect(e.message).toBe('The security token included in the request is invalid.');
    expect(e.$metadata?.httpStatusCode).toBe(400);
    stranger.destroy();
  });

  test('the right access key with a wrong secret: InvalidSignatureException', async () => {
    const forger = kmsClient(aws.emulator.url, {
      credentials: { accessKeyId: FAKE_CREDENTIALS.accessKeyId, secretAccessKey: 'guessed' },
    });
    const e = await expectKmsError(
      forger.send(new ListKeysCommand({})),
      'InvalidSignatureException',
    );
    expect(e.message).toMatch(
      /^The request signature we calculated does not match the signature you provided/,
    );
    forger.destroy();
  });

  test('a request for another region, an unsigned request, a body changed after signing', async () => {
    const elsewhere = kmsClient(aws.emulator.url, { region: 'eu-west-1' });
    await expectKmsError(elsewhere.send(new ListKeysCommand({})), 'InvalidSignatureException');
    elsewhere.destroy();
    const unsigned = await rawKmsCall(
      aws.emulator.url,
      'TrentService.ListKeys',
      {},
      { unsigned: true },
    );
    expect(unsigned).toMatchObject({
      status: 403,
      json: {
        __type: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      },
    });
    // Signed for `{}`, sent with another body: the payload hash no longer matches.
    const ok = await rawKmsCall(aws.emulator.url, 'TrentService.ListKeys', {});
    expect(ok.status).toBe(200);
    const tampered = await rawKmsCall(
      aws.emulator.url,
      'TrentService.ListKeys',
      {},
      {
        sendBody: '{"Limit":1}',
      },
    );
    expect(tampered.json.__type).toBe('InvalidSignatureException');
  });
});
