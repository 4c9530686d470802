/**
 * `CryptoKeyVersionAlgorithm` as data: which purpose each algorithm serves, what key material it
 * holds, and the hash and padding it implies (google/cloud/kms/v1/resources.proto `CryptoKeyVersionAlgorithm`). Every
 * check (create, import, sign, decrypt) reads this one table, so adding an algorithm is one line.
 *
 * @module
 */
import { invalidArgument } from './errors';

export type Purpose = 'ENCRYPT_DECRYPT' | 'ASYMMETRIC_SIGN' | 'ASYMMETRIC_DECRYPT' | 'MAC';
export const PURPOSES: readonly string[] = [
  'ENCRYPT_DECRYPT',
  'ASYMMETRIC_SIGN',
  'ASYMMETRIC_DECRYPT',
  'MAC',
];

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
export type EcCurve = 'prime256v1' | 'secp384r1' | 'secp256k1';

export type KeyKind =
  | { readonly type: 'secret'; readonly bytes: number }
  | { readonly type: 'rsa'; readonly bits: number }
  | { readonly type: 'ec'; readonly curve: EcCurve }
  | { readonly type: 'ed25519' };

/** How the key is used: the operation code switches on this, never on algorithm names. */
export type Scheme =
  | 'google-symmetric'
  | 'rsa-pss'
  | 'rsa-pkcs1'
  | 'rsa-pkcs1-raw'
  | 'rsa-oaep'
  | 'ecdsa'
  | 'eddsa'
  | 'hmac';

export interface AlgorithmSpec {
  readonly name: string;
  readonly purpose: Purpose;
  readonly key: KeyKind;
  readonly scheme: Scheme;
  /** Digest the caller supplies (sign), OAEP hash (decrypt) or HMAC hash. */
  readonly hash?: HashName;
  /** Cloud KMS offers this algorithm at protection level HSM only. */
  readonly hsmOnly?: boolean;
}

const secret = (bytes: number): KeyKind => ({ type: 'secret', bytes });
const rsa = (bits: number): KeyKind => ({ type: 'rsa', bits });
const ec = (curve: EcCurve): KeyKind => ({ type: 'ec', curve });

type Row = readonly [Purpose, KeyKind, Scheme, HashName?, { hsmOnly: true }?];

const ROWS: Readonly<Record<string, Row>> = {
  GOOGLE_SYMMETRIC_ENCRYPTION: ['ENCRYPT_DECRYPT', secret(32), 'google-symmetric'],
  RSA_SIGN_PSS_2048_SHA256: ['ASYMMETRIC_SIGN', rsa(2048), 'rsa-pss', 'sha256'],
  RSA_SIGN_PSS_3072_SHA256: ['ASYMMETRIC_SIGN', rsa(3072), 'rsa-pss', 'sha256'],
  RSA_SIGN_PSS_4096_SHA256: ['ASYMMETRIC_SIGN', rsa(4096), 'rsa-pss', 'sha256'],
  RSA_SIGN_PSS_4096_SHA512: ['ASYMMETRIC_SIGN', rsa(4096), 'rsa-pss', 'sha512'],
  RSA_SIGN_PKCS1_2048_SHA256: ['ASYMMETRIC_SIGN', rsa(2048), 'rsa-pkcs1', 'sha256'],
  RSA_SIGN_PKCS1_3072_SHA256: ['ASYMMETRIC_SIGN', rsa(3072), 'rsa-pkcs1', 'sha256'],
  RSA_SIGN_PKCS1_4096_SHA256: ['ASYMMETRIC_SIGN', rsa(4096), 'rsa-pkcs1', 'sha256'],
  RSA_SIGN_PKCS1_4096_SHA512: ['ASYMMETRIC_SIGN', rsa(4096), 'rsa-pkcs1', 'sha512'],
  RSA_SIGN_RAW_PKCS1_2048: ['ASYMMETRIC_SIGN', rsa(2048), 'rsa-pkcs1-raw'],
  RSA_SIGN_RAW_PKCS1_3072: ['ASYMMETRIC_SIGN', rsa(3072), 'rsa-pkcs1-raw'],
  RSA_SIGN_RAW_PKCS1_4096: ['ASYMMETRIC_SIGN', rsa(4096), 'rsa-pkcs1-raw'],
  RSA_DECRYPT_OAEP_2048_SHA256: ['ASYMMETRIC_DECRYPT', rsa(2048), 'rsa-oaep', 'sha256'],
  RSA_DECRYPT_OAEP_3072_SHA256: ['ASYMMETRIC_DECRYPT', rsa(3072), 'rsa-oaep', 'sha256'],
  RSA_DECRYPT_OAEP_4096_SHA256: ['ASYMMETRIC_DECRYPT', rsa(4096), 'rsa-oaep', 'sha256'],
  RSA_DECRYPT_OAEP_4096_SHA512: ['ASYMMETRIC_DECRYPT', rsa(4096), 'rsa-oaep', 'sha512'],
  RSA_DECRYPT_OAEP_2048_SHA1: ['ASYMMETRIC_DECRYPT', rsa(2048), 'rsa-oaep', 'sha1'],
  RSA_DECRYPT_OAEP_3072_SHA1: ['ASYMMETRIC_DECRYPT', rsa(3072), 'rsa-oaep', 'sha1'],
  RSA_DECRYPT_OAEP_4096_SHA1: ['ASYMMETRIC_DECRYPT', rsa(4096), 'rsa-oaep', 'sha1'],
  EC_SIGN_P256_SHA256: ['ASYMMETRIC_SIGN', ec('prime256v1'), 'ecdsa', 'sha256'],
  EC_SIGN_P384_SHA384: ['ASYMMETRIC_SIGN', ec('secp384r1'), 'ecdsa', 'sha384'],
  EC_SIGN_SECP256K1_SHA256: [
    'ASYMMETRIC_SIGN',
    ec('secp256k1'),
    'ecdsa',
    'sha256',
    { hsmOnly: true },
  ],
  EC_SIGN_ED25519: ['ASYMMETRIC_SIGN', { type: 'ed25519' }, 'eddsa'],
  HMAC_SHA256: ['MAC', secret(32), 'hmac', 'sha256'],
  HMAC_SHA1: ['MAC', secret(20), 'hmac', 'sha1'],
  HMAC_SHA384: ['MAC', secret(48), 'hmac', 'sha384'],
  HMAC_SHA512: ['MAC', secret(64), 'hmac', 'sha512'],
  HMAC_SHA224: ['MAC', secret(28), 'hmac', 'sha224'],
};

export const ALGORITHMS: ReadonlyMap<string, AlgorithmSpec> = new Map(
  Object.entries(ROWS).map(([name, [purpose, key, scheme, hash, extra]]) => [
    name,
    { name, purpose, key, scheme, ...(hash ? { hash } : {}), ...(extra ?? {}) },
  ]),
);

/** Digest length in bytes per hash, for the `digest` length checks. */
export const HASH_BYTES: Readonly<Record<HashName, number>> = {
  sha1: 20,
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/** The spec of an algorithm the emulator implements; INVALID_ARGUMENT otherwise. */
export function algorithmSpec(name: string): AlgorithmSpec {
  const spec = ALGORITHMS.get(name);
  if (spec === undefined)
    throw invalidArgument(
      name === 'CRYPTO_KEY_VERSION_ALGORITHM_UNSPECIFIED' || name === ''
        ? 'algorithm must be specified.'
        : `Algorithm ${name} is not supported by the Keyplane Cloud KMS emulator.`,
    );
  return spec;
}

/** INVALID_ARGUMENT unless `algorithm` may be used for keys of `purpose`. */
export function checkAlgorithmFitsPurpose(algorithm: string, purpose: string): AlgorithmSpec {
  const spec = algorithmSpec(algorithm);
  if (spec.purpose !== purpose)
    throw invalidArgument(
      `Algorithm ${algorithm} is not compatible with CryptoKey purpose ${purpose} (it is a ${spec.purpose} algorithm).`,
    );
  return spec;
}

export const isSymmetric = (spec: AlgorithmSpec): boolean => spec.key.type === 'secret';
