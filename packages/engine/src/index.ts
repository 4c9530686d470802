/**
 * @keyplane/engine — the public surface, as a deliberate list of names (no `export *`), grouped
 * by area. Adding or removing a name changes packages/engine/etc/engine.api.md, which CI checks
 * (`npm run api:check`), so a change to the surface is visible in review. Test seams and
 * building blocks of other packages' internals live in `@keyplane/engine/internal`.
 *
 * Spelling: camelCase in TypeScript; Vault's snake_case only where Vault's wire parameters are
 * accepted as they are (managed-key parameters, signing-key options, test/sign results).
 *
 * @module
 */

// Errors: one class per stable code (test with isKeyplaneError, branch on code).
export {
  AlreadyExistsError,
  AmbiguousKeyError,
  AuthenticationFailedError,
  BackendError,
  BackendUnavailableError,
  ConflictError,
  DecryptionFailedError,
  InUseError,
  IntegrityError,
  InvalidArgumentError,
  InvalidDigestError,
  InvalidKeyMaterialError,
  InvalidSignatureEncodingError,
  InvalidWrappingKeyError,
  KeyStateError,
  KeyTooLargeForWrappingError,
  KeyplaneError,
  MissingParameterError,
  NotFoundError,
  NotPermittedError,
  SealError,
  StoreError,
  UnsupportedHashAlgorithmError,
  UnsupportedKeyTypeError,
  UnsupportedOperationError,
  UnsupportedProtectionError,
  UnsupportedPurposeError,
  UnsupportedTargetError,
  UnsupportedWrappingAlgorithmError,
  UsageNotAllowedError,
  isKeyplaneError,
} from './errors';
export type {
  BackendErrorDetails,
  KeyplaneDiagnostic,
  KeyplaneErrorCode,
  KeyplaneErrorDetails,
  StoreFailure,
} from './errors';

// Key types, hashes, cloud compatibility and wrapping-algorithm tables.
export {
  AZURE_SERVICES,
  BYOK_TARGET_NAMES,
  KMS_PROVIDERS,
  KMS_PROVIDER_NAMES,
  PROTECTIONS,
  PURPOSES,
  checkDistribution,
  cloudKeySupport,
  kmsProvider,
  supportedKeyTypes,
} from './algorithms/clouds';
export type {
  AzureService,
  ByokTargetName,
  CloudKeySupport,
  DistributionRequest,
  KmsProvider,
  KmsProviderName,
  PlaintextFormat,
  Protection,
  Purpose,
} from './algorithms/clouds';
export { HASH_ALGORITHMS, HASH_ALGORITHM_NAMES, hashAlgorithm } from './algorithms/hashes';
export type { HashAlgorithm, HashAlgorithmName } from './algorithms/hashes';
export { KEY_TYPES, KEY_TYPE_NAMES, ecdsaTypeForCurve, keyType } from './algorithms/key-types';
export type {
  AesKeyType,
  EcdsaKeyType,
  Ed25519KeyType,
  KeyCapability,
  KeyFamily,
  KeyType,
  KeyTypeName,
  RsaKeyType,
} from './algorithms/key-types';
export {
  WRAPPING_ALGORITHMS,
  wrappingAlgorithm,
  wrappingAlgorithmNames,
} from './algorithms/wrapping-algorithms';
export type {
  OaepHash,
  WrappingAlgorithm,
  WrappingExclusion,
  WrappingScheme,
} from './algorithms/wrapping-algorithms';

// Software crypto: key material, sign/verify, HMAC, AES-GCM, AES-KW(P), RSA-OAEP, ECDSA encodings.
export { aesGcmDecrypt, aesGcmEncrypt } from './crypto/aes-gcm';
export { RFC3394_IV, RFC5649_AIV, aesKeyUnwrap, aesKeyWrap } from './crypto/aes-key-wrap';
export type { KeyWrapMode } from './crypto/aes-key-wrap';
export { ecdsaDerToRaw, ecdsaRawToDer } from './crypto/ecdsa-encoding';
export type { EcdsaSignatureEncoding } from './crypto/ecdsa-encoding';
export { publicKeyFingerprint } from './crypto/fingerprint';
export { hmacSign, hmacVerify } from './crypto/hmac';
export {
  exportPkcs8Pem,
  exportPlaintext,
  generateKeyMaterial,
  importKeyMaterial,
  keyMaterialFromKeyObject,
  keyTypeOf,
  publicKeyOf,
} from './crypto/key-material';
export type { KeyMaterial } from './crypto/key-material';
export { isTokenKey, transferPublicKey } from './crypto/token-key';
export type { TokenKeyMaterial, TransferableKey } from './crypto/token-key';
export { TOKEN_EXPORT_ALGORITHMS } from './algorithms/token-export';
export { oaepCapacity, oaepDecrypt, oaepEncrypt } from './crypto/rsa-oaep';
export { sign, verify } from './crypto/sign';
export type { SignOptions } from './crypto/sign';
export { zeroize } from './crypto/zeroize';

// BYOK: wrap a key for import into AWS KMS, Azure Key Vault / Managed HSM, GCP Cloud KMS.
export { AWS_DEFAULT_WRAPPING_ALGORITHM, wrapForAws } from './byok/aws';
export { AZURE_BYOK_SCHEMA_VERSION, AZURE_WRAPPING_ALGORITHM, wrapForAzure } from './byok/azure';
export type { AzureByokDocument, AzureByokParameters, AzureByokResult } from './byok/azure';
export { wrapForGcp } from './byok/gcp';
export { wrapKeyForImport } from './byok/index';
export type { ByokRequest } from './byok/index';
export type { ByokWrapParameters, ByokWrapResult } from './byok/wrap';
export { parseWrappingKey } from './byok/wrapping-key';
export type { WrappingKey, WrappingKeyInput } from './byok/wrapping-key';

// KMS backends: one contract, four implementations, opened by config.
export type { RetryOptions } from './backends/common/retry';
export type { CallTimeouts } from './backends/common/timeouts';
export type {
  AwsCredentials,
  AwsKmsBackendConfig,
  AzureKeyVaultBackendConfig,
  BackendConfig,
  GcpKmsBackendConfig,
  Pkcs11BackendConfig,
} from './backends/configs';
export { BACKEND_TYPES, KEYPLANE_TAGS, KEY_USAGES } from './backends/contract';
export type {
  BackendCapabilities,
  BackendCommonOptions,
  BackendEncryptOptions,
  BackendKey,
  BackendKeyType,
  BackendKeyVersion,
  BackendSignOptions,
  BackendType,
  EncryptionAlgorithm,
  ImportOptions,
  KeyRef,
  KeySpec,
  KeyUsage,
  KmsBackend,
  SignatureScheme,
  VersionState,
} from './backends/contract';
export { createKmsBackend } from './backends/factory';

// Managed keys (Vault /sys/managed-keys), signing keys, CryptoClient, parameter tables.
export type { Binding, SigningRules } from './managed/backend-binding';
export { CryptoClient } from './managed/crypto-client';
export type { CryptoSignOptions, EncryptOptions, SignResult } from './managed/crypto-client';
export { importRegistry } from './managed/import-registry';
export type { ImportRegistryResult } from './managed/import-registry';
export { ManagedKeys } from './managed/managed-keys';
export type { VersionPublicKey } from './managed/public-keys';
export type {
  KeyIdentityPin,
  ManagedKeysOptions,
  ResolvedManagedKey,
  TestSignOptions,
  TestSignResult,
} from './managed/managed-keys';
export {
  AZURE_ENVIRONMENTS,
  BACKEND_PARAMETERS,
  CURVES,
  GCP_SIGN_ALGORITHMS,
  GENERIC_PARAMETERS,
  PKCS11_MECHANISMS,
  PKCS11_MECHANISM_ROWS,
  RSA_KEY_BITS,
  managedKeyParameters,
} from './managed/parameter-table';
export type {
  MechanismRow,
  ParameterFormat,
  ParameterKind,
  ParameterRow,
  ParameterSpec,
} from './managed/parameter-table';
export { backendType, validateParameters } from './managed/parameters';
export type {
  ParameterValue,
  Parameters,
  ValidateOptions,
  ValidatedParameters,
} from './managed/parameters';
export { REDACTED } from './managed/records';
export type {
  ManagedKeyAttributes,
  ManagedKeyRecord,
  ManagedKeyView,
  SigningKeyAttributes,
  SigningKeyRecord,
  SigningKeyVersion,
} from './managed/records';
export { SigningKeys } from './managed/signing-keys';
export type { CreateSigningKeyOptions } from './managed/signing-keys';
export { formatVersioned, parseVersioned } from './managed/versioned-value';
export type { VersionedValue } from './managed/versioned-value';

// Seals: the data key of the store, wrapped by a passphrase, an HSM or a cloud KMS.
export { SEAL_ENV, openSeal, sealConfigFromEnv } from './seal/config';
export type { SealConfig, SealParameter } from './seal/config';
export { SEAL_TYPES } from './seal/contract';
export type { Seal, SealType } from './seal/contract';
export { KmsSeal } from './seal/kms-seal';
export type { KmsSealOptions } from './seal/kms-seal';
export { PASSPHRASE_SEAL_WARNING, PassphraseSeal, SEAL_PASSPHRASE_ENV } from './seal/passphrase';

// Key store: SQLite / PostgreSQL, namespaces.
export type {
  Attributes,
  JsonValue,
  KeyStore,
  Lease,
  LeaseOptions,
  ListFilter,
  NewRecord,
  RecordChange,
  RecordKind,
  RecordVersion,
  StoreReader,
  StoreRecord,
  StoreStatus,
  StoreTx,
} from './store/contract';
export {
  NAMESPACE_ENV,
  ROOT_NAMESPACE,
  checkNamespacePath,
  parentNamespace,
  resolveNamespace,
} from './store/namespaces';
export {
  DEFAULT_STORE_PATH,
  STORE_ENV,
  openStore,
  parseStoreUrl,
  storeUrlFromEnv,
} from './store/open';
export type { OpenStoreOptions, StoreLocation } from './store/open';
export type { PostgresOptions } from './store/postgres';
export type { StoreOpenOptions } from './store/sql-store';

// Audit: hash-chained entries.
export { GENESIS_HASH, verifyChain } from './audit/entry';
export type { AuditEntry, AuditInput, AuditOutcome, AuditVerification } from './audit/entry';

// Environment variables: one table (also `@keyplane/engine/env`, import-free for start-up paths).
export {
  ENV_VARIABLES,
  NAMESPACE_PATTERN,
  NAMESPACE_RULE,
  envName,
  envOrDefault,
  envVariablesUsedBy,
  formatEnvHelp,
  readEnv,
} from './env';
export type { EnvConcept, EnvReader, EnvVariable } from './env';

// Durations (rotation_period, policy ages).
export { DURATION_PATTERN, formatDuration, parseDuration } from './duration';

// Key policy as code.
export {
  POLICY_VERSIONS,
  parsePolicy,
  parsePolicyJson,
  validatePolicyDocument,
} from './policy/document';
export type {
  EffectivePolicy,
  EffectiveRule,
  NamespaceOverride,
  Policy,
  PolicyDocument,
} from './policy/document';
export { PolicyDocumentError, PolicyViolationError } from './policy/errors';
export type { PolicyViolation } from './policy/errors';
export { enforcePolicy, evaluatePolicy } from './policy/evaluate';
export { POLICY_INTENT_KINDS, parseIntent } from './policy/intents';
export type {
  DistributionIntent,
  KeyIntent,
  KmsConnectionIntent,
  ManagedKeyIntent,
  PolicyIntent,
  PolicyIntentKind,
} from './policy/intents';
export { POLICY_ENV, policySource, policySourceFromEnv } from './policy/env';
export type { PolicySource } from './policy/env';
export { isValidPattern } from './policy/patterns';
export { CURVE_NAMES, POLICY_RULE_NAMES } from './policy/rules';
export type {
  CurveName,
  ManagedKeyFlag,
  OriginKind,
  PolicyRuleName,
  PolicyRules,
  PolicyViolationCode,
} from './policy/rules';
export { policyJsonSchema } from './policy/schema';
export type { PolicyProblem } from './policy/value-kinds';

// Key lifecycle (Vault KMSE keymgmt/): KMS connections, central keys, distribution.
// The pure checks (also `@keyplane/engine/lifecycle-rules`, for synth without the SDKs).
export {
  DEFAULT_PROTECTION,
  azureServiceOf,
  checkCompatible,
  checkDistributionTarget,
  checkKeyCollection,
  checkName,
  cloudKeyName,
  refuseDistributionTarget,
} from './lifecycle/rules';
export type { DistributionTarget } from './lifecycle/rules';
export {
  CONNECTION_OPTIONS,
  Distributions,
  KeyClient,
  HSM_ORIGIN_KEY_TYPES,
  HSM_ORIGIN_TARGETS,
  KmsConnectionClient,
  LifecycleContext,
  ORIGIN_FORMS,
  checkOrigin,
  checkOriginTarget,
} from './lifecycle';
export type {
  DistributeInput,
  DistributionView,
  KeyCreateInput,
  KeyUpdateInput,
  KeyVersionView,
  KeyView,
  KmsConnectionInput,
  KmsView,
  LifecycleOptions,
  RotateDueOptions,
  RotateDueResult,
  Drift,
  DriftKind,
  ReconcileReport,
} from './lifecycle';
