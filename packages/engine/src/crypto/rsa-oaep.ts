/**
 * RSA-OAEP with MGF1 over the same hash and an empty label — the only OAEP variant the three
 * clouds accept for BYOK.
 *
 * @module
 */
import { constants, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { DecryptionFailedError } from '../errors';
import type { OaepHash } from '../algorithms/wrapping-algorithms';

const HASH_BYTES: Readonly<Record<OaepHash, number>> = { sha1: 20, sha256: 32 };

/** Largest message RSA-OAEP can carry (RFC 8017 §7.1.1: k − 2hLen − 2). */
export function oaepCapacity(modulusBits: number, hash: OaepHash): number {
  return Math.floor(modulusBits / 8) - 2 * HASH_BYTES[hash] - 2;
}

export function oaepEncrypt(publicKey: KeyObject, hash: OaepHash, message: Uint8Array): Buffer {
  return publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
    message,
  );
}

export function oaepDecrypt(privateKey: KeyObject, hash: OaepHash, ciphertext: Uint8Array): Buffer {
  try {
    return privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
      ciphertext,
    );
  } catch (cause) {
    throw new DecryptionFailedError({ cause });
  }
}
