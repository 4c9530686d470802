/**
 * The emulator's own CiphertextBlob format for SYMMETRIC_DEFAULT keys. Like AWS's (undocumented)
 * format it embeds the key id, so Decrypt works without a KeyId; the bytes are not compatible
 * with AWS and need not be:
 *
 *   0x4b 0x50 0x01 | key id (36 ASCII bytes, UUID) | IV (12) | GCM tag (16) | AES-256-GCM ciphertext
 *
 * AAD = the 39-byte header ‖ canonical EncryptionContext, so the blob is bound to its key id and
 * to the exact context (AWS requires the same context on Decrypt).
 *
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const MAGIC = Buffer.from([0x4b, 0x50, 0x01]);
const ID_BYTES = 36;
const HEADER_BYTES = MAGIC.length + ID_BYTES;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Order-independent encoding of an EncryptionContext (AWS treats it as an unordered map). */
function canonicalContext(context: Readonly<Record<string, string>> | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

export function sealSymmetric(
  keyId: string,
  material: Buffer,
  plaintext: Buffer,
  context: Readonly<Record<string, string>> | undefined,
): Buffer {
  const header = Buffer.concat([MAGIC, Buffer.from(keyId, 'ascii')]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([header, canonicalContext(context)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

/** The key id a blob claims, or undefined when the bytes are not one of our blobs. */
export function blobKeyId(blob: Buffer): string | undefined {
  if (blob.length < HEADER_BYTES + IV_BYTES + TAG_BYTES) return undefined;
  if (!blob.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const id = blob.toString('ascii', MAGIC.length, HEADER_BYTES);
  return UUID.test(id) ? id : undefined;
}

/** Decrypts a blob; undefined on any authentication failure (tampering, wrong context). */
export function openSymmetric(
  material: Buffer,
  blob: Buffer,
  context: Readonly<Record<string, string>> | undefined,
): Buffer | undefined {
  const header = blob.subarray(0, HEADER_BYTES);
  const iv = blob.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = blob.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, iv);
    decipher.setAAD(Buffer.concat([header, canonicalContext(context)]));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(blob.subarray(HEADER_BYTES + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}
