/**
 * A test-only BYOK unwrapper written directly on node:crypto, independent of the engine (it must
 * never import engine code): RSA-OAEP (MGF1 over the same hash, empty label) and RFC 5649
 * AES-256 key wrap with padding, split at the KEK's modulus length.
 */
import {
  KeyObject,
  constants,
  createDecipheriv,
  createPrivateKey,
  privateDecrypt,
} from 'node:crypto';

export interface NodeUnwrapFormat {
  readonly scheme: 'rsa-aes-key-wrap' | 'rsa-oaep';
  readonly hash: 'sha1' | 'sha256';
}

export interface NodeUnwrapped {
  /** The recovered key material. */
  readonly plaintext: Buffer;
  /** Hybrid only: the ephemeral AES key carried in the RSA block. */
  readonly ephemeralKey?: Buffer;
}

const RFC5649_AIV = Buffer.from('A65959A6', 'hex');

function oaepDecrypt(key: KeyObject, hash: NodeUnwrapFormat['hash'], data: Uint8Array): Buffer {
  return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, data);
}

/** Unwraps and also returns the hybrid's ephemeral AES key (for freshness checks). */
export function nodeUnwrapDetailed(
  blob: Uint8Array,
  kekPrivate: KeyObject | string | Buffer,
  format: NodeUnwrapFormat,
): NodeUnwrapped {
  const key = kekPrivate instanceof KeyObject ? kekPrivate : createPrivateKey(kekPrivate);
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || bits === undefined) {
    throw new Error('the KEK must be an RSA private key');
  }
  const modulusBytes = Math.ceil(bits / 8);
  if (format.scheme === 'rsa-oaep') {
    if (blob.length !== modulusBytes) throw new Error('direct OAEP blob must be one RSA block');
    return { plaintext: oaepDecrypt(key, format.hash, blob) };
  }
  if (blob.length <= modulusBytes) throw new Error('hybrid blob is not longer than the RSA block');
  const ephemeralKey = oaepDecrypt(key, format.hash, blob.subarray(0, modulusBytes));
  // id-aes256-wrap-pad refuses anything but a 32-byte key, so a non-AES-256 ephemeral key throws.
  const decipher = createDecipheriv('id-aes256-wrap-pad', ephemeralKey, RFC5649_AIV);
  const plaintext = Buffer.concat([decipher.update(blob.subarray(modulusBytes)), decipher.final()]);
  return { plaintext, ephemeralKey };
}

/** Unwraps a BYOK blob (hybrid or direct OAEP) with node:crypto only. */
export function nodeUnwrap(
  blob: Uint8Array,
  kekPrivate: KeyObject | string | Buffer,
  format: NodeUnwrapFormat,
): Buffer {
  return nodeUnwrapDetailed(blob, kekPrivate, format).plaintext;
}
