/**
 * The two BYOK wrapping schemes every cloud format is built from (RSA-OAEP, RFC 8017 §7.1; RSA-OAEP + AES-KWP, RFC 5649 — see
 * https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-encrypt-key-material.html,
 * https://learn.microsoft.com/azure/key-vault/keys/byok-specification and
 * https://cloud.google.com/kms/docs/key-wrapping):
 * - `rsa-aes-key-wrap` (CKM_RSA_AES_KEY_WRAP): RSA-OAEP(KEK, K) ‖ AES-KWP(K, plaintext) with a
 *   fresh AES-256 key K used once and wiped.
 * - `rsa-oaep`: RSA-OAEP(KEK, plaintext), bounded by the OAEP capacity.
 *
 * @module
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import type {
  OaepHash,
  WrappingAlgorithm,
  WrappingScheme,
} from '../algorithms/wrapping-algorithms';
import { KeyTooLargeForWrappingError } from '../errors';
import { aesKeyWrap } from '../crypto/aes-key-wrap';
import { oaepCapacity, oaepEncrypt } from '../crypto/rsa-oaep';
import { zeroize } from '../crypto/zeroize';
import type { WrappingKey } from './wrapping-key';

type Wrap = (kek: WrappingKey, algorithm: WrappingAlgorithm, plaintext: Buffer) => Buffer;

const EPHEMERAL_AES_BYTES = 32;

/** CKM_RSA_AES_KEY_WRAP in software: RSA-OAEP(kek, K) ‖ AES-KWP(K, plaintext), K fresh and wiped. */
export function rsaAesKeyWrap(kek: KeyObject, oaepHash: OaepHash, plaintext: Buffer): Buffer {
  const ephemeral = randomBytes(EPHEMERAL_AES_BYTES);
  try {
    return Buffer.concat([
      oaepEncrypt(kek, oaepHash, ephemeral),
      aesKeyWrap(ephemeral, plaintext, 'rfc5649'),
    ]);
  } finally {
    zeroize(ephemeral);
  }
}

const SCHEMES: Readonly<Record<WrappingScheme, Wrap>> = {
  'rsa-aes-key-wrap': (kek, algorithm, plaintext) =>
    rsaAesKeyWrap(kek.key, algorithm.oaepHash, plaintext),
  'rsa-oaep': (kek, algorithm, plaintext) => {
    const capacity = oaepCapacity(kek.modulusBits, algorithm.oaepHash);
    if (plaintext.length > capacity) {
      throw new KeyTooLargeForWrappingError(
        `key material of ${plaintext.length} bytes exceeds what ${algorithm.name} can carry under a ${kek.modulusBits}-bit wrapping key (${capacity} bytes); use an RSA-AES hybrid algorithm or a larger wrapping key`,
        { field: 'algorithm' },
      );
    }
    return oaepEncrypt(kek.key, algorithm.oaepHash, plaintext);
  },
};

/** Wraps plaintext key bytes with the algorithm's scheme. Does not zeroize `plaintext`. */
export function wrapWithScheme(
  kek: WrappingKey,
  algorithm: WrappingAlgorithm,
  plaintext: Buffer,
): Buffer {
  return SCHEMES[algorithm.scheme](kek, algorithm, plaintext);
}
