/**
 * Encrypt / Decrypt (AES-256-GCM, GOOGLE_SYMMETRIC_ENCRYPTION, AAD = additional authenticated
 * data), RSA-OAEP (AsymmetricDecrypt; encryption is local with the public key, as Cloud KMS
 * has no asymmetric Encrypt RPC), HMAC (MacSign / MacVerify) and GenerateRandomBytes. Every
 * request carries CRC32Cs and every response's are checked.
 *
 * @module
 */
import { oaepEncrypt } from '../../crypto/rsa-oaep';
import { InvalidArgumentError, UnsupportedOperationError, notAllowedMessage } from '../../errors';
import { zeroize } from '../../crypto/zeroize';
import type { BackendEncryptOptions, EncryptionAlgorithm, KeyRef } from '../contract';
import type { AlgorithmRow, PurposeClass } from './algorithms';
import { callOptions } from './client';
import type { GcpContext } from './context';
import { IntegrityError, checkCrc, checkVerified, crcValue } from './crc32c';
import { resolveForUse, versionSubject } from './keys';
import { publicKeyOf } from './signing';
import { toBuffer } from './wire';

const AES: EncryptionAlgorithm = 'aes-256-gcm';

function requirePurpose(
  ref: KeyRef,
  row: AlgorithmRow,
  operation: string,
  purposes: readonly PurposeClass[],
): void {
  if (!purposes.includes(row.purpose)) {
    throw new UnsupportedOperationError(
      `key '${ref.name}' (${row.name}, purpose ${row.purpose}) cannot ${operation}`,
      { field: 'operation' },
    );
  }
}

/** The one encryption algorithm the key's algorithm fixes, or the refusal. */
function checkAlgorithm(row: AlgorithmRow, options: BackendEncryptOptions | undefined): void {
  const fixed = row.oaep ?? AES;
  const asked = options?.algorithm ?? fixed;
  if (asked !== fixed) {
    throw new UnsupportedOperationError(
      notAllowedMessage(
        'algorithm',
        asked,
        `for ${row.keyType} keys with algorithm ${row.name} in gcpckms`,
        [fixed],
      ),
      { field: 'algorithm', allowed: [fixed] },
    );
  }
  if (row.oaep !== undefined && options?.aad !== undefined && options.aad.length > 0) {
    throw new InvalidArgumentError(
      'aad is not supported for RSA-OAEP in gcpckms (the label is empty)',
      {
        field: 'aad',
      },
    );
  }
}

export async function encrypt(
  ctx: GcpContext,
  ref: KeyRef,
  plaintext: Uint8Array,
  options?: BackendEncryptOptions,
): Promise<Buffer> {
  const use = await resolveForUse(ctx, ref);
  requirePurpose(ref, use.row, 'encrypt', ['symmetric', 'asymmetric-decrypt']);
  checkAlgorithm(use.row, options);
  if (use.row.purpose === 'asymmetric-decrypt') {
    const key = await publicKeyOf(ctx, ref, use);
    return oaepEncrypt(key, 'sha256', plaintext);
  }
  const name = use.versionName;
  const aad = Buffer.from(options?.aad ?? new Uint8Array());
  const request = {
    name,
    plaintext: Buffer.from(plaintext),
    plaintextCrc32c: crcValue(plaintext),
    additionalAuthenticatedData: aad,
    additionalAuthenticatedDataCrc32c: crcValue(aad),
  };
  try {
    return await ctx.call('Encrypt', versionSubject(ref), async (kms) => {
      const [res] = await kms.encrypt(request, callOptions());
      const ciphertext = toBuffer(res.ciphertext);
      checkCrc('ciphertext', ciphertext, res.ciphertextCrc32c);
      checkVerified('plaintext_crc32c', res.verifiedPlaintextCrc32c);
      checkVerified('aad_crc32c', res.verifiedAdditionalAuthenticatedDataCrc32c);
      if (res.name !== name) throw new IntegrityError('name');
      return ciphertext;
    });
  } finally {
    request.plaintext.fill(0);
  }
}

export async function decrypt(
  ctx: GcpContext,
  ref: KeyRef,
  ciphertext: Uint8Array,
  options?: BackendEncryptOptions,
): Promise<Buffer> {
  const use = await resolveForUse(ctx, ref);
  requirePurpose(ref, use.row, 'decrypt', ['symmetric', 'asymmetric-decrypt']);
  checkAlgorithm(use.row, options);
  const subject = { ...versionSubject(ref), decrypt: true };
  const bytes = Buffer.from(ciphertext);
  if (use.row.purpose === 'asymmetric-decrypt') {
    const name = use.versionName;
    return await ctx.call('AsymmetricDecrypt', subject, async (kms) => {
      const [res] = await kms.asymmetricDecrypt(
        { name, ciphertext: bytes, ciphertextCrc32c: crcValue(bytes) },
        callOptions(),
      );
      const plaintext = toBuffer(res.plaintext);
      checkCrc('plaintext', plaintext, res.plaintextCrc32c);
      checkVerified('ciphertext_crc32c', res.verifiedCiphertextCrc32c);
      return plaintext;
    });
  }
  // Symmetric Decrypt addresses the CryptoKey: the version is inside the ciphertext.
  const name = ctx.cryptoKeyName(ref.name);
  const aad = Buffer.from(options?.aad ?? new Uint8Array());
  return await ctx.call('Decrypt', subject, async (kms) => {
    const [res] = await kms.decrypt(
      {
        name,
        ciphertext: bytes,
        ciphertextCrc32c: crcValue(bytes),
        additionalAuthenticatedData: aad,
        additionalAuthenticatedDataCrc32c: crcValue(aad),
      },
      callOptions(),
    );
    const plaintext = toBuffer(res.plaintext);
    checkCrc('plaintext', plaintext, res.plaintextCrc32c);
    return plaintext;
  });
}

export async function mac(ctx: GcpContext, ref: KeyRef, data: Uint8Array): Promise<Buffer> {
  const use = await resolveForUse(ctx, ref);
  requirePurpose(ref, use.row, 'compute a MAC', ['mac']);
  const name = use.versionName;
  const bytes = Buffer.from(data);
  return await ctx.call('MacSign', versionSubject(ref), async (kms) => {
    const [res] = await kms.macSign(
      { name, data: bytes, dataCrc32c: crcValue(bytes) },
      callOptions(),
    );
    const tag = toBuffer(res.mac);
    checkCrc('mac', tag, res.macCrc32c);
    checkVerified('data_crc32c', res.verifiedDataCrc32c);
    if (res.name !== name) throw new IntegrityError('name');
    return tag;
  });
}

export async function verifyMac(
  ctx: GcpContext,
  ref: KeyRef,
  data: Uint8Array,
  tag: Uint8Array,
): Promise<boolean> {
  const use = await resolveForUse(ctx, ref);
  requirePurpose(ref, use.row, 'verify a MAC', ['mac']);
  const name = use.versionName;
  const bytes = Buffer.from(data);
  const macBytes = Buffer.from(tag);
  return await ctx.call('MacVerify', versionSubject(ref), async (kms) => {
    const [res] = await kms.macVerify(
      {
        name,
        data: bytes,
        dataCrc32c: crcValue(bytes),
        mac: macBytes,
        macCrc32c: crcValue(macBytes),
      },
      callOptions(),
    );
    checkVerified('data_crc32c', res.verifiedDataCrc32c);
    checkVerified('mac_crc32c', res.verifiedMacCrc32c);
    // verified_success_integrity: the service vouches the success flag was not corrupted.
    if (res.verifiedSuccessIntegrity !== res.success) throw new IntegrityError('success');
    return res.success === true;
  });
}

/** GenerateRandomBytes takes 8..1024 bytes per call: larger requests are chunked. */
const RANDOM_MIN = 8;
const RANDOM_MAX = 1024;

export async function generateRandom(ctx: GcpContext, length: number): Promise<Buffer> {
  if (!Number.isInteger(length) || length < 1) {
    throw new InvalidArgumentError(`length must be a positive integer, got ${String(length)}`, {
      field: 'length',
    });
  }
  const location = ctx.settings.locationName;
  const chunks: Buffer[] = [];
  for (let remaining = length; remaining > 0;) {
    const lengthBytes = Math.min(RANDOM_MAX, Math.max(RANDOM_MIN, remaining));
    const chunk = await ctx.call(
      'GenerateRandomBytes',
      { field: 'region', name: location },
      async (kms) => {
        const [res] = await kms.generateRandomBytes(
          { location, lengthBytes, protectionLevel: 'HSM' },
          callOptions(),
        );
        const data = toBuffer(res.data);
        checkCrc('data', data, res.dataCrc32c);
        if (data.length !== lengthBytes) throw new IntegrityError('length');
        return data;
      },
    );
    chunks.push(chunk.subarray(0, Math.min(remaining, chunk.length)));
    remaining -= lengthBytes;
  }
  const random = Buffer.concat(chunks);
  zeroize(...chunks);
  return random;
}
