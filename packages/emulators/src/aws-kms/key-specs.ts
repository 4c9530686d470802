/**
 * AWS KMS key specs, key usages and algorithms as data (AWS KMS API reference: CreateKey,
 * KeyMetadata, Sign, Encrypt, GenerateMac, GetParametersForImport; developer guide "Key spec
 * reference" and "Requirements for imported key material"). Operations look everything up here
 * so a new spec is one table row.
 *
 * @module
 */

export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC';
export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
export type EcCurve = 'P-256' | 'P-384' | 'P-521';

interface SpecBase {
  readonly usages: readonly KeyUsage[];
  readonly encryption?: readonly string[];
  readonly signing?: readonly string[];
  readonly mac?: readonly string[];
}

export type KeySpecInfo =
  | (SpecBase & { readonly family: 'symmetric'; readonly bytes: 32 })
  | (SpecBase & { readonly family: 'rsa'; readonly bits: number })
  | (SpecBase & { readonly family: 'ecc'; readonly curve: EcCurve; readonly nodeCurve: string })
  | (SpecBase & { readonly family: 'eddsa' })
  | (SpecBase & {
      readonly family: 'hmac';
      readonly hash: HashName;
      /** Imported HMAC key length bounds in bytes (AWS "Requirements for imported key material"). */
      readonly minBytes: number;
      readonly maxBytes: number;
    });

const RSA_ENCRYPTION = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const;
const RSA_SIGNING = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
] as const;

const rsa = (bits: number): KeySpecInfo => ({
  family: 'rsa',
  bits,
  usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  encryption: RSA_ENCRYPTION,
  signing: RSA_SIGNING,
});

// Each NIST curve signs with exactly one hash in AWS KMS (P-256/SHA-256, P-384/SHA-384,
// P-521/SHA-512). KEY_AGREEMENT usage exists in AWS but is out of the emulator's scope.
const ecc = (curve: EcCurve, nodeCurve: string, signing: string): KeySpecInfo => ({
  family: 'ecc',
  curve,
  nodeCurve,
  usages: ['SIGN_VERIFY'],
  signing: [signing],
});

const hmac = (hash: HashName, mac: string, minBytes: number, maxBytes: number): KeySpecInfo => ({
  family: 'hmac',
  hash,
  minBytes,
  maxBytes,
  usages: ['GENERATE_VERIFY_MAC'],
  mac: [mac],
});

export const KEY_SPECS: Readonly<Record<string, KeySpecInfo>> = {
  SYMMETRIC_DEFAULT: {
    family: 'symmetric',
    bytes: 32,
    usages: ['ENCRYPT_DECRYPT'],
    encryption: ['SYMMETRIC_DEFAULT'],
  },
  RSA_2048: rsa(2048),
  RSA_3072: rsa(3072),
  RSA_4096: rsa(4096),
  ECC_NIST_P256: ecc('P-256', 'prime256v1', 'ECDSA_SHA_256'),
  ECC_NIST_P384: ecc('P-384', 'secp384r1', 'ECDSA_SHA_384'),
  ECC_NIST_P521: ecc('P-521', 'secp521r1', 'ECDSA_SHA_512'),
  // Ed25519 (RFC 8032). ED25519_PH_SHA_512 (Ed25519ph) is listed as AWS lists it, but the
  // emulator refuses it: node:crypto / OpenSSL 3.0 offer pure Ed25519 only.
  ECC_NIST_EDWARDS25519: {
    family: 'eddsa',
    usages: ['SIGN_VERIFY'],
    signing: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
  },
  HMAC_224: hmac('sha224', 'HMAC_SHA_224', 28, 64),
  HMAC_256: hmac('sha256', 'HMAC_SHA_256', 32, 64),
  HMAC_384: hmac('sha384', 'HMAC_SHA_384', 48, 128),
  HMAC_512: hmac('sha512', 'HMAC_SHA_512', 64, 128),
};

/** Key specs AWS has that the emulator deliberately does not implement. */
export const UNSUPPORTED_KEY_SPECS = [
  'ECC_SECG_P256K1',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'SM2',
] as const;

export const KEY_USAGES: readonly string[] = [
  'ENCRYPT_DECRYPT',
  'SIGN_VERIFY',
  'GENERATE_VERIFY_MAC',
  'KEY_AGREEMENT',
];

export interface SigningAlgorithmInfo {
  readonly scheme: 'pss' | 'pkcs1' | 'ecdsa' | 'eddsa';
  readonly hash: HashName;
  /** Digest length for MessageType DIGEST; undefined = RAW messages only (ED25519_SHA_512). */
  readonly hashBytes?: number;
}

export const SIGNING_ALGORITHMS: Readonly<Record<string, SigningAlgorithmInfo>> = {
  RSASSA_PSS_SHA_256: { scheme: 'pss', hash: 'sha256', hashBytes: 32 },
  RSASSA_PSS_SHA_384: { scheme: 'pss', hash: 'sha384', hashBytes: 48 },
  RSASSA_PSS_SHA_512: { scheme: 'pss', hash: 'sha512', hashBytes: 64 },
  RSASSA_PKCS1_V1_5_SHA_256: { scheme: 'pkcs1', hash: 'sha256', hashBytes: 32 },
  RSASSA_PKCS1_V1_5_SHA_384: { scheme: 'pkcs1', hash: 'sha384', hashBytes: 48 },
  RSASSA_PKCS1_V1_5_SHA_512: { scheme: 'pkcs1', hash: 'sha512', hashBytes: 64 },
  ECDSA_SHA_256: { scheme: 'ecdsa', hash: 'sha256', hashBytes: 32 },
  ECDSA_SHA_384: { scheme: 'ecdsa', hash: 'sha384', hashBytes: 48 },
  ECDSA_SHA_512: { scheme: 'ecdsa', hash: 'sha512', hashBytes: 64 },
  ED25519_SHA_512: { scheme: 'eddsa', hash: 'sha512' },
};

/** RSA encryption algorithms → OAEP hash (MGF1 uses the same hash, empty label). */
export const RSA_ENCRYPTION_HASH: Readonly<Record<string, HashName>> = {
  RSAES_OAEP_SHA_1: 'sha1',
  RSAES_OAEP_SHA_256: 'sha256',
};

export const ENCRYPTION_ALGORITHMS: readonly string[] = [
  'SYMMETRIC_DEFAULT',
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'SM2PKE',
];

export const MAC_ALGORITHMS: Readonly<Record<string, HashName>> = {
  HMAC_SHA_224: 'sha224',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

export interface WrappingAlgorithmInfo {
  /** Hybrid = RSA-OAEP(AES key) ‖ RFC 5649 KWP(material); direct = RSA-OAEP(material). */
  readonly scheme: 'hybrid' | 'direct';
  readonly hash: HashName;
}

export const WRAPPING_ALGORITHMS: Readonly<Record<string, WrappingAlgorithmInfo>> = {
  RSAES_OAEP_SHA_1: { scheme: 'direct', hash: 'sha1' },
  RSAES_OAEP_SHA_256: { scheme: 'direct', hash: 'sha256' },
  RSA_AES_KEY_WRAP_SHA_1: { scheme: 'hybrid', hash: 'sha1' },
  RSA_AES_KEY_WRAP_SHA_256: { scheme: 'hybrid', hash: 'sha256' },
};

/** Enum values the SDK knows but AWS no longer (or only in China) accepts. */
export const RETIRED_WRAPPING_ALGORITHMS: readonly string[] = ['RSAES_PKCS1_V1_5', 'SM2PKE'];

export const WRAPPING_KEY_SPECS: Readonly<Record<string, number>> = {
  RSA_2048: 2048,
  RSA_3072: 3072,
  RSA_4096: 4096,
};

/** The algorithm lists KeyMetadata / GetPublicKey report for a spec + usage. */
export function algorithmsFor(
  spec: KeySpecInfo,
  usage: KeyUsage,
): {
  EncryptionAlgorithms?: readonly string[];
  SigningAlgorithms?: readonly string[];
  MacAlgorithms?: readonly string[];
} {
  if (usage === 'ENCRYPT_DECRYPT') return { EncryptionAlgorithms: spec.encryption ?? [] };
  if (usage === 'SIGN_VERIFY') return { SigningAlgorithms: spec.signing ?? [] };
  return { MacAlgorithms: spec.mac ?? [] };
}

/** OAEP plaintext limit: k − 2·hLen − 2 (RFC 8017 §7.1.1). */
export function oaepMaxBytes(modulusBits: number, hash: HashName): number {
  const hLen = hash === 'sha1' ? 20 : 32;
  return Math.ceil(modulusBits / 8) - 2 * hLen - 2;
}
