/**
 * @keyplane/engine/internal — building blocks for Keyplane's own packages and tests (retry and
 * concurrency primitives, record codecs, message helpers). Not part of the public API: no
 * compatibility promise, not in the API report.
 *
 * @module
 */

// Errors: one class per stable code (test with isKeyplaneError, branch on code).
export { listAllowed, notAllowedMessage, raiseAll } from './errors';

// Software crypto: key material, sign/verify, HMAC, AES-GCM, AES-KW(P), RSA-OAEP, ECDSA encodings.
export { tryEcdsaDerToRaw } from './crypto/ecdsa-encoding';

// KMS backends: one contract, four implementations, opened by config.
export { CallPolicy } from './backends/common/call-policy';
export type { CallPolicyOptions } from './backends/common/call-policy';
export { ConcurrencyLimiter } from './backends/common/limiter';
export { isLoopbackHost } from './backends/common/loopback';
export {
  DEFAULT_RETRY,
  TRANSIENT_NETWORK_CODES,
  backoffDelay,
  errorCodeOf,
  parseRetryAfter,
  retryPolicy,
  transientNetworkCode,
  withRetry,
} from './backends/common/retry';
export type { RetryClassifier, RetryDecision, RetryEnvironment } from './backends/common/retry';

// Managed keys (Vault /sys/managed-keys), signing keys, CryptoClient, parameter tables.
export { LOCAL_DEV_CREDENTIAL, hostOf, openWithLocalAuth } from './managed/backend-binding';
export {
  checkManagedKeyName,
  managedKeyIn,
  publicKeySha256,
  requireUsage,
} from './managed/managed-keys';
export {
  CURVE_KEY_TYPES,
  GCP_SIGN_ALGORITHM_ROWS,
  MAX_VALUE_LENGTH,
} from './managed/parameter-table';
export {
  checkRequired,
  endpointHost,
  parameterNames,
  parameterSpec,
  parseParameters,
  splitSecrets,
} from './managed/parameters';
export { managedKeyFromStore, parametersOf, storedRecordOf, viewOf } from './managed/records';
export { checkConsumerAllowed, signingKeyMissing } from './managed/signing-keys';

// Key store: SQLite / PostgreSQL, namespaces.
export { RECORD_TABLES, SCHEMA_VERSION } from './store/schema';

// HMAC-SHA256 under one key, many times (store record MAC, audit HMAC).
export { PreparedHmacSha256 } from './crypto/prepared-hmac';

// Audit: hash-chained entries.
export { canonicalJson, entryHash } from './audit/entry';
export { isoTime } from './audit/writer';

// Durations (rotation_period, policy ages).
export { DURATION_MAX_LENGTH } from './duration';

// Key policy as code.
export { describeIntent, policyViolationError } from './policy/evaluate';
