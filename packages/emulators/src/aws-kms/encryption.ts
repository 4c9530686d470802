/**
 * Encryption with a KMS key, shared by Encrypt, Decrypt, GenerateDataKey(WithoutPlaintext) and
 * ReEncrypt: symmetric keys seal with their CURRENT material into the emulator's blob format
 * (ciphertext.ts, which records the KeyMaterialId); RSA keys use RSA-OAEP with the algorithm's
 * hash. Decryption finds the key and material a blob names.
 *
 * Messages: InvalidCiphertextException carries an empty message, as recorded from AWS; a KeyId
 * that does not identify the key a symmetric ciphertext was made under is IncorrectKeyException
 * "The key ID in the request does not identify a CMK that can perform this operation.".
 *
 * @module
 */
import { constants, createPublicKey, privateDecrypt, publicEncrypt } from 'node:crypto';
import { openSymmetric, parseBlob, sealSymmetric } from './ciphertext';
import { kmsError } from './errors';
import { KEY_SPECS, oaepMaxBytes, RSA_ENCRYPTION_HASH, type KeySpecInfo } from './key-specs';
import { requireUsable, type KeyRecord, type KmsStore, type MaterialRecord } from './store';

export interface UsableKey {
  readonly key: KeyRecord;
  readonly arn: string;
  readonly spec: KeySpecInfo;
  /** The CURRENT material. */
  readonly material: MaterialRecord;
  readonly bytes: Buffer;
}

export function usableKey(
  store: KmsStore,
  key: KeyRecord,
  usage: KeyRecord['keyUsage'],
  operation: string,
): UsableKey {
  const { material, bytes } = requireUsable(store, key, usage, operation);
  const spec = KEY_SPECS[key.keySpec];
  if (spec === undefined) throw kmsError('KMSInternalException', `Unknown key spec ${key.keySpec}`);
  return { key, arn: store.keyArn(key.id), spec, material, bytes };
}

/** InvalidKeyUsageException unless the key spec offers `algorithm` (AWS's wording). */
export function requireAlgorithm(
  k: { readonly key: KeyRecord },
  allowed: readonly string[] | undefined,
  algorithm: string,
): void {
  if (!(allowed ?? []).includes(algorithm))
    throw kmsError(
      'InvalidKeyUsageException',
      `Algorithm ${algorithm} is incompatible with key spec ${k.key.keySpec}.`,
    );
}

export const invalidCiphertext = (): Error => kmsError('InvalidCiphertextException', '');

export type EncryptionContext = Readonly<Record<string, string>> | undefined;

function refuseContextForRsa(context: EncryptionContext): void {
  if (context !== undefined)
    throw kmsError(
      'ValidationException',
      'EncryptionContext is not supported with asymmetric KMS keys',
    );
}

/** Encrypts under `k`; returns the blob and, for symmetric keys, the material that made it. */
export function encryptUnder(
  store: KmsStore,
  k: UsableKey,
  algorithm: string,
  plaintext: Buffer,
  context: EncryptionContext,
): { blob: Buffer; materialId?: string } {
  requireAlgorithm(k, k.spec.encryption, algorithm);
  if (k.spec.family === 'symmetric')
    return {
      blob: sealSymmetric(k.key.id, k.material.id, k.bytes, plaintext, context),
      materialId: k.material.id,
    };
  refuseContextForRsa(context);
  const hash = RSA_ENCRYPTION_HASH[algorithm] ?? 'sha256';
  const max = k.spec.family === 'rsa' ? oaepMaxBytes(k.spec.bits, hash) : 0;
  if (plaintext.length > max)
    throw kmsError(
      'ValidationException',
      `Algorithm ${algorithm} and key spec ${k.key.keySpec} cannot encrypt data larger than ${max} bytes.`,
    );
  const publicKey = createPublicKey(store.privateKey(k.bytes));
  return {
    blob: publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
      plaintext,
    ),
  };
}

export interface DecryptInput {
  readonly blob: Buffer;
  readonly keyId: string | undefined;
  readonly context: EncryptionContext;
  readonly algorithm: string;
}

export interface Decrypted {
  readonly k: UsableKey;
  readonly plaintext: Buffer;
  /** The material that decrypted a symmetric blob. */
  readonly materialId?: string;
}

/**
 * The key a Decrypt / ReEncrypt source is: the named one, else the one a symmetric blob
 * names. Checked before usage so a wrong key gets AWS's IncorrectKeyException.
 */
function sourceKey(store: KmsStore, input: DecryptInput): KeyRecord {
  const header = parseBlob(input.blob);
  if (input.keyId === undefined) {
    if (input.algorithm !== 'SYMMETRIC_DEFAULT')
      throw kmsError(
        'ValidationException',
        'KeyId is required when decrypting with an asymmetric KMS key',
      );
    if (header === undefined) throw invalidCiphertext();
    return store.resolveKey(header.keyId);
  }
  const key = store.resolveKey(input.keyId);
  if (input.algorithm === 'SYMMETRIC_DEFAULT' && header !== undefined && header.keyId !== key.id)
    throw kmsError(
      'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    );
  return key;
}

/** Everything Decrypt does before answering (DryRun stops at `beforeWork`). */
export function decryptBlob(
  store: KmsStore,
  input: DecryptInput,
  operation: string,
  beforeWork: () => void = () => undefined,
): Decrypted {
  const k = usableKey(store, sourceKey(store, input), 'ENCRYPT_DECRYPT', operation);
  requireAlgorithm(k, k.spec.encryption, input.algorithm);
  if (k.spec.family === 'symmetric') {
    const header = parseBlob(input.blob);
    if (header === undefined) throw invalidCiphertext();
    const material =
      header.materialId === undefined
        ? k.key.materials[0]
        : k.key.materials.find((m) => m.id === header.materialId);
    if (material?.bytes === undefined || material.state === 'PENDING_ROTATION')
      throw invalidCiphertext();
    beforeWork();
    const plaintext = openSymmetric(material.bytes, input.blob, input.context);
    if (plaintext === undefined) throw invalidCiphertext();
    return { k, plaintext, materialId: material.id };
  }
  refuseContextForRsa(input.context);
  beforeWork();
  try {
    const plaintext = privateDecrypt(
      {
        key: store.privateKey(k.bytes),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: RSA_ENCRYPTION_HASH[input.algorithm],
      },
      input.blob,
    );
    return { k, plaintext };
  } catch {
    throw invalidCiphertext();
  }
}
