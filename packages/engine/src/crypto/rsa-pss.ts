/**
 * EMSA-PSS encoding and verification (RFC 8017 §9.1) over a caller-supplied digest, so Keyplane
 * can sign *precomputed* digests with RSA-PSS like AWS `MessageType: DIGEST`, GCP `digest` and
 * PKCS#11 CKM_RSA_PKCS_PSS do. node:crypto only signs whole messages, so the padding is built
 * here and the RSA primitive runs with RSA_NO_PADDING. MGF1 uses the same hash; salt = hLen.
 *
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { HASH_ALGORITHMS, HASH_ALGORITHM_NAMES, type HashAlgorithm } from '../algorithms/hashes';
import { UnsupportedHashAlgorithmError, notAllowedMessage } from '../errors';

function mgf1(hash: HashAlgorithm, seed: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  const counter = Buffer.alloc(4);
  for (let off = 0, i = 0; off < length; i++) {
    counter.writeUInt32BE(i);
    const block = createHash(hash.nodeName).update(seed).update(counter).digest();
    off += block.copy(out, off);
  }
  return out;
}

/** M' = 0x00×8 ‖ mHash ‖ salt, hashed. */
function hPrime(hash: HashAlgorithm, mHash: Uint8Array, salt: Uint8Array): Buffer {
  return createHash(hash.nodeName).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
}

/** RFC 8017 §9.1.1 step 3: emLen ≥ hLen + sLen + 2, with sLen = hLen. */
const fits = (hash: HashAlgorithm, modulusBits: number) =>
  Math.ceil((modulusBits - 1) / 8) >= 2 * hash.length + 2;

function hashTooLong(hash: HashAlgorithm, modulusBits: number): UnsupportedHashAlgorithmError {
  const allowed = HASH_ALGORITHM_NAMES.filter((name) => fits(HASH_ALGORITHMS[name], modulusBits));
  const context = `for RSA-PSS with a ${String(modulusBits)}-bit key (salt = hash length)`;
  return new UnsupportedHashAlgorithmError(notAllowedMessage('hash', hash.name, context, allowed), {
    field: 'hash',
    allowed,
  });
}

/** EM of `ceil((modBits−1)/8)` bytes, left-padded to the modulus length for RSA_NO_PADDING. */
export function emsaPssEncode(hash: HashAlgorithm, mHash: Uint8Array, modulusBits: number): Buffer {
  const emBits = modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const sLen = hash.length;
  if (emLen < hash.length + sLen + 2) throw hashTooLong(hash, modulusBits);
  const salt = randomBytes(sLen);
  const h = hPrime(hash, mHash, salt);
  const db = Buffer.alloc(emLen - hash.length - 1);
  db[db.length - sLen - 1] = 0x01;
  salt.copy(db, db.length - sLen);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const k = Math.ceil(modulusBits / 8);
  return k > emLen ? Buffer.concat([Buffer.alloc(k - emLen), em]) : em;
}

/** Checks an EM recovered with RSA_NO_PADDING (modulus-length bytes) against `mHash`. */
export function emsaPssVerify(
  hash: HashAlgorithm,
  mHash: Uint8Array,
  encoded: Buffer,
  modulusBits: number,
): boolean {
  const emBits = modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const sLen = hash.length;
  const k = Math.ceil(modulusBits / 8);
  if (encoded.length !== k || (k > emLen && encoded[0] !== 0)) return false;
  const em = encoded.subarray(k - emLen);
  if (emLen < hash.length + sLen + 2 || em[em.length - 1] !== 0xbc) return false;
  const db = Buffer.from(em.subarray(0, emLen - hash.length - 1));
  const h = em.subarray(emLen - hash.length - 1, emLen - 1);
  const topMask = 0xff >> (8 * emLen - emBits);
  if (((db[0] ?? 0) & ~topMask) !== 0) return false;
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & topMask;
  const ps = db.length - sLen - 1;
  for (let i = 0; i < ps; i++) if (db[i] !== 0) return false;
  if (db[ps] !== 0x01) return false;
  return timingSafeEqual(hPrime(hash, mHash, db.subarray(ps + 1)), h);
}
