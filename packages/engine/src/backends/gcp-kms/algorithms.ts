/**
 * Cloud KMS `CryptoKeyVersionAlgorithm`s Keyplane uses, as data: which Keyplane key type each
 * one holds, which purpose it serves, and the one signature scheme / OAEP hash it fixes. A GCP
 * key version has exactly ONE algorithm, so a key signs with exactly one (hash, padding) pair —
 * unlike AWS or PKCS#11 where the scheme is chosen per request.
 *
 * Source: resources.proto `CryptoKeyVersionAlgorithm` in @google-cloud/kms 5.7.0
 * (google/cloud/kms/v1/resources.proto). GCP has no P-521 signing, so ecdsa-p521 has no row.
 *
 * @module
 */
import type { HashAlgorithmName } from '../../algorithms/hashes';
import { names, table } from '../../algorithms/table';
import type { EncryptionAlgorithm } from '../contract';
import type { BackendKeyType, KeyUsage, SignatureScheme } from '../contract';

/** Keyplane's names for the four CryptoKey purposes it creates. */
export type PurposeClass = 'sign' | 'asymmetric-decrypt' | 'symmetric' | 'mac';

export type GcpPurpose = 'ASYMMETRIC_SIGN' | 'ASYMMETRIC_DECRYPT' | 'ENCRYPT_DECRYPT' | 'MAC';

export interface PurposeRow {
  readonly gcp: GcpPurpose;
  /** Usages a key of this purpose has (and that a spec may ask for). */
  readonly usages: readonly KeyUsage[];
}

export const PURPOSES = table<PurposeClass, PurposeRow>({
  sign: { gcp: 'ASYMMETRIC_SIGN', usages: ['sign', 'verify'] },
  // Encryption with an ASYMMETRIC_DECRYPT key happens locally with the public key (GCP has no
  // asymmetric Encrypt RPC), so the key serves both usages.
  'asymmetric-decrypt': { gcp: 'ASYMMETRIC_DECRYPT', usages: ['encrypt', 'decrypt'] },
  symmetric: { gcp: 'ENCRYPT_DECRYPT', usages: ['encrypt', 'decrypt'] },
  mac: { gcp: 'MAC', usages: ['mac'] },
});

export interface AlgorithmRow {
  readonly name: string;
  readonly keyType: BackendKeyType;
  readonly purpose: PurposeClass;
  /** The one scheme a signing version supports. */
  readonly signature?: SignatureScheme;
  /** RSA decrypt: the OAEP hash, as the contract's encryption algorithm name. */
  readonly oaep?: EncryptionAlgorithm;
}

const rsaSign = (bits: number, pss: boolean, hash: HashAlgorithmName): AlgorithmRow => ({
  name: `RSA_SIGN_${pss ? 'PSS' : 'PKCS1'}_${String(bits)}_${hash === 'sha2-256' ? 'SHA256' : 'SHA512'}`,
  keyType: `rsa-${String(bits)}` as BackendKeyType,
  purpose: 'sign',
  signature: { hash, pss, digestInput: true },
});

const rsaDecrypt = (bits: number): AlgorithmRow => ({
  name: `RSA_DECRYPT_OAEP_${String(bits)}_SHA256`,
  keyType: `rsa-${String(bits)}` as BackendKeyType,
  purpose: 'asymmetric-decrypt',
  oaep: 'rsa-oaep-sha256',
});

const ROWS: readonly AlgorithmRow[] = [
  // First row per (key type, purpose) is the default for generate and import.
  rsaSign(2048, false, 'sha2-256'),
  rsaSign(3072, false, 'sha2-256'),
  rsaSign(4096, false, 'sha2-256'),
  rsaSign(4096, false, 'sha2-512'),
  rsaSign(2048, true, 'sha2-256'),
  rsaSign(3072, true, 'sha2-256'),
  rsaSign(4096, true, 'sha2-256'),
  rsaSign(4096, true, 'sha2-512'),
  rsaDecrypt(2048),
  rsaDecrypt(3072),
  rsaDecrypt(4096),
  {
    name: 'EC_SIGN_P256_SHA256',
    keyType: 'ecdsa-p256',
    purpose: 'sign',
    signature: { hash: 'sha2-256', pss: false, digestInput: true },
  },
  {
    name: 'EC_SIGN_P384_SHA384',
    keyType: 'ecdsa-p384',
    purpose: 'sign',
    signature: { hash: 'sha2-384', pss: false, digestInput: true },
  },
  // Pure EdDSA: GCP takes `data`, never a digest.
  {
    name: 'EC_SIGN_ED25519',
    keyType: 'ed25519',
    purpose: 'sign',
    signature: { hash: undefined, pss: false, digestInput: false },
  },
  { name: 'GOOGLE_SYMMETRIC_ENCRYPTION', keyType: 'aes256-gcm96', purpose: 'symmetric' },
  { name: 'HMAC_SHA256', keyType: 'hmac-sha256', purpose: 'mac' },
];

export const GCP_ALGORITHMS = table<string, AlgorithmRow>(
  Object.fromEntries(ROWS.map((r) => [r.name, r])),
);

export const GCP_ALGORITHM_NAMES: readonly string[] = names(GCP_ALGORITHMS);

/** Rows for a key type (optionally one purpose), defaults first. */
export function algorithmsFor(keyType: string, purpose?: PurposeClass): AlgorithmRow[] {
  return ROWS.filter(
    (r) => r.keyType === keyType && (purpose === undefined || r.purpose === purpose),
  );
}

/** Purposes a key type can be generated for, in preference order (RSA: signing first). */
export function purposesFor(keyType: string): PurposeClass[] {
  return [...new Set(algorithmsFor(keyType).map((r) => r.purpose))];
}

/** `CryptoKeyVersion.protection_level` ↔ Keyplane protection. */
export const PROTECTION_LEVELS = table<string, 'hsm' | 'software'>({
  HSM: 'hsm',
  SOFTWARE: 'software',
});

/** GCP's digest field per hash (AsymmetricSignRequest.digest oneof). */
export const DIGEST_FIELDS = table<string, 'sha256' | 'sha384' | 'sha512'>({
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
});
