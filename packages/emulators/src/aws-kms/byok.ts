/**
 * Unwrapping of AWS BYOK blobs (https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-encrypt-key-material.html), written from AWS's public description and
 * RFC 5649, not shared with the engine:
 *   hybrid (RSA_AES_KEY_WRAP_SHA_*) = RSA-OAEP(K) of modulus length ‖ AES-KWP(K, material)
 *   direct (RSAES_OAEP_SHA_*)       = RSA-OAEP(material)
 * OAEP uses MGF1 with the same hash and an empty label. Any failure to decrypt is AWS's
 * InvalidCiphertextException ("KMS could not decrypt the encrypted (wrapped) key material");
 * whether the decrypted bytes fit the key is decided later (IncorrectKeyMaterialException).
 *
 * @module
 */
import { constants, createDecipheriv, privateDecrypt, type KeyObject } from 'node:crypto';
import { kmsError } from './errors';
import type { WrappingAlgorithmInfo } from './key-specs';

/** RFC 5649 §3 alternative initial value. */
const KWP_IV = Buffer.from('A65959A6', 'hex');
const AES_KEY_BYTES = 32;

function cannotDecrypt(why: string): Error {
  return kmsError('InvalidCiphertextException', `Unable to decrypt EncryptedKeyMaterial: ${why}`);
}

function oaepDecrypt(key: KeyObject, hash: string, block: Buffer): Buffer {
  try {
    return privateDecrypt(
      { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
      block,
    );
  } catch {
    throw cannotDecrypt('RSA-OAEP decryption failed (wrong wrapping key or algorithm?)');
  }
}

/** RFC 5649 unwrap with AES-256; integrity failure → InvalidCiphertextException. */
function kwpUnwrap(aesKey: Buffer, wrapped: Buffer): Buffer {
  try {
    const decipher = createDecipheriv('id-aes256-wrap-pad', aesKey, KWP_IV);
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    throw cannotDecrypt('AES key wrap integrity check failed');
  }
}

export function unwrapKeyMaterial(
  blob: Buffer,
  wrappingKey: KeyObject,
  algorithm: WrappingAlgorithmInfo,
): Buffer {
  const bits = wrappingKey.asymmetricKeyDetails?.modulusLength ?? 0;
  const k = Math.ceil(bits / 8);
  if (algorithm.scheme === 'direct') {
    if (blob.length !== k)
      throw cannotDecrypt(`expected ${k} bytes of RSA-OAEP ciphertext, got ${blob.length}`);
    return oaepDecrypt(wrappingKey, algorithm.hash, blob);
  }
  const tail = blob.length - k;
  // KWP output is a multiple of 8 bytes and at least 16 (RFC 5649 §4.1).
  if (tail < 16 || tail % 8 !== 0)
    throw cannotDecrypt(
      `expected ${k} bytes of RSA-OAEP ciphertext followed by an AES key wrap block, got ${blob.length} bytes`,
    );
  const aesKey = oaepDecrypt(wrappingKey, algorithm.hash, blob.subarray(0, k));
  if (aesKey.length !== AES_KEY_BYTES)
    throw cannotDecrypt(`the wrapped AES key must be ${AES_KEY_BYTES} bytes, got ${aesKey.length}`);
  return kwpUnwrap(aesKey, blob.subarray(k));
}
