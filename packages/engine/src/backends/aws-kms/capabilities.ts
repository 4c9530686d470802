/**
 * What AWS KMS can do, as data: which Keyplane key types map to which AWS `KeySpec` and
 * `KeyUsage`, the signature schemes per key type with their AWS `SigningAlgorithm` names, the
 * encryption algorithms, and the KeyState → Keyplane state map. Code looks rows up here; nothing
 * else in the backend branches on a key type name.
 *
 * Sources: AWS KMS API reference (CreateKey, Sign, Encrypt, GenerateMac, KeyMetadata) and
 * developer guide "Key spec reference".
 *
 * @module
 */
import type {
  EncryptionAlgorithmSpec,
  KeySpec as AwsKeySpec,
  KeyState,
  KeyUsageType,
  SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { KMS_PROVIDERS, supportedKeyTypes } from '../../algorithms/clouds';
import type { HashAlgorithmName } from '../../algorithms/hashes';
import { table } from '../../algorithms/table';
import type {
  BackendCapabilities,
  BackendKeyType,
  EncryptionAlgorithm,
  KeyUsage,
  VersionState,
} from '../contract';

/** One AWS KeyUsage and the Keyplane usages a key created with it can serve. */
export interface AwsUsageRow {
  readonly awsUsage: KeyUsageType;
  readonly usages: readonly KeyUsage[];
}

export const AWS_USAGES = table<KeyUsageType, AwsUsageRow>({
  ENCRYPT_DECRYPT: { awsUsage: 'ENCRYPT_DECRYPT', usages: ['encrypt', 'decrypt'] },
  SIGN_VERIFY: { awsUsage: 'SIGN_VERIFY', usages: ['sign', 'verify'] },
  GENERATE_VERIFY_MAC: { awsUsage: 'GENERATE_VERIFY_MAC', usages: ['mac'] },
  // Key agreement and ML-KEM keys exist in AWS but Keyplane has no usage for them.
  KEY_AGREEMENT: { awsUsage: 'KEY_AGREEMENT', usages: [] },
  ENCAPSULATE_DECAPSULATE: { awsUsage: 'ENCAPSULATE_DECAPSULATE', usages: [] },
});

export interface AwsSchemeRow {
  readonly hash: HashAlgorithmName;
  readonly pss: boolean;
  readonly algorithm: SigningAlgorithmSpec;
}

const RSA_SCHEMES: readonly AwsSchemeRow[] = [
  { hash: 'sha2-256', pss: false, algorithm: 'RSASSA_PKCS1_V1_5_SHA_256' },
  { hash: 'sha2-384', pss: false, algorithm: 'RSASSA_PKCS1_V1_5_SHA_384' },
  { hash: 'sha2-512', pss: false, algorithm: 'RSASSA_PKCS1_V1_5_SHA_512' },
  { hash: 'sha2-256', pss: true, algorithm: 'RSASSA_PSS_SHA_256' },
  { hash: 'sha2-384', pss: true, algorithm: 'RSASSA_PSS_SHA_384' },
  { hash: 'sha2-512', pss: true, algorithm: 'RSASSA_PSS_SHA_512' },
];

/** A Keyplane key type as AWS holds it. */
export interface AwsKeyTypeRow {
  readonly keyType: BackendKeyType;
  readonly keySpec: AwsKeySpec;
  /**
   * AWS KeyUsage is single-valued: each entry is one way to create the key. generateKey picks
   * the first whose usages cover the requested ones.
   */
  readonly awsUsages: readonly KeyUsageType[];
  /** Signature schemes a SIGN_VERIFY key of this type offers (each curve has one hash in AWS). */
  readonly schemes: readonly AwsSchemeRow[];
}

const rsa = (keyType: BackendKeyType, keySpec: AwsKeySpec): AwsKeyTypeRow => ({
  keyType,
  keySpec,
  awsUsages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'],
  schemes: RSA_SCHEMES,
});

const ecdsa = (
  keyType: BackendKeyType,
  keySpec: AwsKeySpec,
  hash: HashAlgorithmName,
  algorithm: SigningAlgorithmSpec,
): AwsKeyTypeRow => ({
  keyType,
  keySpec,
  awsUsages: ['SIGN_VERIFY'],
  schemes: [{ hash, pss: false, algorithm }],
});

/**
 * Key types Keyplane generates in AWS KMS. Ed25519 (`ECC_NIST_EDWARDS25519`) exists in AWS but is
 * left out: the project's emulator does not implement it, so it could not be tested here.
 */
export const AWS_KEY_TYPES = table<string, AwsKeyTypeRow>({
  'aes256-gcm96': {
    keyType: 'aes256-gcm96',
    keySpec: 'SYMMETRIC_DEFAULT',
    awsUsages: ['ENCRYPT_DECRYPT'],
    schemes: [],
  },
  'rsa-2048': rsa('rsa-2048', 'RSA_2048'),
  'rsa-3072': rsa('rsa-3072', 'RSA_3072'),
  'rsa-4096': rsa('rsa-4096', 'RSA_4096'),
  'ecdsa-p256': ecdsa('ecdsa-p256', 'ECC_NIST_P256', 'sha2-256', 'ECDSA_SHA_256'),
  'ecdsa-p384': ecdsa('ecdsa-p384', 'ECC_NIST_P384', 'sha2-384', 'ECDSA_SHA_384'),
  'ecdsa-p521': ecdsa('ecdsa-p521', 'ECC_NIST_P521', 'sha2-512', 'ECDSA_SHA_512'),
  'hmac-sha256': {
    keyType: 'hmac-sha256',
    keySpec: 'HMAC_256',
    awsUsages: ['GENERATE_VERIFY_MAC'],
    schemes: [],
  },
});

/** AWS KeySpec → Keyplane key type (for keys Keyplane did not create). */
export const KEY_TYPE_BY_SPEC = table<string, AwsKeyTypeRow>(
  Object.fromEntries(Object.values(AWS_KEY_TYPES).map((row) => [row.keySpec, row])),
);

/** Encryption algorithms per Keyplane name; `aes-256-gcm` is AWS's SYMMETRIC_DEFAULT. */
export const AWS_ENCRYPTION = table<EncryptionAlgorithm, EncryptionAlgorithmSpec>({
  'aes-256-gcm': 'SYMMETRIC_DEFAULT',
  'rsa-oaep-sha1': 'RSAES_OAEP_SHA_1',
  'rsa-oaep-sha256': 'RSAES_OAEP_SHA_256',
});

/** Default encryption algorithm per key spec family: the strongest one AWS offers. */
export const DEFAULT_ENCRYPTION = table<string, EncryptionAlgorithm>({
  SYMMETRIC_DEFAULT: 'aes-256-gcm',
  RSA_2048: 'rsa-oaep-sha256',
  RSA_3072: 'rsa-oaep-sha256',
  RSA_4096: 'rsa-oaep-sha256',
});

/** HMAC algorithm per key type (AWS has one per HMAC key spec). */
export const MAC_ALGORITHM = 'HMAC_SHA_256';

/**
 * AWS KeyState → Keyplane version state. States Keyplane has no word for map to the closest
 * unusable one: a key being created / updated / unavailable cannot be used, like a disabled one.
 */
export const VERSION_STATES = table<KeyState, VersionState>({
  Enabled: 'enabled',
  Disabled: 'disabled',
  PendingImport: 'pending-import',
  PendingDeletion: 'pending-deletion',
  PendingReplicaDeletion: 'pending-deletion',
  Creating: 'disabled',
  Updating: 'disabled',
  Unavailable: 'disabled',
});

/** Sign/Verify take at most 4096 bytes of message; larger input is hashed locally first. */
export const MAX_MESSAGE_BYTES = 4096;

/** Extra tag on imported versions: which alias (Keyplane ref) the version belongs to. */
export const ALIAS_TAG = 'keyplane-alias';

/** Encryption context key carrying Keyplane's AAD (AWS has no raw AAD parameter). */
export const AAD_CONTEXT_KEY = 'keyplane-aad';

/** PendingWindowInDays bounds of ScheduleKeyDeletion. */
export const DELETION_WINDOW = { min: 7, max: 30, default: 30 } as const;

export const AWS_KMS_CAPABILITIES: BackendCapabilities = {
  type: 'awskms',
  generate: Object.fromEntries(
    Object.values(AWS_KEY_TYPES).map((row) => [
      row.keyType,
      [...new Set(row.awsUsages.flatMap((u) => AWS_USAGES[u].usages))],
    ]),
  ),
  import: supportedKeyTypes(KMS_PROVIDERS.awskms),
  // Keys in the default AWS KMS key store always live in AWS's HSMs.
  protections: ['hsm'],
  // One KMS key per Keyplane version, joined by an alias.
  nativeVersions: false,
};
