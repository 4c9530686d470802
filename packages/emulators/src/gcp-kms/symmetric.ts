/**
 * The emulator's GOOGLE_SYMMETRIC_ENCRYPTION ciphertext format. Real Cloud KMS ciphertexts are
 * opaque and embed the key version; this one does the same, so Decrypt (which names only the
 * CryptoKey) can find the version:
 *
 *   'K' 'P' 0x01 | version id (uint32 BE) | IV (12) | GCM tag (16) | AES-256-GCM ciphertext
 *
 * The 7-byte header is authenticated together with the caller's AAD, so changing the version
 * id or format byte fails decryption like any other tampering.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const MAGIC = Buffer.from([0x4b, 0x50, 0x01]);
const HEADER_BYTES = MAGIC.length + 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const CIPHERTEXT_OVERHEAD = HEADER_BYTES + IV_BYTES + TAG_BYTES;

export function encryptSymmetric(
  key: Buffer,
  versionId: number,
  plaintext: Buffer,
  aad: Buffer,
): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header.writeUInt32BE(versionId, MAGIC.length);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.concat([header, aad]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

/** The version id a ciphertext claims, or undefined if it is not in this format. */
export function ciphertextVersionId(ciphertext: Buffer): number | undefined {
  if (ciphertext.length < CIPHERTEXT_OVERHEAD) return undefined;
  if (!ciphertext.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  return ciphertext.readUInt32BE(MAGIC.length);
}

/** Decrypts; undefined when authentication fails (wrong key, AAD or tampered bytes). */
export function decryptSymmetric(key: Buffer, ciphertext: Buffer, aad: Buffer): Buffer | undefined {
  const header = ciphertext.subarray(0, HEADER_BYTES);
  const iv = ciphertext.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = ciphertext.subarray(HEADER_BYTES + IV_BYTES, CIPHERTEXT_OVERHEAD);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.concat([header, aad]));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(ciphertext.subarray(CIPHERTEXT_OVERHEAD)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}
