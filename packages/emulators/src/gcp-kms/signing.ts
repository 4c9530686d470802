/**
 * Signature primitives over a caller-supplied digest, which `crypto.sign` cannot do (it always
 * hashes again; https://cloud.google.com/kms/docs/create-validate-signatures):
 *
 * - RSASSA-PKCS1-v1_5: DigestInfo ‖ digest through `privateEncrypt` with PKCS#1 padding.
 * - RSASSA-PSS: EMSA-PSS-ENCODE (common/rsa-digest-padding.ts: MGF1 with the same hash, salt
 *   length = hash length as Cloud KMS uses) then raw RSA (`RSA_NO_PADDING`).
 * - ECDSA: `@noble/curves` with `prehash: false`; DER signatures, as Cloud KMS returns them.
 * - Ed25519 and raw PKCS#1 sign the data itself.
 *
 * @module
 */
import { constants, privateEncrypt, sign as nodeSign, type KeyObject } from 'node:crypto';
import { p256, p384 } from '@noble/curves/nist';
import { secp256k1 } from '@noble/curves/secp256k1';
import type { AlgorithmSpec, EcCurve } from './algorithms';
import { invalidArgument } from './errors';
import { digestInfoOf, emsaPssEncode } from '../common/rsa-digest-padding';

const CURVES: Readonly<Record<EcCurve, typeof p256>> = {
  prime256v1: p256,
  secp384r1: p384,
  secp256k1,
};

const modulusBytes = (key: KeyObject): number =>
  Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);

/** Signs a digest already checked to have the algorithm's hash length. */
export function signDigest(spec: AlgorithmSpec, key: KeyObject, digest: Buffer): Buffer {
  const hash = spec.hash;
  if (hash === undefined) throw new Error(`${spec.name} does not sign digests`);
  switch (spec.scheme) {
    case 'rsa-pkcs1': {
      const prefix = digestInfoOf(hash);
      if (prefix === undefined) throw new Error(`no DigestInfo for ${hash}`);
      return privateEncrypt(
        { key, padding: constants.RSA_PKCS1_PADDING },
        Buffer.concat([prefix, digest]),
      );
    }
    case 'rsa-pss':
      return privateEncrypt(
        { key, padding: constants.RSA_NO_PADDING },
        emsaPssEncode(hash, digest, key.asymmetricKeyDetails?.modulusLength ?? 0),
      );
    case 'ecdsa': {
      if (spec.key.type !== 'ec') throw new Error(`${spec.name} is not an EC algorithm`);
      const d = key.export({ format: 'jwk' }).d ?? '';
      const signature = CURVES[spec.key.curve].sign(digest, Buffer.from(d, 'base64url'), {
        prehash: false,
      });
      return Buffer.from(signature.toBytes('der'));
    }
    default:
      throw new Error(`${spec.name} does not sign digests`);
  }
}

/** Signs data for algorithms without a prehash (Ed25519, raw PKCS#1). */
export function signData(spec: AlgorithmSpec, key: KeyObject, data: Buffer): Buffer {
  if (spec.scheme === 'eddsa') return nodeSign(null, data, key);
  if (spec.scheme === 'rsa-pkcs1-raw') {
    const max = modulusBytes(key) - 11;
    if (data.length > max)
      throw invalidArgument(`data is ${data.length} bytes; ${spec.name} signs at most ${max}.`);
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, data);
  }
  throw new Error(`${spec.name} signs digests`);
}
