/**
 * The KmsBackend contract: what the engine needs from AWS KMS, Azure Key Vault / Managed HSM,
 * Google Cloud KMS and PKCS#11 HSMs. One folder per backend implements it; one conformance
 * suite (packages/engine/test/backends/conformance.ts) runs unchanged against all four.
 *
 * Boundary rules every backend follows:
 * - Signatures leave a backend normalized: ECDSA as DER (Azure and PKCS#11 produce raw r‖s and
 *   convert), RSA and Ed25519 as the raw signature bytes.
 * - Errors leave a backend as KeyplaneErrors (errors.ts): NotFoundError, AlreadyExistsError,
 *   KeyStateError, AuthenticationFailedError, Unsupported*Error, BackendError (with the
 *   backend's own code), BackendUnavailableError (after the retry policy gave up). Messages
 *   never contain credentials, PINs or key material.
 * - Every call is bounded by the backend's `maxParallel` limiter and retried on throttling / 5xx
 *   with exponential backoff + jitter honouring Retry-After (common/call-policy.ts).
 * - Objects Keyplane creates carry the tags/labels in {@link KEYPLANE_TAGS} so an interrupted
 *   import is found again and adopted, never duplicated.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { PURPOSES, type Protection, type Purpose } from '../algorithms/clouds';
import type { HashAlgorithmName } from '../algorithms/hashes';
import type { KeyTypeName } from '../algorithms/key-types';
import type { TransferableKey } from '../crypto/token-key';
import type { OaepHash } from '../algorithms/wrapping-algorithms';
import type { RetryOptions } from './common/retry';
import type { CallTimeouts } from './common/timeouts';

/** Backend type names, as the managed-keys API spells them. */
export type BackendType = 'awskms' | 'azurekeyvault' | 'gcpckms' | 'pkcs11';
export const BACKEND_TYPES: readonly BackendType[] = [
  'pkcs11',
  'awskms',
  'azurekeyvault',
  'gcpckms',
];

/** Managed-key usages (Vault's `usages`, https://developer.hashicorp.com/vault/api-docs/system/managed-keys). */
export type KeyUsage = Purpose | 'mac' | 'random';
/** A cloud key's purposes plus what only managed keys name: HMAC and the backend's RNG. */
export const KEY_USAGES: readonly KeyUsage[] = [...PURPOSES, 'mac', 'random'];

/** Key types a backend can hold: every central key type plus HMAC keys (AWS, GCP, PKCS#11). */
export type BackendKeyType = KeyTypeName | 'hmac-sha256';

/** Tag / label names on every object Keyplane creates in a backend. */
export const KEYPLANE_TAGS = {
  /** The Keyplane key (central key name, or managed key name) the object belongs to. */
  key: 'keyplane-key',
  /** The Keyplane version number the object holds (imports), as a decimal string. */
  version: 'keyplane-version',
} as const;

/** Which key in the backend. Names are the backend's own. */
export interface KeyRef {
  /**
   * AWS: an alias (`alias/name`), key id or key ARN. Azure: the key name. GCP: the crypto key id
   * inside the configured key ring. PKCS#11: the key label (`CKA_LABEL`).
   */
  readonly name: string;
  /** PKCS#11 only: `CKA_ID` as hex, instead of or in addition to the label. */
  readonly id?: string | undefined;
  /**
   * A specific version. AWS: a key id (imports create one KMS key per version). Azure: the
   * version string. GCP: the crypto key version number. PKCS#11: ignored (one object per key).
   * @default the backend's current version (AWS: the alias target; Azure: latest; GCP: the
   * highest enabled version; PKCS#11: the object).
   */
  readonly version?: string | undefined;
}

/** What to create when generating a key inside the backend. */
export interface KeySpec {
  readonly keyType: BackendKeyType;
  /** What the key will be used for; selects AWS KeyUsage, Azure key_ops, GCP purpose, PKCS#11 CKA_*. */
  readonly usages: readonly KeyUsage[];
  /** @default 'hsm' */
  readonly protection?: Protection | undefined;
  /**
   * Backend-native algorithm where the backend fixes one per key (GCP `algorithm`, e.g.
   * `RSA_SIGN_PKCS1_4096_SHA512`). Must agree with `keyType` and `usages`.
   */
  readonly algorithm?: string | undefined;
  /** Extra tags / labels (added to {@link KEYPLANE_TAGS}). */
  readonly tags?: Readonly<Record<string, string>> | undefined;
  /**
   * PKCS#11 only: CKA_EXTRACTABLE=true (still CKA_SENSITIVE), so the key can leave the token
   * wrapped — never in plaintext — for BYOK distribution (central keys with origin hsm).
   * @default false
   */
  readonly extractable?: boolean | undefined;
}

/** One signature scheme a key supports. */
export interface SignatureScheme {
  /** Hash algorithm; `undefined` for Ed25519 (pure EdDSA over the message). */
  readonly hash: HashAlgorithmName | undefined;
  /** RSA-PSS (salt length = hash length, MGF1 with the same hash) instead of PKCS#1 v1.5. */
  readonly pss: boolean;
  /** Whether the backend accepts a precomputed digest as input (Ed25519: message only). */
  readonly digestInput: boolean;
}

/** A key as the backend reports it. */
export interface BackendKey {
  readonly backend: BackendType;
  /** The ref it was looked up by (name as given). */
  readonly name: string;
  /** The backend's stable id of the resolved version: ARN, versioned kid, version resource name, CKA_ID hex. */
  readonly id: string;
  /** The resolved version (see {@link KeyRef.version}). */
  readonly version: string;
  readonly keyType: BackendKeyType;
  /** Operations this key can perform in this backend (by key type, AWS KeyUsage, Azure key_ops …). */
  readonly usages: readonly KeyUsage[];
  /** Signature schemes `sign` accepts for this key; empty when it cannot sign. */
  readonly signatures: readonly SignatureScheme[];
  readonly enabled: boolean;
  readonly protection: Protection;
  readonly tags: Readonly<Record<string, string>>;
}

export type VersionState =
  'enabled' | 'disabled' | 'pending-import' | 'pending-deletion' | 'destroyed';

/** One version of a key, for drift detection and adoption. */
export interface BackendKeyVersion {
  readonly version: string;
  readonly id: string;
  readonly state: VersionState;
  readonly keyType: BackendKeyType;
  /** From the {@link KEYPLANE_TAGS}, when the version carries them. */
  readonly keyplaneKey?: string;
  readonly keyplaneVersion?: number;
  /** When the backend reports it. */
  readonly createdAt?: Date;
}

export interface BackendSignOptions {
  /** Required except for Ed25519. */
  readonly hash?: HashAlgorithmName | undefined;
  /** @default false */
  readonly pss?: boolean | undefined;
  /** `message`: the backend (or Keyplane, before calling it) hashes. `digest`: data is the hash. @default 'message' */
  readonly input?: 'message' | 'digest' | undefined;
}

/** Encryption algorithms across backends; each backend supports the rows its cloud has. */
export type EncryptionAlgorithm = 'aes-256-gcm' | 'rsa-oaep-sha1' | 'rsa-oaep-sha256';

export interface BackendEncryptOptions {
  /** @default AES keys: 'aes-256-gcm'; RSA keys: 'rsa-oaep-sha256' (or sha1 where only that exists) */
  readonly algorithm?: EncryptionAlgorithm | undefined;
  /** Additional authenticated data (AES-GCM: AWS EncryptionContext, GCP additional_authenticated_data). */
  readonly aad?: Uint8Array | undefined;
}

/** Everything importKeyVersion needs besides the material. */
export interface ImportOptions {
  /** Keyplane key name recorded in `keyplane-key`. */
  readonly keyplaneKey: string;
  /** Keyplane version recorded in `keyplane-version`. */
  readonly keyplaneVersion: number;
  /** Usages of the imported version in the cloud (AWS KeyUsage, Azure key_ops, GCP purpose). */
  readonly usages: readonly KeyUsage[];
  /** @default 'hsm' */
  readonly protection?: Protection | undefined;
  /** BYOK wrapping algorithm; @default the byok module's default for the target. */
  readonly wrappingAlgorithm?: string | undefined;
}

/** What a backend can do, as data (read from the algorithms tables and the backend's own table). */
export interface BackendCapabilities {
  readonly type: BackendType;
  /** Key types `generateKey` accepts, each with the usages it may be generated for. */
  readonly generate: Readonly<Partial<Record<BackendKeyType, readonly KeyUsage[]>>>;
  /** Key types `importKeyVersion` accepts. */
  readonly import: readonly KeyTypeName[];
  readonly protections: readonly Protection[];
  /** Whether versions are native (Azure, GCP) or one backend key per version (AWS, PKCS#11). */
  readonly nativeVersions: boolean;
}

/** Options every backend accepts. */
export interface BackendCommonOptions {
  /** Concurrent requests in flight to this backend (PKCS#11: session pool size). @default 1 for pkcs11, 16 for clouds */
  readonly maxParallel?: number | undefined;
  readonly retry?: RetryOptions | undefined;
  /** Deadlines per attempt and per call. @default $KEYPLANE_BACKEND_CALL_TIMEOUT_MS / $KEYPLANE_BACKEND_TIMEOUT_MS, else 60 s / 300 s */
  readonly timeout?: CallTimeouts | undefined;
}

/**
 * A KMS / HSM connection. Lifecycle methods (KeyClient-like) and key operations
 * (CryptographyClient-like) share one object because they share one connection and limiter;
 * the managed layer splits them again for callers.
 */
export interface KmsBackend {
  readonly type: BackendType;
  readonly capabilities: BackendCapabilities;

  /** The key (version), or `undefined` when it does not exist. */
  findKey(ref: KeyRef): Promise<BackendKey | undefined>;
  /** Like findKey, but NotFoundError naming `ref.name` when missing. */
  getKey(ref: KeyRef): Promise<BackendKey>;
  /**
   * Generates a key inside the backend under `ref.name`. AlreadyExistsError when it exists;
   * replacing a key is the caller's explicit decision (delete first or a new name).
   */
  generateKey(ref: KeyRef, spec: KeySpec): Promise<BackendKey>;
  /** SPKI public key of an asymmetric key version. */
  getPublicKey(ref: KeyRef): Promise<KeyObject>;

  sign(ref: KeyRef, data: Uint8Array, options: BackendSignOptions): Promise<Buffer>;
  /** false for a wrong signature; throws only for unusable input or backend failure. */
  verify(
    ref: KeyRef,
    data: Uint8Array,
    signature: Uint8Array,
    options: BackendSignOptions,
  ): Promise<boolean>;

  /** Present where the backend can encrypt (ciphertext format is the backend's own for AES). */
  encrypt?(ref: KeyRef, plaintext: Uint8Array, options?: BackendEncryptOptions): Promise<Buffer>;
  decrypt?(ref: KeyRef, ciphertext: Uint8Array, options?: BackendEncryptOptions): Promise<Buffer>;
  /** Key wrapping (Azure wrapkey/unwrapkey, PKCS#11 C_WrapKey-style, OAEP elsewhere). */
  wrapKey?(ref: KeyRef, key: Uint8Array, options?: BackendEncryptOptions): Promise<Buffer>;
  unwrapKey?(ref: KeyRef, wrapped: Uint8Array, options?: BackendEncryptOptions): Promise<Buffer>;
  /** HMAC over `data` with an HMAC key (SHA-256). */
  mac?(ref: KeyRef, data: Uint8Array): Promise<Buffer>;
  verifyMac?(ref: KeyRef, data: Uint8Array, tag: Uint8Array): Promise<boolean>;
  /** Random bytes from the backend's RNG. */
  generateRandom?(length: number): Promise<Buffer>;
  /**
   * PKCS#11: the hybrid BYOK blob RSA-OAEP(kek, K) ‖ AES-KWP(K, key) of an extractable token key,
   * assembled in the token (backends/pkcs11/export.ts).
   */
  exportWrapped?(ref: KeyRef, kek: KeyObject, oaepHash: OaepHash): Promise<Buffer>;

  /**
   * BYOK: fetch the wrapping key (AWS GetParametersForImport, Azure KEK, GCP import job, PKCS#11
   * a session AES key), wrap with byok/<cloud>, import as a new version of `ref`. If a version
   * tagged with the same keyplane key + version already exists it is returned instead: a
   * crashed or repeated import never creates a second copy.
   */
  importKeyVersion(
    ref: KeyRef,
    material: TransferableKey,
    options: ImportOptions,
  ): Promise<BackendKeyVersion>;
  /** Every version of the key with its state and Keyplane tags, oldest first. */
  listVersions(ref: KeyRef): Promise<BackendKeyVersion[]>;
  /** Enables / disables one version (`ref.version` required). */
  setVersionEnabled(ref: KeyRef, enabled: boolean): Promise<BackendKeyVersion>;
  /** Schedules deletion / destruction of one version (`ref.version` required). */
  scheduleVersionDeletion(
    ref: KeyRef,
    options?: { readonly pendingWindowDays?: number | undefined },
  ): Promise<BackendKeyVersion>;

  /** Releases connections, sessions and logins. Idempotent. */
  close(): Promise<void>;
}
