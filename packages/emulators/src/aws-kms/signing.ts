/**
 * Sign/Verify for KMS signing algorithms with `MessageType: RAW` (node:crypto hashes and signs)
 * and `MessageType: DIGEST` (the caller hashed already; node's `crypto.sign` would hash again):
 *   RSASSA_PKCS1_V1_5_* : privateEncrypt(PKCS#1 type 1) of DigestInfo ‖ digest (RFC 8017 §9.2)
 *   RSASSA_PSS_*        : EMSA-PSS encoded here (RFC 8017 §9.1), salt = hash length, MGF1 same
 *                         hash, then a raw RSA private operation
 *   ECDSA_*             : ecdsa.ts; signatures are DER, as AWS KMS returns them
 *   ED25519_SHA_512     : pure Ed25519 (RFC 8032), RAW messages only
 *
 * @module
 */
import {
  constants,
  createHash,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';
import { ecdsaSignDigest, ecdsaVerifyDigest } from './ecdsa';
import type { EcCurve, HashName, SigningAlgorithmInfo } from './key-specs';

export type MessageType = 'RAW' | 'DIGEST';

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1). */
const DIGEST_INFO: Readonly<Partial<Record<HashName, Buffer>>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const hashOf = (hash: HashName, ...parts: Uint8Array[]): Buffer => {
  const h = createHash(hash);
  for (const p of parts) h.update(p);
  return h.digest();
};

function mgf1(hash: HashName, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  for (let counter = 0; total < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = hashOf(hash, seed, c);
    out.push(block);
    total += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

const modulusBits = (key: KeyObject): number => key.asymmetricKeyDetails?.modulusLength ?? 0;

/** The digest length of an RSA / ECDSA algorithm (all of them have one). */
const hashBytesOf = (alg: SigningAlgorithmInfo): number => alg.hashBytes ?? 0;

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) left-padded to the modulus length for RSA_NO_PADDING. */
function emsaPssEncode(alg: SigningAlgorithmInfo, mHash: Buffer, bits: number): Buffer {
  const emBits = bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = hashBytesOf(alg);
  const salt = randomBytes(hLen);
  const h = hashOf(alg.hash, Buffer.alloc(8), mHash, salt);
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(alg.hash, h, emLen - hLen - 1);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const k = Math.ceil(bits / 8);
  return k > emLen ? Buffer.concat([Buffer.alloc(k - emLen), em]) : em;
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with salt length = hash length. */
function emsaPssVerify(
  alg: SigningAlgorithmInfo,
  mHash: Buffer,
  decrypted: Buffer,
  bits: number,
): boolean {
  const emBits = bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = hashBytesOf(alg);
  const lead = decrypted.length - emLen;
  if (lead < 0 || decrypted.subarray(0, lead).some((b) => b !== 0)) return false;
  const em = decrypted.subarray(lead);
  if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const topMask = 0xff >> (8 * emLen - emBits);
  if (((em[0] ?? 0) & ~topMask) !== 0) return false;
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const db = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const mask = mgf1(alg.hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & topMask;
  const psLen = emLen - 2 * hLen - 2;
  if (db.subarray(0, psLen).some((b) => b !== 0) || db[psLen] !== 1) return false;
  const salt = db.subarray(db.length - hLen);
  return timingSafeEqual(h, hashOf(alg.hash, Buffer.alloc(8), mHash, salt));
}

/** Options valid for both crypto.sign and crypto.verify (a KeyObject works for either). */
interface RsaOptions {
  readonly key: KeyObject;
  readonly padding: number;
  readonly saltLength?: number;
}

function rsaRawOptions(alg: SigningAlgorithmInfo, key: KeyObject): RsaOptions {
  return alg.scheme === 'pss'
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hashBytesOf(alg) }
    : { key, padding: constants.RSA_PKCS1_PADDING };
}

export function signMessage(
  privateKey: KeyObject,
  curve: EcCurve | undefined,
  alg: SigningAlgorithmInfo,
  message: Buffer,
  type: MessageType,
): Buffer {
  // Pure Ed25519 (RFC 8032 §5.1.6) hashes internally; MessageType is always RAW here.
  if (alg.scheme === 'eddsa') return sign(null, message, privateKey);
  if (alg.scheme === 'ecdsa') {
    if (curve === undefined) throw new Error('ECDSA needs a curve');
    if (type === 'RAW') return sign(alg.hash, message, { key: privateKey, dsaEncoding: 'der' });
    return ecdsaSignDigest(curve, privateKey, message);
  }
  if (type === 'RAW') return sign(alg.hash, message, rsaRawOptions(alg, privateKey));
  if (alg.scheme === 'pkcs1') {
    const prefix = DIGEST_INFO[alg.hash] ?? Buffer.alloc(0);
    return privateEncrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([prefix, message]),
    );
  }
  const em = emsaPssEncode(alg, message, modulusBits(privateKey));
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, em);
}

export function verifyMessage(
  publicKey: KeyObject,
  curve: EcCurve | undefined,
  alg: SigningAlgorithmInfo,
  message: Buffer,
  type: MessageType,
  signature: Buffer,
): boolean {
  try {
    if (alg.scheme === 'eddsa') return verify(null, message, publicKey, signature);
    if (alg.scheme === 'ecdsa') {
      if (curve === undefined) return false;
      if (type === 'RAW')
        return verify(alg.hash, message, { key: publicKey, dsaEncoding: 'der' }, signature);
      return ecdsaVerifyDigest(curve, publicKey, message, signature);
    }
    if (type === 'RAW') return verify(alg.hash, message, rsaRawOptions(alg, publicKey), signature);
    const bits = modulusBits(publicKey);
    if (signature.length !== Math.ceil(bits / 8)) return false;
    if (alg.scheme === 'pkcs1') {
      const expected = Buffer.concat([DIGEST_INFO[alg.hash] ?? Buffer.alloc(0), message]);
      const got = publicDecrypt(
        { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
        signature,
      );
      return got.length === expected.length && timingSafeEqual(got, expected);
    }
    const decrypted = publicDecrypt(
      { key: publicKey, padding: constants.RSA_NO_PADDING },
      signature,
    );
    return emsaPssVerify(alg, message, decrypted, bits);
  } catch {
    // Malformed signatures (wrong length, not < n, bad DER) are simply invalid.
    return false;
  }
}
