/**
 * Encrypt / Decrypt (SYMMETRIC_DEFAULT with the AAD carried as EncryptionContext; RSA-OAEP) and
 * GenerateMac / VerifyMac. Each operation checks the key's usage from its (cached) metadata first so a
 * wrong key type is refused with a typed error instead of AWS's InvalidKeyUsageException.
 *
 * @module
 */
import {
  DecryptCommand,
  EncryptCommand,
  GenerateMacCommand,
  VerifyMacCommand,
  type EncryptionAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { lookup } from '../../algorithms/table';
import {
  BackendError,
  InvalidArgumentError,
  UnsupportedOperationError,
  notAllowedMessage,
} from '../../errors';
import type { BackendEncryptOptions, KeyRef, KeyUsage } from '../contract';
import {
  AAD_CONTEXT_KEY,
  AWS_ENCRYPTION,
  AWS_USAGES,
  DEFAULT_ENCRYPTION,
  MAC_ALGORITHM,
  MAX_MESSAGE_BYTES,
} from './capabilities';
import type { AwsConnection } from './client';
import type { ResolvedKey } from './keys';
import { operationKey, sendWithKey } from './operation-key';

async function usableFor(conn: AwsConnection, ref: KeyRef, usage: KeyUsage): Promise<ResolvedKey> {
  const key = await operationKey(conn, ref);
  const usages = key.meta.KeyUsage === undefined ? [] : AWS_USAGES[key.meta.KeyUsage].usages;
  if (!usages.includes(usage)) {
    throw new UnsupportedOperationError(
      `key '${ref.name}' (${key.row.keyType}, ${key.meta.KeyUsage ?? 'no usage'}) cannot ${usage} in AWS KMS`,
      { field: 'name' },
    );
  }
  return key;
}

interface EncryptionPlan {
  readonly key: ResolvedKey;
  readonly algorithm: EncryptionAlgorithmSpec;
  readonly context: Record<string, string> | undefined;
}

async function planEncryption(
  conn: AwsConnection,
  ref: KeyRef,
  usage: KeyUsage,
  options: BackendEncryptOptions,
): Promise<EncryptionPlan> {
  const key = await usableFor(conn, ref, usage);
  const spec = key.meta.KeySpec ?? 'SYMMETRIC_DEFAULT';
  const name = options.algorithm ?? lookup(DEFAULT_ENCRYPTION, spec) ?? 'aes-256-gcm';
  const offered = key.meta.EncryptionAlgorithms ?? [];
  const allowed = Object.entries(AWS_ENCRYPTION)
    .filter(([, aws]) => offered.includes(aws))
    .map(([keyplane]) => keyplane);
  const algorithm = lookup(AWS_ENCRYPTION, name);
  if (algorithm === undefined || !offered.includes(algorithm)) {
    throw new UnsupportedOperationError(
      notAllowedMessage('algorithm', name, `for ${key.row.keyType} keys in awskms`, allowed),
      { field: 'algorithm', allowed },
    );
  }
  if (options.aad === undefined) return { key, algorithm, context: undefined };
  if (algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new UnsupportedOperationError(
      `aad is not supported with ${name}: AWS KMS binds context only to symmetric keys`,
      { field: 'aad' },
    );
  }
  // AWS has no raw AAD; the encryption context is authenticated the same way (and must match).
  const context = { [AAD_CONTEXT_KEY]: Buffer.from(options.aad).toString('base64') };
  return { key, algorithm, context };
}

export async function encryptWithKms(
  conn: AwsConnection,
  ref: KeyRef,
  plaintext: Uint8Array,
  options: BackendEncryptOptions = {},
): Promise<Buffer> {
  checkPayload(plaintext, 'plaintext');
  const plan = await planEncryption(conn, ref, 'encrypt', options);
  const out = await sendWithKey(conn, ref, plan.key, `Encrypt ${ref.name}`, (c) =>
    c.send(
      new EncryptCommand({
        KeyId: plan.key.keyId,
        Plaintext: plaintext,
        EncryptionAlgorithm: plan.algorithm,
        EncryptionContext: plan.context,
      }),
    ),
  );
  if (out.CiphertextBlob === undefined) {
    throw new BackendError(`Encrypt ${ref.name}: AWS KMS returned no ciphertext`, {
      backendCode: 'MissingCiphertext',
    });
  }
  return Buffer.from(out.CiphertextBlob);
}

export async function decryptWithKms(
  conn: AwsConnection,
  ref: KeyRef,
  ciphertext: Uint8Array,
  options: BackendEncryptOptions = {},
): Promise<Buffer> {
  const plan = await planEncryption(conn, ref, 'decrypt', options);
  const out = await sendWithKey(conn, ref, plan.key, `Decrypt ${ref.name}`, (c) =>
    c.send(
      new DecryptCommand({
        // Naming the key makes AWS refuse ciphertext of another key instead of using that key.
        KeyId: plan.key.keyId,
        CiphertextBlob: ciphertext,
        EncryptionAlgorithm: plan.algorithm,
        EncryptionContext: plan.context,
      }),
    ),
  );
  if (out.Plaintext === undefined) {
    throw new BackendError(`Decrypt ${ref.name}: AWS KMS returned no plaintext`, {
      backendCode: 'MissingPlaintext',
    });
  }
  const plaintext = Buffer.from(out.Plaintext);
  // The SDK's own copy is wiped; the caller owns (and zeroizes) the returned one.
  out.Plaintext.fill(0);
  return plaintext;
}

/** Encrypt and GenerateMac take 1 to 4096 bytes (RSA-OAEP less, which AWS itself checks). */
function checkPayload(data: Uint8Array, field: string): void {
  if (data.length >= 1 && data.length <= MAX_MESSAGE_BYTES) return;
  throw new InvalidArgumentError(
    `${field} must be 1 to ${String(MAX_MESSAGE_BYTES)} bytes for AWS KMS, got ${String(data.length)}`,
    { field },
  );
}

export async function macWithKms(
  conn: AwsConnection,
  ref: KeyRef,
  data: Uint8Array,
): Promise<Buffer> {
  checkPayload(data, 'data');
  const key = await usableFor(conn, ref, 'mac');
  const out = await sendWithKey(conn, ref, key, `GenerateMac ${ref.name}`, (c) =>
    c.send(
      new GenerateMacCommand({ KeyId: key.keyId, Message: data, MacAlgorithm: MAC_ALGORITHM }),
    ),
  );
  if (out.Mac === undefined) {
    throw new BackendError(`GenerateMac ${ref.name}: AWS KMS returned no MAC`, {
      backendCode: 'MissingMac',
    });
  }
  return Buffer.from(out.Mac);
}

export async function verifyMacWithKms(
  conn: AwsConnection,
  ref: KeyRef,
  data: Uint8Array,
  tag: Uint8Array,
): Promise<boolean> {
  checkPayload(data, 'data');
  const key = await usableFor(conn, ref, 'mac');
  if (tag.length === 0 || tag.length > 6144) return false;
  return await sendWithKey(conn, ref, key, `VerifyMac ${ref.name}`, async (c) => {
    try {
      const out = await c.send(
        new VerifyMacCommand({
          KeyId: key.keyId,
          Message: data,
          Mac: tag,
          MacAlgorithm: MAC_ALGORITHM,
        }),
      );
      return out.MacValid === true;
    } catch (e) {
      // Like Verify, AWS signals a wrong MAC with an exception.
      if ((e as { name?: string }).name === 'KMSInvalidMacException') return false;
      throw e;
    }
  });
}
