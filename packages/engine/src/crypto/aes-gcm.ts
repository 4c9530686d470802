/**
 * AES-256-GCM with a 96-bit random nonce (Vault's `aes256-gcm96`). Ciphertext layout:
 * `nonce(12) ‖ ciphertext ‖ tag(16)` — the layout Vault Transit and most KMSes use.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { DecryptionFailedError, InvalidArgumentError } from '../errors';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function checkKey(key: KeyObject): void {
  if (key.type !== 'secret' || key.symmetricKeySize !== 32) {
    throw new InvalidArgumentError('key must be a 32-byte AES-256 secret key', { field: 'key' });
  }
}

export function aesGcmEncrypt(key: KeyObject, plaintext: Uint8Array, aad?: Uint8Array): Buffer {
  checkKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  if (aad !== undefined) cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

export function aesGcmDecrypt(key: KeyObject, sealed: Uint8Array, aad?: Uint8Array): Buffer {
  checkKey(key);
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new DecryptionFailedError();
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const nonce = buf.subarray(0, NONCE_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  const body = buf.subarray(NONCE_BYTES, buf.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    if (aad !== undefined) decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (cause) {
    throw new DecryptionFailedError({ cause });
  }
}
