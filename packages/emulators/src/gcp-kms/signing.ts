/**
 * Signature primitives over a caller-supplied digest, which `crypto.sign` cannot do (it always
 * hashes again; https://cloud.google.com/kms/docs/create-validate-signatures):
 *
 * - RSASSA-PKCS1-v1_5: DigestInfo ‖ digest through `privateEncrypt` with PKCS#1 padding.
 * - RSASSA-PSS: EMSA-PSS-ENCODE (RFC 8017 §9.1.1, MGF1 with the same hash, salt length = hash
 *   length as Cloud KMS uses) then raw RSA (`RSA_NO_PADDING`).
 * - ECDSA: `@noble/curves` with `prehash: false`; DER signatures, as Cloud KMS returns them.
 * - Ed25519 and raw PKCS#1 sign the data itself.
 *
 * @module
 */
import {
  constants,
  createHash,
  privateEncrypt,
  randomBytes,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import { p256, p384 } from '@noble/curves/nist';
import { secp256k1 } from '@noble/curves/secp256k1';
import type { AlgorithmSpec, EcCurve, HashName } from './algorithms';
import { invalidArgument } from './errors';

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1). */
const DIGEST_INFO: Readonly<Partial<Record<HashName, Buffer>>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const CURVES: Readonly<Record<EcCurve, typeof p256>> = {
  prime256v1: p256,
  secp384r1: p384,
  secp256k1,
};

const modulusBytes = (key: KeyObject): number =>
  Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);

function mgf1(seed: Buffer, length: number, hash: HashName): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 0, size = 0; size < length; i++) {
    counter.writeUInt32BE(i);
    const block = createHash(hash).update(seed).update(counter).digest();
    blocks.push(block);
    size += block.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** EMSA-PSS-ENCODE with sLen = hLen, left-padded to the modulus length for raw RSA. */
function emsaPss(digest: Buffer, hash: HashName, modBits: number): Buffer {
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = digest.length;
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, emLen - hLen - 1, hash);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const k = Math.ceil(modBits / 8);
  return k > em.length ? Buffer.concat([Buffer.alloc(k - em.length), em]) : em;
}

/** Signs a digest already checked to have the algorithm's hash length. */
export function signDigest(spec: AlgorithmSpec, key: KeyObject, digest: Buffer): Buffer {
  const hash = spec.hash;
  if (hash === undefined) throw new Error(`${spec.name} does not sign digests`);
  switch (spec.scheme) {
    case 'rsa-pkcs1': {
      const prefix = DIGEST_INFO[hash];
      if (prefix === undefined) throw new Error(`no DigestInfo for ${hash}`);
      return privateEncrypt(
        { key, padding: constants.RSA_PKCS1_PADDING },
        Buffer.concat([prefix, digest]),
      );
    }
    case 'rsa-pss':
      return privateEncrypt(
        { key, padding: constants.RSA_NO_PADDING },
        emsaPss(digest, hash, key.asymmetricKeyDetails?.modulusLength ?? 0),
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
