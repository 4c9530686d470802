/**
 * The emulator's own CiphertextBlob format for SYMMETRIC_DEFAULT keys. Like AWS's (undocumented)
 * format it embeds the key id and — as AWS does since imported keys can rotate ("AWS KMS embeds
 * this key material identifier in the ciphertext blob", AWS Security Blog, "How to use
 * on-demand rotation for AWS KMS imported keys") — the id of the key material that encrypted
 * it, so Decrypt works without a KeyId and with any material the key ever had. The bytes are not
 * compatible with AWS and need not be:
 *
 *   v2: 0x4b 0x50 0x02 | key id (36 ASCII, UUID) | KeyMaterialId (32) | IV (12) | GCM tag (16) | ciphertext
 *   v1: 0x4b 0x50 0x01 | key id (36 ASCII, UUID) | IV (12) | GCM tag (16) | ciphertext
 *
 * v1 blobs (written before keys had several materials) decrypt with the key's first material.
 * AAD = the header ‖ canonical EncryptionContext, so a blob is bound to its key, its material
 * and the exact context (AWS requires the same context on Decrypt).
 *
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const MAGIC = Buffer.from([0x4b, 0x50]);
const V1 = 0x01;
const V2 = 0x02;
const ID_BYTES = 36;
const MATERIAL_ID_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const headerBytes = (version: number): number =>
  MAGIC.length + 1 + ID_BYTES + (version === V2 ? MATERIAL_ID_BYTES : 0);

/** Order-independent encoding of an EncryptionContext (AWS treats it as an unordered map). */
function canonicalContext(context: Readonly<Record<string, string>> | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

export function sealSymmetric(
  keyId: string,
  materialId: string,
  material: Buffer,
  plaintext: Buffer,
  context: Readonly<Record<string, string>> | undefined,
): Buffer {
  const header = Buffer.concat([
    MAGIC,
    Buffer.from([V2]),
    Buffer.from(keyId, 'ascii'),
    Buffer.from(materialId, 'hex'),
  ]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([header, canonicalContext(context)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

export interface BlobHeader {
  readonly keyId: string;
  /** Undefined for v1 blobs: the key's first material made them. */
  readonly materialId?: string;
}

/** What a blob claims to be, or undefined when the bytes are not one of our blobs. */
export function parseBlob(blob: Buffer): BlobHeader | undefined {
  if (blob.length < MAGIC.length + 1 || !blob.subarray(0, MAGIC.length).equals(MAGIC))
    return undefined;
  const version = blob[MAGIC.length];
  if (version !== V1 && version !== V2) return undefined;
  if (blob.length < headerBytes(version) + IV_BYTES + TAG_BYTES) return undefined;
  const idStart = MAGIC.length + 1;
  const keyId = blob.toString('ascii', idStart, idStart + ID_BYTES);
  if (!UUID.test(keyId)) return undefined;
  if (version === V1) return { keyId };
  const materialId = blob.toString(
    'hex',
    idStart + ID_BYTES,
    idStart + ID_BYTES + MATERIAL_ID_BYTES,
  );
  return { keyId, materialId };
}

/** The key id a blob claims, or undefined when the bytes are not one of our blobs. */
export const blobKeyId = (blob: Buffer): string | undefined => parseBlob(blob)?.keyId;

/** Decrypts a blob parseBlob accepted; undefined on any authentication failure. */
export function openSymmetric(
  material: Buffer,
  blob: Buffer,
  context: Readonly<Record<string, string>> | undefined,
): Buffer | undefined {
  const size = headerBytes(blob[MAGIC.length] ?? V1);
  const header = blob.subarray(0, size);
  const iv = blob.subarray(size, size + IV_BYTES);
  const tag = blob.subarray(size + IV_BYTES, size + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, iv);
    decipher.setAAD(Buffer.concat([header, canonicalContext(context)]));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(blob.subarray(size + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}
