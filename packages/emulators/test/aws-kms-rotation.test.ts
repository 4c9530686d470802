/**
 * AWS KMS emulator, key material rotation through the real SDK (AWS API reference:
 * ImportKeyMaterial ImportType / KeyMaterialId / KeyMaterialDescription, RotateKeyOnDemand,
 * ListKeyRotations, DeleteImportedKeyMaterial KeyMaterialId; DescribeKey CurrentKeyMaterialId;
 * Decrypt KeyMaterialId): a single-Region symmetric EXTERNAL key keeps one ARN while its
 * material rotates, and ciphertexts made under any earlier material keep decrypting.
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { createCipheriv } from 'node:crypto';
import { createExternalKey, expectKmsError, useAwsKms } from './support/aws-kms';
import { byokImport, opensslRandom } from './support/aws-byok';

const aws = useAwsKms();
const WRAP = 'RSA_AES_KEY_WRAP_SHA_256' as const;

const encrypt = async (client: KMSClient, keyId: string, text: string) =>
  (await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(text) })))
    .CiphertextBlob!;

async function decrypt(client: KMSClient, blob: Uint8Array, keyId?: string) {
  const out = await client.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: keyId }));
  return { text: Buffer.from(out.Plaintext!).toString(), materialId: out.KeyMaterialId };
}

const rotations = async (keyId: string, all = false) =>
  (
    await aws.client.send(
      new ListKeyRotationsCommand({
        KeyId: keyId,
        ...(all ? { IncludeKeyMaterial: 'ALL_KEY_MATERIAL' as const } : {}),
      }),
    )
  ).Rotations ?? [];

const currentMaterialId = async (keyId: string) =>
  (await aws.client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata
    ?.CurrentKeyMaterialId;

describe('imported symmetric key: NEW_KEY_MATERIAL + RotateKeyOnDemand', () => {
  test('one ARN, three materials, every ciphertext still decrypts with the material that made it', async () => {
    const { keyId } = await createExternalKey(aws.client, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const [m1, m2, m3] = [opensslRandom(32), opensslRandom(32), opensslRandom(32)];

    // First import: ImportType defaults to NEW_KEY_MATERIAL and the material is CURRENT.
    const first = await byokImport(aws.client, keyId, m1, WRAP, {
      importOverrides: { KeyMaterialDescription: 'v1' },
    });
    expect(await currentMaterialId(keyId)).toBe(first.KeyMaterialId);
    const c1 = await encrypt(aws.client, keyId, 'under v1');

    // New material waits in PENDING_ROTATION; encryption still uses v1.
    const second = await byokImport(aws.client, keyId, m2, WRAP, {
      importOverrides: { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'v2' },
    });
    expect(second.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(second.KeyMaterialId).not.toBe(first.KeyMaterialId);
    expect(await rotations(keyId, true)).toEqual([
      expect.objectContaining({
        KeyMaterialId: first.KeyMaterialId,
        KeyMaterialState: 'CURRENT',
        KeyMaterialDescription: 'v1',
        ImportState: 'IMPORTED',
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
      expect.objectContaining({
        KeyMaterialId: second.KeyMaterialId,
        KeyMaterialState: 'PENDING_ROTATION',
        KeyMaterialDescription: 'v2',
      }),
    ]);
    expect((await rotations(keyId, true))[1]?.RotationDate).toBeUndefined();
    expect(await rotations(keyId)).toEqual([]); // ROTATIONS_ONLY: nothing rotated yet
    expect((await decrypt(aws.client, await encrypt(aws.client, keyId, 'x'))).materialId).toBe(
      first.KeyMaterialId,
    );

    const before = Date.now();
    await aws.client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    expect(await currentMaterialId(keyId)).toBe(second.KeyMaterialId);
    const c2 = await encrypt(aws.client, keyId, 'under v2');
    const [rotated] = await rotations(keyId);
    expect(rotated).toMatchObject({
      KeyMaterialId: second.KeyMaterialId,
      KeyMaterialState: 'CURRENT',
      RotationType: 'ON_DEMAND',
    });
    expect(rotated?.RotationDate?.getTime()).toBeGreaterThanOrEqual(before - 1000);

    const third = await byokImport(aws.client, keyId, m3, WRAP, {
      importOverrides: { ImportType: 'NEW_KEY_MATERIAL' },
    });
    await aws.client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    const c3 = await encrypt(aws.client, keyId, 'under v3');
    expect((await rotations(keyId, true)).map((r) => r.KeyMaterialState)).toEqual([
      'NON_CURRENT',
      'NON_CURRENT',
      'CURRENT',
    ]);

    // Decrypt finds the material from the ciphertext, with or without KeyId.
    expect(await decrypt(aws.client, c1)).toEqual({
      text: 'under v1',
      materialId: first.KeyMaterialId,
    });
    expect(await decrypt(aws.client, c2, keyId)).toEqual({
      text: 'under v2',
      materialId: second.KeyMaterialId,
    });
    expect(await decrypt(aws.client, c3)).toEqual({
      text: 'under v3',
      materialId: third.KeyMaterialId,
    });
  });

  test('re-import of deleted older material: EXISTING_KEY_MATERIAL with KeyMaterialId; other material refused', async () => {
    const { keyId } = await createExternalKey(aws.client, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const [m1, m2] = [opensslRandom(32), opensslRandom(32)];
    const first = await byokImport(aws.client, keyId, m1, WRAP);
    const c1 = await encrypt(aws.client, keyId, 'old');
    const second = await byokImport(aws.client, keyId, m2, WRAP, {
      importOverrides: { ImportType: 'NEW_KEY_MATERIAL' },
    });
    await aws.client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));

    // Deleting NON_CURRENT material makes the whole key PendingImport.
    const deleted = await aws.client.send(
      new DeleteImportedKeyMaterialCommand({ KeyId: keyId, KeyMaterialId: first.KeyMaterialId }),
    );
    expect(deleted.KeyMaterialId).toBe(first.KeyMaterialId);
    const md = (await aws.client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    expect(md?.KeyState).toBe('PendingImport');
    expect(md?.CurrentKeyMaterialId).toBe(second.KeyMaterialId);
    expect((await rotations(keyId, true))[0]).toMatchObject({
      KeyMaterialId: first.KeyMaterialId,
      ImportState: 'PENDING_IMPORT',
    });
    await expectKmsError(encrypt(aws.client, keyId, 'x'), 'KMSInvalidStateException');

    await expectKmsError(
      byokImport(aws.client, keyId, opensslRandom(32), WRAP, {
        importOverrides: { ImportType: 'EXISTING_KEY_MATERIAL' },
      }),
      'IncorrectKeyMaterialException',
    );
    await expectKmsError(
      byokImport(aws.client, keyId, m1, WRAP, {
        importOverrides: { KeyMaterialId: second.KeyMaterialId },
      }),
      'IncorrectKeyMaterialException',
    );
    const back = await byokImport(aws.client, keyId, m1, WRAP, {
      importOverrides: { ImportType: 'EXISTING_KEY_MATERIAL', KeyMaterialId: first.KeyMaterialId },
    });
    expect(back.KeyMaterialId).toBe(first.KeyMaterialId);
    expect(await decrypt(aws.client, c1)).toMatchObject({ text: 'old' });
  });

  test('pending material: only one at a time, deletable, and the same bytes twice are refused', async () => {
    const { keyId } = await createExternalKey(aws.client, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const m1 = opensslRandom(32);
    await byokImport(aws.client, keyId, m1, WRAP);
    const newMaterial = { importOverrides: { ImportType: 'NEW_KEY_MATERIAL' as const } };
    await expectKmsError(
      byokImport(aws.client, keyId, m1, WRAP, newMaterial),
      'IncorrectKeyMaterialException',
    );
    const pending = await byokImport(aws.client, keyId, opensslRandom(32), WRAP, newMaterial);
    await expectKmsError(
      byokImport(aws.client, keyId, opensslRandom(32), WRAP, newMaterial),
      'KMSInvalidStateException',
    );
    // PENDING_ROTATION material is not permanently associated: deleting it removes it, and
    // the key stays Enabled.
    await aws.client.send(
      new DeleteImportedKeyMaterialCommand({ KeyId: keyId, KeyMaterialId: pending.KeyMaterialId }),
    );
    expect(await rotations(keyId, true)).toHaveLength(1);
    const md = (await aws.client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    expect(md?.KeyState).toBe('Enabled');
    // Rotation needs pending material.
    await expectKmsError(
      aws.client.send(new RotateKeyOnDemandCommand({ KeyId: keyId })),
      'KMSInvalidStateException',
    );
    await expectKmsError(
      byokImport(aws.client, keyId, opensslRandom(32), WRAP, {
        importOverrides: { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialId: 'a'.repeat(64) },
      }),
      'ValidationException',
    );
  });

  test('CurrentKeyMaterialId stays on DescribeKey after DeleteImportedKeyMaterial', async () => {
    const { keyId } = await createExternalKey(aws.client, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const imported = await byokImport(aws.client, keyId, opensslRandom(32), WRAP);
    const deleted = await aws.client.send(new DeleteImportedKeyMaterialCommand({ KeyId: keyId }));
    expect(deleted.KeyMaterialId).toBe(imported.KeyMaterialId);
    const md = (await aws.client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    expect(md).toMatchObject({
      KeyState: 'PendingImport',
      CurrentKeyMaterialId: imported.KeyMaterialId,
    });
    expect(md?.ExpirationModel).toBeUndefined();
  });
});

describe('KMS-generated symmetric key', () => {
  test('RotateKeyOnDemand generates new material; old ciphertexts decrypt; 25 rotations at most', async () => {
    const keyId = (await aws.client.send(new DescribeKeyCommand({ KeyId: await newKey() })))
      .KeyMetadata!.KeyId!;
    const first = await currentMaterialId(keyId);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const old = await encrypt(aws.client, keyId, 'before rotation');
    await aws.client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    expect(await currentMaterialId(keyId)).not.toBe(first);
    expect(await decrypt(aws.client, old)).toEqual({ text: 'before rotation', materialId: first });
    // ListKeyRotations of a KMS key: no import fields.
    const [entry] = await rotations(keyId);
    expect(entry?.ImportState).toBeUndefined();
    for (let i = 1; i < 25; i++)
      await aws.client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    expect(await rotations(keyId)).toHaveLength(25);
    await expectKmsError(
      aws.client.send(new RotateKeyOnDemandCommand({ KeyId: keyId })),
      'LimitExceededException',
    );
    await aws.client.send(new DisableKeyCommand({ KeyId: keyId }));
    await expectKmsError(
      aws.client.send(new RotateKeyOnDemandCommand({ KeyId: keyId })),
      'DisabledException',
    );
  });

  test('rotation is for symmetric encryption keys only', async () => {
    const { keyId } = await createExternalKey(aws.client, 'ECC_NIST_P256', 'SIGN_VERIFY');
    await expectKmsError(
      aws.client.send(new RotateKeyOnDemandCommand({ KeyId: keyId })),
      'UnsupportedOperationException',
    );
    await expectKmsError(
      aws.client.send(new ListKeyRotationsCommand({ KeyId: keyId })),
      'UnsupportedOperationException',
    );
    await expectKmsError(
      byokImport(aws.client, keyId, opensslRandom(32), WRAP, {
        importOverrides: { ImportType: 'NEW_KEY_MATERIAL' },
      }),
      'ValidationException',
    );
  });
});

test('an AES-256-GCM ciphertext made outside the emulator is InvalidCiphertextException with an empty message', async () => {
  const keyId = await newKey();
  const cipher = createCipheriv('aes-256-gcm', opensslRandom(32), opensslRandom(12));
  const foreign = Buffer.concat([cipher.update('x'), cipher.final(), cipher.getAuthTag()]);
  const e = await expectKmsError(
    aws.client.send(new DecryptCommand({ CiphertextBlob: foreign, KeyId: keyId })),
    'InvalidCiphertextException',
  );
  // The SDK shows an empty service message as "UnknownError".
  expect(e.message).toBe('UnknownError');
});

async function newKey(): Promise<string> {
  return (await aws.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
}
