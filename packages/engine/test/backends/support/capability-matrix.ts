/**
 * What each backend must be able to do, hard-coded from the clouds' and PKCS#11's public
 * documentation — NOT read from the backends' own tables, so the conformance suite checks the
 * tables as well as the code: a backend that claims nothing (or too much) fails.
 *
 * - AWS KMS key specs, usages and signing algorithms:
 *   https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html
 *   (each NIST curve signs with one hash; RSA with PKCS#1 v1.5 and PSS over SHA-256/384/512;
 *   RSAES_OAEP_SHA_1 / _SHA_256), importable key material:
 *   https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys.html
 * - Azure Key Vault / Managed HSM key types and operations:
 *   https://learn.microsoft.com/azure/key-vault/keys/about-keys and
 *   https://learn.microsoft.com/azure/key-vault/keys/about-keys-details (RS/PS 256–512,
 *   ES256/384/512 bound to P-256/384/521, RSA-OAEP and RSA-OAEP-256; `oct-HSM` AES keys only in
 *   Managed HSM, where Keyplane uses them for wrapkey/unwrapkey).
 * - Cloud KMS algorithms: https://cloud.google.com/kms/docs/algorithms (one algorithm per key
 *   version, so a generated key signs with its default algorithm's single scheme; no P-521).
 * - PKCS#11 v2.40 mechanisms as SoftHSM 2.6 implements them (CKM_RSA_PKCS with any DigestInfo,
 *   CKM_RSA_PKCS_PSS with the SHA-1/SHA-2 MGF1 functions, CKM_ECDSA over any digest, CKM_EDDSA,
 *   CKM_RSA_PKCS_OAEP with SHA-1 only); unwrapping Edwards PKCS#8 fails, so no Ed25519 import.
 */
import type { KeyTypeName } from '@keyplane/engine';
import type { BackendKeyType, KeyUsage } from '../../../src/backends/contract';

export type OptionalOperation =
  'encrypt' | 'decrypt' | 'wrapKey' | 'unwrapKey' | 'mac' | 'verifyMac' | 'generateRandom';

export interface CapabilityMatrix {
  /** Key types generateKey accepts, each with the usages it can be generated for. */
  readonly generate: Readonly<Partial<Record<BackendKeyType, readonly KeyUsage[]>>>;
  readonly import: readonly KeyTypeName[];
  readonly protections: readonly ('hsm' | 'software')[];
  readonly nativeVersions: boolean;
  /** The schemes a generated signing key claims: `<hash>` or `<hash>/pss`, `pure` for EdDSA. */
  readonly signatures: Readonly<Partial<Record<KeyTypeName, readonly string[]>>>;
  /** The optional KmsBackend methods the backend implements. */
  readonly operations: readonly OptionalOperation[];
  /** OAEP hashes an RSA decrypt key accepts; the other one is ERR_UNSUPPORTED_OPERATION. */
  readonly oaep: readonly ('rsa-oaep-sha1' | 'rsa-oaep-sha256')[];
  /** Whether the fixture can inject retryable server errors (the emulators can, SoftHSM not). */
  readonly faultInjection: boolean;
}

const SIGN: readonly KeyUsage[] = ['sign', 'verify'];
const CRYPT: readonly KeyUsage[] = ['encrypt', 'decrypt'];
const WRAP: readonly KeyUsage[] = ['wrap', 'unwrap'];
const RSA_TYPES = ['rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
const EC_TYPES = ['ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521'] as const;
const SHA2 = ['sha2-256', 'sha2-384', 'sha2-512'];
const ALL_HASHES = [
  'sha1',
  'sha2-224',
  'sha2-256',
  'sha2-384',
  'sha2-512',
  'sha3-224',
  'sha3-256',
  'sha3-384',
  'sha3-512',
];
const PSS_HASHES = ['sha1', 'sha2-224', 'sha2-256', 'sha2-384', 'sha2-512'];

const each = <V>(types: readonly KeyTypeName[], value: V): Partial<Record<KeyTypeName, V>> =>
  Object.fromEntries(types.map((t) => [t, value]));

const pkcs1AndPss = (hashes: readonly string[], pssHashes: readonly string[]) => [
  ...hashes,
  ...pssHashes.map((h) => `${h}/pss`),
];

/** Each NIST curve with the one hash the clouds bind it to (ES256 / ECDSA_SHA_256 …). */
const CURVE_HASH = {
  'ecdsa-p256': ['sha2-256'],
  'ecdsa-p384': ['sha2-384'],
  'ecdsa-p521': ['sha2-512'],
};

export const AWS_KMS: CapabilityMatrix = {
  generate: {
    'aes256-gcm96': CRYPT,
    ...each(RSA_TYPES, [...SIGN, ...CRYPT]),
    ...each(EC_TYPES, SIGN),
    'hmac-sha256': ['mac'],
  },
  import: ['aes256-gcm96', ...RSA_TYPES, ...EC_TYPES],
  protections: ['hsm'],
  nativeVersions: false,
  signatures: { ...each(RSA_TYPES, pkcs1AndPss(SHA2, SHA2)), ...CURVE_HASH },
  operations: ['encrypt', 'decrypt', 'mac', 'verifyMac'],
  oaep: ['rsa-oaep-sha1', 'rsa-oaep-sha256'],
  faultInjection: true,
};

const AZURE_COMMON = {
  nativeVersions: true,
  signatures: { ...each(RSA_TYPES, pkcs1AndPss(SHA2, SHA2)), ...CURVE_HASH },
  operations: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
  oaep: ['rsa-oaep-sha1', 'rsa-oaep-sha256'],
  faultInjection: true,
} as const;

export const AZURE_KEY_VAULT: CapabilityMatrix = {
  ...AZURE_COMMON,
  generate: { ...each(RSA_TYPES, [...SIGN, ...CRYPT, ...WRAP]), ...each(EC_TYPES, SIGN) },
  import: [...RSA_TYPES],
  protections: ['hsm', 'software'],
};

export const AZURE_MANAGED_HSM: CapabilityMatrix = {
  ...AZURE_COMMON,
  generate: {
    ...each(RSA_TYPES, [...SIGN, ...CRYPT, ...WRAP]),
    ...each(EC_TYPES, SIGN),
    'aes256-gcm96': WRAP,
  },
  import: [...RSA_TYPES, ...EC_TYPES],
  protections: ['hsm'],
};

export const GCP_KMS: CapabilityMatrix = {
  generate: {
    ...each(RSA_TYPES, [...SIGN, ...CRYPT]),
    'ecdsa-p256': SIGN,
    'ecdsa-p384': SIGN,
    ed25519: SIGN,
    'aes256-gcm96': CRYPT,
    'hmac-sha256': ['mac'],
  },
  import: ['aes256-gcm96', ...RSA_TYPES, 'ecdsa-p256', 'ecdsa-p384', 'ed25519'],
  protections: ['hsm', 'software'],
  nativeVersions: true,
  // Defaults: RSA_SIGN_PKCS1_<bits>_SHA256, EC_SIGN_P256_SHA256, EC_SIGN_P384_SHA384, EC_SIGN_ED25519.
  signatures: {
    ...each(RSA_TYPES, ['sha2-256']),
    'ecdsa-p256': ['sha2-256'],
    'ecdsa-p384': ['sha2-384'],
    ed25519: ['pure'],
  },
  operations: ['encrypt', 'decrypt', 'mac', 'verifyMac', 'generateRandom'],
  oaep: ['rsa-oaep-sha256'],
  faultInjection: true,
};

export const PKCS11_SOFTHSM: CapabilityMatrix = {
  generate: {
    ...each(RSA_TYPES, [...SIGN, ...CRYPT, ...WRAP]),
    ...each(EC_TYPES, SIGN),
    ed25519: SIGN,
    'aes256-gcm96': [...CRYPT, ...WRAP],
    'hmac-sha256': ['mac'],
  },
  import: ['aes256-gcm96', ...RSA_TYPES, ...EC_TYPES],
  protections: ['hsm'],
  nativeVersions: false,
  signatures: {
    ...each(RSA_TYPES, pkcs1AndPss(ALL_HASHES, PSS_HASHES)),
    ...each(EC_TYPES, ALL_HASHES),
    ed25519: ['pure'],
  },
  operations: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'mac', 'verifyMac', 'generateRandom'],
  oaep: ['rsa-oaep-sha1'],
  faultInjection: false,
};
