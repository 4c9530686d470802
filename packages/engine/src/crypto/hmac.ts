/**
 * HMAC over any of the nine hash algorithms, with constant-time verification.
 *
 * @module
 */
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { hashAlgorithm } from '../algorithms/hashes';
import { InvalidArgumentError } from '../errors';

export function hmacSign(key: KeyObject, data: Uint8Array, hash = 'sha2-256'): Buffer {
  if (key.type !== 'secret')
    throw new InvalidArgumentError('HMAC needs a secret key', { field: 'key' });
  return createHmac(hashAlgorithm(hash).nodeName, key).update(data).digest();
}

export function hmacVerify(
  key: KeyObject,
  data: Uint8Array,
  mac: Uint8Array,
  hash = 'sha2-256',
): boolean {
  const expected = hmacSign(key, data, hash);
  return expected.length === mac.length && timingSafeEqual(expected, mac);
}
