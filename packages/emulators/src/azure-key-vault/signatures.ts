/**
 * Signing and verifying a caller-supplied DIGEST, as Key Vault's `sign`/`verify` do (JWA
 * RS*, PS*, ES* of RFC 7518 over a precomputed hash). node:crypto's `sign()` always hashes its
 * input, so each scheme is built from lower-level primitives:
 *
 * - RS*: RSASSA-PKCS1-v1_5 = private-key operation on `DigestInfo ‖ digest` (RFC 8017 §9.2).
 * - PS*: EMSA-PSS from common/rsa-digest-padding.ts (MGF1 with the same hash, salt = hash length),
 *   then the raw RSA private-key operation (`RSA_NO_PADDING`).
 * - ES*: ECDSA via `@noble/curves` with `prehash: false`; the signature is raw `r ‖ s` (JWS).
 *
 * @module
 */
import {
  constants,
  createPublicKey,
  privateEncrypt,
  publicDecrypt,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist';
import { secp256k1 } from '@noble/curves/secp256k1';
import {
  DIGEST_INFO,
  emsaPssEncode,
  emsaPssVerify,
  type DigestHash,
} from '../common/rsa-digest-padding';
import type { Material } from './jwk';

type Hash = DigestHash;

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

const NOBLE_CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521, 'P-256K': secp256k1 } as const;

function nobleCurve(crv: string): (typeof NOBLE_CURVES)[keyof typeof NOBLE_CURVES] {
  const curve = NOBLE_CURVES[crv as keyof typeof NOBLE_CURVES] as
    (typeof NOBLE_CURVES)[keyof typeof NOBLE_CURVES] | undefined;
  if (curve === undefined) throw new Error(`no ECDSA implementation for ${crv}`);
  return curve;
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
      Buffer.concat([DIGEST_INFO[alg.hash], digest]),
    );
  if (m.family === 'RSA' && alg.scheme === 'pss')
    return privateEncrypt(
      { key: m.privateKey, padding: constants.RSA_NO_PADDING },
      emsaPssEncode(alg.hash, digest, m.bits),
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
    const t = Buffer.concat([DIGEST_INFO[alg.hash], digest]);
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
    return decoded !== undefined && emsaPssVerify(alg.hash, digest, decoded, m.bits);
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
