/**
 * Sign / verify for every asymmetric key type, over a whole message or a precomputed digest
 * (the latter is what AWS `MessageType: DIGEST`, GCP `digest`, Azure `sign` and PKCS#11 raw
 * mechanisms take, so the engine needs it for parity with clouds and HSMs).
 *
 * Execution reads a per-family signer row; nothing branches on algorithm names.
 * - RSA: PKCS#1 v1.5 or PSS (salt length = hash length, MGF1 = same hash).
 * - ECDSA: DER (default) or raw r‖s output; digests are signed with @noble/curves (RFC 6979).
 * - Ed25519: pure EdDSA over the message only.
 *
 * @module
 */
import {
  constants,
  createPublicKey,
  privateEncrypt,
  publicDecrypt,
  sign as nodeSign,
  verify as nodeVerify,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import type * as NobleNist from '@noble/curves/nist';
import { hashAlgorithm, type HashAlgorithm } from '../algorithms/hashes';
import type { EcdsaKeyType, KeyFamily, KeyType } from '../algorithms/key-types';
import {
  InvalidKeyMaterialError,
  UnsupportedHashAlgorithmError,
  UnsupportedOperationError,
} from '../errors';
import { DER, readChildren, readTlv } from './der';
import { checkDigestLength } from './digest';
import { ecdsaDerToRaw, ecdsaRawToDer, type EcdsaSignatureEncoding } from './ecdsa-encoding';
import { keyTypeOf } from './key-material';
import { emsaPssEncode, emsaPssVerify } from './rsa-pss';
import { zeroize } from './zeroize';

export interface SignOptions {
  /** Hash algorithm name; default: `sha2-256` for RSA, the curve's own for ECDSA. Not for Ed25519. */
  readonly hash?: string | undefined;
  /** RSA only: RSASSA-PSS (salt = hash length) instead of PKCS#1 v1.5. @default false */
  readonly pss?: boolean | undefined;
  /** `message`: data is hashed here. `digest`: data already is the hash. @default 'message' */
  readonly input?: 'message' | 'digest' | undefined;
  /** ECDSA only: `der` (AWS, GCP, X.509) or `raw` r‖s (Azure, JWS, PKCS#11). @default 'der' */
  readonly signatureEncoding?: EcdsaSignatureEncoding | undefined;
}

interface Resolved {
  readonly type: KeyType;
  readonly hash: HashAlgorithm | undefined;
  readonly pss: boolean;
  readonly encoding: EcdsaSignatureEncoding;
}

interface Signer {
  signMessage(key: KeyObject, data: Uint8Array, r: Resolved): Buffer;
  signDigest(key: KeyObject, digest: Uint8Array, r: Resolved): Buffer;
  verifyMessage(key: KeyObject, data: Uint8Array, sig: Uint8Array, r: Resolved): boolean;
  verifyDigest(key: KeyObject, digest: Uint8Array, sig: Uint8Array, r: Resolved): boolean;
}

const must = (h: HashAlgorithm | undefined): HashAlgorithm => {
  if (h === undefined) throw new Error('internal: hash not resolved');
  return h;
};

const rsaPadding = (r: Resolved) =>
  r.pss
    ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : { padding: constants.RSA_PKCS1_PADDING };

/** Returns false instead of throwing when the RSA primitive rejects the signature. */
function tryPublicDecrypt(key: KeyObject, padding: number, sig: Uint8Array): Buffer | undefined {
  try {
    return publicDecrypt({ key, padding }, sig);
  } catch {
    return undefined;
  }
}

const RSA: Signer = {
  signMessage: (key, data, r) => nodeSign(must(r.hash).nodeName, data, { key, ...rsaPadding(r) }),
  signDigest: (key, digest, r) => {
    const h = must(r.hash);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return r.pss
      ? privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, emsaPssEncode(h, digest, bits))
      : privateEncrypt(
          { key, padding: constants.RSA_PKCS1_PADDING },
          Buffer.concat([h.digestInfoPrefix, digest]),
        );
  },
  verifyMessage: (key, data, sig, r) =>
    nodeVerify(must(r.hash).nodeName, data, { key, ...rsaPadding(r) }, sig),
  verifyDigest: (key, digest, sig, r) => {
    const h = must(r.hash);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (r.pss) {
      const em = tryPublicDecrypt(key, constants.RSA_NO_PADDING, sig);
      return em !== undefined && emsaPssVerify(h, digest, em, bits);
    }
    const expected = Buffer.concat([h.digestInfoPrefix, digest]);
    const got = tryPublicDecrypt(key, constants.RSA_PKCS1_PADDING, sig);
    return got !== undefined && got.length === expected.length && timingSafeEqual(got, expected);
  },
};

type NobleCurve = typeof NobleNist.p256;
let nist: typeof NobleNist | undefined;

/**
 * The curve's @noble implementation, loaded on first use: it precomputes tables when loaded
 * (~20 ms of CPU here), which every importer of the engine would otherwise pay at start-up even if it
 * never signs a digest with ECDSA.
 */
function noble(curve: 'P-256' | 'P-384' | 'P-521'): NobleCurve {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (above)
  nist ??= require('@noble/curves/nist') as typeof NobleNist;
  return { 'P-256': nist.p256, 'P-384': nist.p384, 'P-521': nist.p521 }[curve];
}

const ecType = (r: Resolved): EcdsaKeyType => r.type as EcdsaKeyType;

/** The private scalar `d` from PKCS#8 → ECPrivateKey (RFC 5915), without a JWK string. */
function ecPrivateScalar(key: KeyObject, scalarBytes: number): Buffer {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  try {
    const top = readChildren(readTlv(der)?.value ?? Buffer.alloc(0));
    const inner = top?.[2]?.tag === DER.OCTET_STRING ? readTlv(top[2].value) : undefined;
    const fields = inner === undefined ? undefined : readChildren(inner.value);
    const d = fields?.[1];
    if (d?.tag !== DER.OCTET_STRING)
      throw new InvalidKeyMaterialError('EC private key is malformed', { field: 'key' });
    const out = Buffer.alloc(scalarBytes);
    d.value.copy(out, scalarBytes - d.value.length);
    return out;
  } finally {
    zeroize(der);
  }
}

/** Uncompressed public point from SPKI (the BIT STRING after the AlgorithmIdentifier). */
function ecPublicPoint(key: KeyObject): Buffer {
  const spki = (key.type === 'private' ? createPublicKey(key) : key).export({
    format: 'der',
    type: 'spki',
  });
  const bitString = readChildren(readTlv(spki)?.value ?? Buffer.alloc(0))?.[1];
  return Buffer.from(bitString?.value.subarray(1) ?? Buffer.alloc(0));
}

const encodeEcdsa = (der: Buffer, r: Resolved) =>
  r.encoding === 'raw' ? ecdsaDerToRaw(der, ecType(r).scalarBytes) : der;
const decodeEcdsa = (sig: Uint8Array, r: Resolved) =>
  r.encoding === 'raw' ? ecdsaRawToDer(sig, ecType(r).scalarBytes) : Buffer.from(sig);

const ECDSA: Signer = {
  signMessage: (key, data, r) => encodeEcdsa(nodeSign(must(r.hash).nodeName, data, key), r),
  signDigest: (key, digest, r) => {
    const t = ecType(r);
    const d = ecPrivateScalar(key, t.scalarBytes);
    try {
      const sig = noble(t.curve).sign(digest, d, { prehash: false, lowS: false });
      return r.encoding === 'raw'
        ? Buffer.from(sig.toBytes('compact'))
        : Buffer.from(sig.toBytes('der'));
    } finally {
      zeroize(d);
    }
  },
  verifyMessage: (key, data, sig, r) => {
    try {
      return nodeVerify(must(r.hash).nodeName, data, key, decodeEcdsa(sig, r));
    } catch {
      return false;
    }
  },
  verifyDigest: (key, digest, sig, r) => {
    try {
      const der = decodeEcdsa(sig, r);
      return noble(ecType(r).curve).verify(der, digest, ecPublicPoint(key), {
        prehash: false,
        lowS: false,
        format: 'der',
      });
    } catch {
      return false;
    }
  },
};

const noDigest = (): never => {
  throw new UnsupportedOperationError(
    'ed25519 signs whole messages only (pure EdDSA); input must be message, not digest',
    { field: 'input', allowed: ['message'] },
  );
};

const ED25519: Signer = {
  signMessage: (key, data) => nodeSign(null, data, key),
  signDigest: noDigest,
  verifyMessage: (key, data, sig) => nodeVerify(null, data, key, sig),
  verifyDigest: noDigest,
};

const SIGNERS: Readonly<Record<KeyFamily, Signer | undefined>> = {
  aes: undefined,
  rsa: RSA,
  ecdsa: ECDSA,
  ed25519: ED25519,
};

/** Resolves key type, hash and options once, at the boundary. */
function resolve(key: KeyObject, options: SignOptions): { signer: Signer; r: Resolved } {
  const type = keyTypeOf(key);
  const signer = SIGNERS[type.family];
  if (signer === undefined) {
    throw new UnsupportedOperationError(`${type.name} cannot sign; use HMAC or an asymmetric key`, {
      field: 'key',
    });
  }
  const defaultHash =
    type.family === 'rsa' ? 'sha2-256' : type.family === 'ecdsa' ? type.defaultHash : undefined;
  if (defaultHash === undefined && options.hash !== undefined) {
    throw new UnsupportedHashAlgorithmError(
      `hash '${options.hash}' is not supported with ${type.name}; it hashes internally (omit hash)`,
      {
        field: 'hash',
        allowed: [],
      },
    );
  }
  if (options.pss === true && type.family !== 'rsa') {
    throw new UnsupportedOperationError(`pss is only valid for RSA keys, not ${type.name}`, {
      field: 'pss',
    });
  }
  const hashName = options.hash ?? defaultHash;
  const hash = hashName === undefined ? undefined : hashAlgorithm(hashName, 'hash');
  return {
    signer,
    r: { type, hash, pss: options.pss === true, encoding: options.signatureEncoding ?? 'der' },
  };
}

function checkDigest(r: Resolved, digest: Uint8Array): void {
  if (r.hash !== undefined) checkDigestLength(r.hash, digest);
}

/** Signs `data` (a message, or a digest with `input: 'digest'`) with a private key. */
export function sign(privateKey: KeyObject, data: Uint8Array, options: SignOptions = {}): Buffer {
  // Only a public key is refused here: a secret (AES) key must reach resolve(), which reports
  // ERR_UNSUPPORTED_OPERATION ("cannot sign; use HMAC …") like verify() does.
  if (privateKey.type === 'public') {
    throw new InvalidKeyMaterialError('signing needs a private key', { field: 'key' });
  }
  const { signer, r } = resolve(privateKey, options);
  if (options.input === 'digest') {
    checkDigest(r, data);
    return signer.signDigest(privateKey, data, r);
  }
  return signer.signMessage(privateKey, data, r);
}

/** Verifies; returns false for a wrong signature, throws only for unusable inputs. */
export function verify(
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
  options: SignOptions = {},
): boolean {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const { signer, r } = resolve(publicKey, options);
  if (options.input === 'digest') {
    checkDigest(r, data);
    return signer.verifyDigest(publicKey, data, signature, r);
  }
  return signer.verifyMessage(publicKey, data, signature, r);
}
