/**
 * AWS KMS emulator, cryptographic operations on KMS-generated keys through the real SDK:
 * Sign/Verify (every algorithm, RAW and DIGEST, checked with node:crypto against GetPublicKey),
 * Encrypt/Decrypt (symmetric blobs with EncryptionContext, RSA OAEP), GenerateMac/VerifyMac,
 * and the usage / state / algorithm errors every operation shares.
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
  type CreateKeyCommandInput,
  type MacAlgorithmSpec,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import {
  constants,
  createHash,
  createPublicKey,
  publicEncrypt,
  verify,
  type KeyObject,
} from 'node:crypto';
import { expectKmsError, useAwsKms } from './support/aws-kms';

const aws = useAwsKms();

const create = async (input: CreateKeyCommandInput = {}): Promise<string> =>
  (await aws.client.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;

async function publicKeyOf(keyId: string): Promise<KeyObject> {
  const { PublicKey } = await aws.client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  return createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
}

const flipBit = (buf: Buffer, at: number): void => {
  buf.writeUInt8(buf.readUInt8(at) ^ 0x01, at);
};

const hashOf = (alg: string): string => `sha${alg.slice(-3)}`;

function nodeVerifyOptions(alg: string, key: KeyObject) {
  if (alg.startsWith('ECDSA')) return { key, dsaEncoding: 'der' as const };
  if (alg.startsWith('RSASSA_PSS'))
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(-3)) / 8 };
  return { key, padding: constants.RSA_PKCS1_PADDING };
}

describe('Sign / Verify', () => {
  const cases: {
    spec: 'RSA_2048' | 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521';
    algs: SigningAlgorithmSpec[];
  }[] = [
    {
      spec: 'RSA_2048',
      algs: [
        'RSASSA_PSS_SHA_256',
        'RSASSA_PSS_SHA_384',
        'RSASSA_PSS_SHA_512',
        'RSASSA_PKCS1_V1_5_SHA_256',
        'RSASSA_PKCS1_V1_5_SHA_384',
        'RSASSA_PKCS1_V1_5_SHA_512',
      ],
    },
    { spec: 'ECC_NIST_P256', algs: ['ECDSA_SHA_256'] },
    { spec: 'ECC_NIST_P384', algs: ['ECDSA_SHA_384'] },
    { spec: 'ECC_NIST_P521', algs: ['ECDSA_SHA_512'] },
  ];
  test.each(cases)(
    '$spec: every algorithm, RAW and DIGEST, verified by node and by Verify',
    async ({ spec, algs }) => {
      const keyId = await create({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
      const publicKey = await publicKeyOf(keyId);
      const message = Buffer.from(`message for ${spec}`);
      for (const alg of algs) {
        for (const type of ['RAW', 'DIGEST'] as const) {
          const input = type === 'RAW' ? message : createHash(hashOf(alg)).update(message).digest();
          const signed = await aws.client.send(
            new SignCommand({
              KeyId: keyId,
              Message: input,
              MessageType: type,
              SigningAlgorithm: alg,
            }),
          );
          expect(signed.SigningAlgorithm).toBe(alg);
          const signature = Buffer.from(signed.Signature!);
          expect({
            alg,
            type,
            ok: verify(hashOf(alg), message, nodeVerifyOptions(alg, publicKey), signature),
          }).toEqual({
            alg,
            type,
            ok: true,
          });
          const verified = await aws.client.send(
            new VerifyCommand({
              KeyId: keyId,
              Message: input,
              MessageType: type,
              SigningAlgorithm: alg,
              Signature: signature,
            }),
          );
          expect(verified.SignatureValid).toBe(true);
          flipBit(signature, signature.length - 5);
          await expectKmsError(
            aws.client.send(
              new VerifyCommand({
                KeyId: keyId,
                Message: input,
                MessageType: type,
                SigningAlgorithm: alg,
                Signature: signature,
              }),
            ),
            'KMSInvalidSignatureException',
          );
        }
      }
    },
  );

  test('GetPublicKey reports spec, usage and algorithms', async () => {
    const keyId = await create({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' });
    const res = await aws.client.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(res).toMatchObject({
      KeySpec: 'ECC_NIST_P384',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ECDSA_SHA_384'],
    });
    expect(
      createPublicKey({ key: Buffer.from(res.PublicKey!), format: 'der', type: 'spki' })
        .asymmetricKeyDetails?.namedCurve,
    ).toBe('secp384r1');
    await expectKmsError(
      aws.client.send(new GetPublicKeyCommand({ KeyId: await create() })),
      'UnsupportedOperationException',
    );
  });

  test('refusals: digest length, curve/algorithm mismatch, wrong usage, DryRun', async () => {
    const ec = await create({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const sign = (
      KeyId: string,
      Message: Buffer,
      SigningAlgorithm: SigningAlgorithmSpec,
      extra = {},
    ) => aws.client.send(new SignCommand({ KeyId, Message, SigningAlgorithm, ...extra }));
    await expectKmsError(
      sign(ec, Buffer.alloc(31), 'ECDSA_SHA_256', { MessageType: 'DIGEST' }),
      'ValidationException',
    );
    await expectKmsError(sign(ec, Buffer.alloc(4097), 'ECDSA_SHA_256'), 'ValidationException');
    await expectKmsError(sign(ec, Buffer.from('m'), 'ECDSA_SHA_384'), 'InvalidKeyUsageException');
    await expectKmsError(
      sign(ec, Buffer.from('m'), 'RSASSA_PSS_SHA_256'),
      'InvalidKeyUsageException',
    );
    await expectKmsError(
      sign(await create(), Buffer.from('m'), 'ECDSA_SHA_256'),
      'InvalidKeyUsageException',
    );
    await expectKmsError(
      sign(ec, Buffer.from('m'), 'ECDSA_SHA_256', { DryRun: true }),
      'DryRunOperationException',
    );
  });
});

describe('Encrypt / Decrypt', () => {
  test('SYMMETRIC_DEFAULT with EncryptionContext; tampering and wrong context refused', async () => {
    const keyId = await create();
    const context = { tenant: 't1', purpose: 'test' };
    const plaintext = Buffer.from('symmetric secret');
    const enc = await aws.client.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }),
    );
    expect(enc.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    const reordered = { purpose: 'test', tenant: 't1' };
    const dec = await aws.client.send(
      new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: reordered }),
    );
    expect(Buffer.from(dec.Plaintext!)).toEqual(plaintext);
    await expectKmsError(
      aws.client.send(
        new DecryptCommand({
          CiphertextBlob: enc.CiphertextBlob,
          EncryptionContext: { tenant: 't2' },
        }),
      ),
      'InvalidCiphertextException',
    );
    const tampered = Buffer.from(enc.CiphertextBlob!);
    flipBit(tampered, tampered.length - 1);
    await expectKmsError(
      aws.client.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: context })),
      'InvalidCiphertextException',
    );
    await expectKmsError(
      aws.client.send(
        new DecryptCommand({
          CiphertextBlob: enc.CiphertextBlob,
          EncryptionContext: context,
          KeyId: await create(),
        }),
      ),
      'IncorrectKeyException',
    );
    await expectKmsError(
      aws.client.send(new DecryptCommand({ CiphertextBlob: Buffer.from('garbage') })),
      'InvalidCiphertextException',
    );
  });

  test.each(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const)(
    'RSA_2048 with %s',
    async (alg) => {
      const keyId = await create({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
      const plaintext = Buffer.from(`rsa secret ${alg}`);
      const enc = await aws.client.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionAlgorithm: alg }),
      );
      const dec = await aws.client.send(
        new DecryptCommand({
          KeyId: keyId,
          CiphertextBlob: enc.CiphertextBlob,
          EncryptionAlgorithm: alg,
        }),
      );
      expect(Buffer.from(dec.Plaintext!)).toEqual(plaintext);
      // Encrypted locally with the public key, as AWS recommends: the emulator must decrypt it.
      const local = publicEncrypt(
        {
          key: await publicKeyOf(keyId),
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: alg.endsWith('SHA_1') ? 'sha1' : 'sha256',
        },
        plaintext,
      );
      const dec2 = await aws.client.send(
        new DecryptCommand({ KeyId: keyId, CiphertextBlob: local, EncryptionAlgorithm: alg }),
      );
      expect(Buffer.from(dec2.Plaintext!)).toEqual(plaintext);
      await expectKmsError(
        aws.client.send(
          new EncryptCommand({
            KeyId: keyId,
            Plaintext: Buffer.alloc(300),
            EncryptionAlgorithm: alg,
          }),
        ),
        'ValidationException',
      );
    },
  );

  test('algorithm not valid for the key → InvalidKeyUsageException', async () => {
    const rsa = await create({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    await expectKmsError(
      aws.client.send(new EncryptCommand({ KeyId: rsa, Plaintext: Buffer.from('x') })),
      'InvalidKeyUsageException',
    );
    await expectKmsError(
      aws.client.send(
        new EncryptCommand({
          KeyId: await create(),
          Plaintext: Buffer.from('x'),
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
        }),
      ),
      'InvalidKeyUsageException',
    );
  });
});

describe('GenerateMac / VerifyMac', () => {
  test.each([
    ['HMAC_224', 'HMAC_SHA_224'],
    ['HMAC_256', 'HMAC_SHA_256'],
    ['HMAC_384', 'HMAC_SHA_384'],
    ['HMAC_512', 'HMAC_SHA_512'],
  ] as const)('%s', async (KeySpec, alg: MacAlgorithmSpec) => {
    const keyId = await create({ KeySpec, KeyUsage: 'GENERATE_VERIFY_MAC' });
    const Message = Buffer.from('authenticate me');
    const { Mac, MacAlgorithm } = await aws.client.send(
      new GenerateMacCommand({ KeyId: keyId, Message, MacAlgorithm: alg }),
    );
    expect(MacAlgorithm).toBe(alg);
    expect(Mac).toHaveLength(Number(alg.slice(-3)) / 8);
    const ok = await aws.client.send(
      new VerifyMacCommand({ KeyId: keyId, Message, MacAlgorithm: alg, Mac }),
    );
    expect(ok.MacValid).toBe(true);
    await expectKmsError(
      aws.client.send(
        new VerifyMacCommand({
          KeyId: keyId,
          Message: Buffer.from('other'),
          MacAlgorithm: alg,
          Mac,
        }),
      ),
      'KMSInvalidMacException',
    );
  });

  test('wrong MAC algorithm or non-HMAC key → InvalidKeyUsageException', async () => {
    const hmac = await create({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const Message = Buffer.from('m');
    await expectKmsError(
      aws.client.send(
        new GenerateMacCommand({ KeyId: hmac, Message, MacAlgorithm: 'HMAC_SHA_512' }),
      ),
      'InvalidKeyUsageException',
    );
    await expectKmsError(
      aws.client.send(
        new GenerateMacCommand({ KeyId: await create(), Message, MacAlgorithm: 'HMAC_SHA_256' }),
      ),
      'InvalidKeyUsageException',
    );
  });
});

test('key state checks: Disabled → DisabledException, PendingDeletion → KMSInvalidStateException', async () => {
  const sym = await create();
  const ec = await create({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  const hmac = await create({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  // Thunks, so each call starts only when the test awaits it.
  const ops = [
    () => aws.client.send(new EncryptCommand({ KeyId: sym, Plaintext: Buffer.from('x') })),
    () =>
      aws.client.send(
        new SignCommand({
          KeyId: ec,
          Message: Buffer.from('x'),
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    () => aws.client.send(new GetPublicKeyCommand({ KeyId: ec })),
    () =>
      aws.client.send(
        new GenerateMacCommand({
          KeyId: hmac,
          Message: Buffer.from('x'),
          MacAlgorithm: 'HMAC_SHA_256',
        }),
      ),
  ];
  const enc = await aws.client.send(
    new EncryptCommand({ KeyId: sym, Plaintext: Buffer.from('x') }),
  );
  for (const KeyId of [sym, ec, hmac]) await aws.client.send(new DisableKeyCommand({ KeyId }));
  for (const call of ops) await expectKmsError(call(), 'DisabledException');
  await expectKmsError(
    aws.client.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })),
    'DisabledException',
  );
  for (const KeyId of [sym, ec, hmac]) await aws.client.send(new EnableKeyCommand({ KeyId }));
  for (const call of ops) await call();
  for (const KeyId of [sym, ec, hmac])
    await aws.client.send(new ScheduleKeyDeletionCommand({ KeyId }));
  for (const call of ops) await expectKmsError(call(), 'KMSInvalidStateException');
});
