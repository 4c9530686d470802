/**
 * The digest a signature is computed over: the caller's message hashed here, or the caller's
 * precomputed digest after a length check. Every signer (software and every backend) takes its
 * input through here, so a wrong-length digest is refused the same way everywhere.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { HashAlgorithm } from '../algorithms/hashes';
import { InvalidDigestError } from '../errors';

/** ERR_INVALID_DIGEST unless `digest` has the hash's length. */
export function checkDigestLength(hash: HashAlgorithm, digest: Uint8Array): void {
  if (digest.length !== hash.length) {
    throw new InvalidDigestError(
      `digest must be ${String(hash.length)} bytes for ${hash.name}, got ${String(digest.length)}`,
      { field: 'digest' },
    );
  }
}

/** `data` hashed (`input: 'message'`, the default), or checked and copied (`'digest'`). */
export function digestForSigning(
  hash: HashAlgorithm,
  data: Uint8Array,
  input: 'message' | 'digest' | undefined,
): Buffer {
  if (input !== 'digest') return createHash(hash.nodeName).update(data).digest();
  checkDigestLength(hash, data);
  return Buffer.from(data);
}
