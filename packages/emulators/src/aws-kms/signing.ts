/**
 * Sign/Verify for KMS signing algorithms with `MessageType: RAW` (node:crypto hashes and signs)
 * and `MessageType: DIGEST` (the caller hashed already; node's `crypto.sign` would hash again):
 *   RSASSA_PKCS1_V1_5_* : privateEncrypt(PKCS#1 type 1) of DigestInfo ‖ digest (RFC 8017 §9.2)
 *   RSASSA_PSS_*        : EMSA-PSS (common/rsa-digest-padding.ts), salt = hash length, MGF1 same
 *                         hash, then a raw RSA private operation
 *   ECDSA_*             : ecdsa.ts; signatures are DER, as AWS KMS returns them
 *   ED25519_SHA_512     : pure Ed25519 (RFC 8032), RAW messages only
 *
 * @module
 */
import {
  constants,
  privateEncrypt,
  publicDecrypt,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';
import { digestInfoOf, emsaPssEncode, emsaPssVerify } from '../common/rsa-digest-padding';
import { ecdsaSignDigest, ecdsaVerifyDigest } from './ecdsa';
import type { EcCurve, SigningAlgorithmInfo } from './key-specs';

export type MessageType = 'RAW' | 'DIGEST';

const modulusBits = (key: KeyObject): number => key.asymmetricKeyDetails?.modulusLength ?? 0;

/** The digest length of an RSA / ECDSA algorithm (all of them have one). */
const hashBytesOf = (alg: SigningAlgorithmInfo): number => alg.hashBytes ?? 0;

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
    const prefix = digestInfoOf(alg.hash) ?? Buffer.alloc(0);
    return privateEncrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([prefix, message]),
    );
  }
  const em = emsaPssEncode(alg.hash, message, modulusBits(privateKey));
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
      const expected = Buffer.concat([digestInfoOf(alg.hash) ?? Buffer.alloc(0), message]);
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
    return emsaPssVerify(alg.hash, message, decrypted, bits);
  } catch {
    // Malformed signatures (wrong length, not < n, bad DER) are simply invalid.
    return false;
  }
}
