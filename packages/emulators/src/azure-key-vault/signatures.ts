/**
 * Signing and verifying a caller-supplied DIGEST, as Key Vault's `sign`/`verify` do (JWA
 * RS*, PS*, ES* of RFC 7518 over a precomputed hash). node:crypto's `sign()` always hashes its
 * input, so each scheme is built from lower-level primitives:
 *
 * - RS*: RSASSA-PKCS1-v1_5 = private-key operation on `DigestInfo ‖ digest` (RFC 8017 §9.2).
 * - PS*: EMSA-PSS encoded here (RFC 8017 §9.1, MGF1 with the same hash, salt = hash length),
 *   then the raw RSA private-key operation (`RSA_NO_PADDING`).
 * - ES*: ECDSA via `@noble/curves` with `prehash: false`; the signature is raw `r ‖ s` (JWS).
 *
 * @module
 */
import {
  constants,
  createHash,
  createPublicKey,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist';
import { secp256k1 } from '@noble/curves/secp256k1';
import type { Material } from './jwk';

type Hash = 'sha256' | 'sha384' | 'sha512';

export interface SignatureAlgorithm {
  readonly scheme: 'pkcs1' | 'pss' | 'ecdsa';
  readonly hash: Hash;
  readonly digestBytes: number;
  /** ECDSA only: the curve the key must be on. */
  readonly crv?: string;
}

const rs = (hash: Hash, digestBytes: number): SignatureAlgorithm => ({
  scheme: 'pkcs1',
  hash,
  digestBytes,
});
const ps = (hash: Hash, digestBytes: number): SignatureAlgorithm => ({
  scheme: 'pss',
  hash,
  digestBytes,
});
const es = (hash: Hash, digestBytes: number, crv: string): SignatureAlgorithm => ({
  scheme: 'ecdsa',
  hash,
  digestBytes,
  crv,
});

export const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = {
  RS256: rs('sha256', 32),
  RS384: rs('sha384', 48),
  RS512: rs('sha512', 64),
  PS256: ps('sha256', 32),
  PS384: ps('sha384', 48),
  PS512: ps('sha512', 64),
  ES256: es('sha256', 32, 'P-256'),
  ES384: es('sha384', 48, 'P-384'),
  ES512: es('sha512', 64, 'P-521'),
  ES256K: es('sha256', 32, 'P-256K'),
};

/** DER of DigestInfo's AlgorithmIdentifier + OCTET STRING header (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX: Readonly<Record<Hash, Buffer>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const NOBLE_CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521, 'P-256K': secp256k1 } as const;

function nobleCurve(crv: string): (typeof NOBLE_CURVES)[keyof typeof NOBLE_CURVES] {
  const curve = NOBLE_CURVES[crv as keyof typeof NOBLE_CURVES] as
    (typeof NOBLE_CURVES)[keyof typeof NOBLE_CURVES] | undefined;
  if (curve === undefined) throw new Error(`no ECDSA implementation for ${crv}`);
  return curve;
}

function mgf1(hash: Hash, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * seed.length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** `H(0x00×8 ‖ mHash ‖ salt)` — the M' hash of EMSA-PSS. */
const pssHash = (hash: Hash, mHash: Buffer, salt: Buffer): Buffer =>
  createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with sLen = hLen, left-padded to the modulus length. */
function pssEncode(hash: Hash, mHash: Buffer, modulusBits: number): Buffer {
  const hLen = mHash.length;
  const emBits = modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = pssHash(hash, mHash, salt);
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  return Buffer.concat([Buffer.alloc(Math.ceil(modulusBits / 8) - emLen), em]);
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with sLen = hLen over the k-byte RSA output. */
function pssVerify(hash: Hash, mHash: Buffer, decoded: Buffer, modulusBits: number): boolean {
  const hLen = mHash.length;
  const emBits = modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const lead = decoded.subarray(0, decoded.length - emLen);
  if (lead.some((b) => b !== 0)) return false;
  const em = decoded.subarray(decoded.length - emLen);
  if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const masked = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >> (8 * emLen - emBits);
  if (((masked[0] ?? 0) & ~topMask) !== 0) return false;
  const mask = mgf1(hash, h, masked.length);
  const db = Buffer.from(masked.map((b, i) => b ^ (mask[i] ?? 0)));
  db[0] = (db[0] ?? 0) & topMask;
  const psLen = emLen - 2 * hLen - 2;
  if (db.subarray(0, psLen).some((b) => b !== 0) || db[psLen] !== 1) return false;
  const salt = db.subarray(psLen + 1);
  return timingSafeEqual(pssHash(hash, mHash, salt), h);
}

function publicRsaOperation(key: KeyObject, signature: Buffer, bits: number): Buffer | undefined {
  if (signature.length !== Math.ceil(bits / 8)) return undefined;
  try {
    return publicDecrypt(
      { key: createPublicKey(key), padding: constants.RSA_NO_PADDING },
      signature,
    );
  } catch {
    return undefined;
  }
}

/** Signs `digest` (already checked to be `alg.digestBytes` long) with the key material. */
export function signDigest(alg: SignatureAlgorithm, m: Material, digest: Buffer): Buffer {
  if (m.family === 'RSA' && alg.scheme === 'pkcs1')
    return privateEncrypt(
      { key: m.privateKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([DIGEST_INFO_PREFIX[alg.hash], digest]),
    );
  if (m.family === 'RSA' && alg.scheme === 'pss')
    return privateEncrypt(
      { key: m.privateKey, padding: constants.RSA_NO_PADDING },
      pssEncode(alg.hash, digest, m.bits),
    );
  if (m.family === 'EC' && alg.scheme === 'ecdsa') {
    const d = Buffer.from(m.privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
    return Buffer.from(
      nobleCurve(m.curve.crv).sign(digest, d, { prehash: false }).toBytes('compact'),
    );
  }
  throw new Error(`${alg.scheme} cannot sign with an ${m.family} key`);
}

/** Verifies `signature` over `digest`; false (never a throw) for any malformed input. */
export function verifyDigest(
  alg: SignatureAlgorithm,
  m: Material,
  digest: Buffer,
  signature: Buffer,
): boolean {
  if (m.family === 'RSA' && alg.scheme === 'pkcs1') {
    const decoded = publicRsaOperation(m.privateKey, signature, m.bits);
    if (decoded === undefined) return false;
    // EM = 0x00 0x01 FF…FF 0x00 ‖ DigestInfo (RFC 8017 §9.2); rebuild it and compare whole.
    const t = Buffer.concat([DIGEST_INFO_PREFIX[alg.hash], digest]);
    const expected = Buffer.concat([
      Buffer.from([0, 1]),
      Buffer.alloc(decoded.length - t.length - 3, 0xff),
      Buffer.from([0]),
      t,
    ]);
    return expected.length === decoded.length && timingSafeEqual(expected, decoded);
  }
  if (m.family === 'RSA' && alg.scheme === 'pss') {
    const decoded = publicRsaOperation(m.privateKey, signature, m.bits);
    return decoded !== undefined && pssVerify(alg.hash, digest, decoded, m.bits);
  }
  if (m.family === 'EC' && alg.scheme === 'ecdsa') {
    if (signature.length !== 2 * m.curve.bytes) return false;
    const jwk = m.privateKey.export({ format: 'jwk' });
    const point = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwk.x ?? '', 'base64url'),
      Buffer.from(jwk.y ?? '', 'base64url'),
    ]);
    try {
      // lowS: false — signatures from other implementations need not be normalised.
      return nobleCurve(m.curve.crv).verify(signature, digest, point, {
        prehash: false,
        lowS: false,
      });
    } catch {
      return false;
    }
  }
  return false;
}
