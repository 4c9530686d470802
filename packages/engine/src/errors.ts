/**
 * Typed errors with stable codes. Every error Keyplane raises on purpose is one of these classes;
 * callers branch on `code` (stable across releases), never on the message.
 *
 * Messages name the offending field and echo the offending *name* (an algorithm, a key type, a
 * size) together with the allowed values. They never contain key material, plaintext, or
 * credentials: nothing secret is ever interpolated into a message.
 *
 * @module
 */

/** Every stable error code, in one union. */
export type KeyplaneErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_MISSING_PARAMETER'
  | 'ERR_UNSUPPORTED_TARGET'
  | 'ERR_UNSUPPORTED_KEY_TYPE'
  | 'ERR_UNSUPPORTED_HASH_ALGORITHM'
  | 'ERR_UNSUPPORTED_WRAPPING_ALGORITHM'
  | 'ERR_UNSUPPORTED_PURPOSE'
  | 'ERR_UNSUPPORTED_PROTECTION'
  | 'ERR_UNSUPPORTED_OPERATION'
  | 'ERR_INVALID_WRAPPING_KEY'
  | 'ERR_INVALID_KEY_MATERIAL'
  | 'ERR_KEY_TOO_LARGE_FOR_WRAPPING'
  | 'ERR_INVALID_DIGEST'
  | 'ERR_INVALID_SIGNATURE_ENCODING'
  | 'ERR_DECRYPTION_FAILED'
  | 'ERR_NOT_FOUND'
  | 'ERR_ALREADY_EXISTS'
  | 'ERR_AMBIGUOUS_KEY'
  | 'ERR_KEY_STATE'
  | 'ERR_USAGE_NOT_ALLOWED'
  | 'ERR_NOT_PERMITTED'
  | 'ERR_POLICY_VIOLATION'
  | 'ERR_IN_USE'
  | 'ERR_AUTHENTICATION_FAILED'
  | 'ERR_BACKEND'
  | 'ERR_BACKEND_UNAVAILABLE'
  | 'ERR_CONFLICT'
  | 'ERR_INTEGRITY'
  | 'ERR_SEAL'
  | 'ERR_STORE';

/** Structured context that tools (the Terraform provider, the CLI) turn into diagnostics. */
export interface KeyplaneErrorDetails {
  /** Dotted path of the offending input, e.g. `algorithm` or `wrappingKey.modulusBits`. */
  readonly field?: string | undefined;
  /** The values that would have been accepted, when the set is finite. */
  readonly allowed?: readonly string[] | undefined;
  /** The underlying error, when one exists and is safe to chain. */
  readonly cause?: unknown;
  /** Every problem found, when validation collected more than one (see {@link raiseAll}). */
  readonly diagnostics?: readonly KeyplaneDiagnostic[] | undefined;
}

/**
 * One problem with an input, in terraform-plugin-framework diagnostics terms: a stable code, the
 * attribute path of what the user typed, a message, and the allowed values when the set is finite.
 */
export interface KeyplaneDiagnostic {
  readonly code: KeyplaneErrorCode;
  readonly field: string | undefined;
  readonly message: string;
  readonly allowed: readonly string[] | undefined;
}

/**
 * The brand every KeyplaneError carries (on the prototype). `Symbol.for` keys are shared by the
 * whole process, so the brand is recognised across duplicated installs of this package and
 * across realms (jest's per-test module registry, `vm` contexts), where `instanceof` is not.
 * Pattern from aws-cdk's `core/lib/errors.ts`.
 */
const KEYPLANE_ERROR = Symbol.for('@keyplane/engine.KeyplaneError');

/**
 * Base class. Test with {@link isKeyplaneError} (works across installs), then branch on `code`;
 * `instanceof` only works within one copy of the package.
 */
export abstract class KeyplaneError extends Error {
  abstract readonly code: KeyplaneErrorCode;
  readonly field: string | undefined;
  readonly allowed: readonly string[] | undefined;
  readonly #diagnostics: readonly KeyplaneDiagnostic[] | undefined;

  constructor(message: string, details: KeyplaneErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.field = details.field;
    this.allowed = details.allowed;
    this.#diagnostics = details.diagnostics;
  }

  /** Every problem this error reports: the collected ones, else this error as one diagnostic. */
  get diagnostics(): readonly KeyplaneDiagnostic[] {
    return (
      this.#diagnostics ?? [
        { code: this.code, field: this.field, message: this.message, allowed: this.allowed },
      ]
    );
  }
}
Object.defineProperty(KeyplaneError.prototype, KEYPLANE_ERROR, { value: true });

/** A value has the wrong shape or is out of range. */
export class InvalidArgumentError extends KeyplaneError {
  static readonly code = 'ERR_INVALID_ARGUMENT';
  readonly code = InvalidArgumentError.code;
}

/** A parameter the operation needs was not given (e.g. the Azure KEK `kid`). */
export class MissingParameterError extends KeyplaneError {
  static readonly code = 'ERR_MISSING_PARAMETER';
  readonly code = MissingParameterError.code;
}

/** The BYOK target / KMS provider name is not one Keyplane knows. */
export class UnsupportedTargetError extends KeyplaneError {
  static readonly code = 'ERR_UNSUPPORTED_TARGET';
  readonly code = UnsupportedTargetError.code;
}

/** Unknown key type, or a key type the target, algorithm or operation refuses. */
export class UnsupportedKeyTypeError extends KeyplaneError {
  static readonly code = 'ERR_UNSUPPORTED_KEY_TYPE';
  readonly code = UnsupportedKeyTypeError.code;
}

/** Unknown hash algorithm, or one the operation refuses. */
export class UnsupportedHashAlgorithmError extends KeyplaneError {
  static readonly code = 'ERR_UNSUPPORTED_HASH_ALGORITHM';
  readonly code = UnsupportedHashAlgorithmError.code;
}

/** Unknown BYOK wrapping algorithm / import method for the target. */
export class UnsupportedWrappingAlgorithmError extends KeyplaneError {
  static readonly code = 'ERR_UNSUPPORTED_WRAPPING_ALGORITHM';
  readonly code = UnsupportedWrappingAlgorithmError.code;
}

/** A key purpose the target cloud does not allow for the key type. */
export class UnsupportedPurposeError extends KeyplaneError {
  static readonly code = 'ERR_UNSUPPORTED_PURPOSE';
  readonly code = UnsupportedPurposeError.code;
}

/** A protection level (`hsm` / `software`) the target cloud does not offer for the key type. */
export class UnsupportedProtectionError extends KeyplaneError {
  static readonly code = 'ERR_UNSUPPORTED_PROTECTION';
  readonly code = UnsupportedProtectionError.code;
}

/** The key type cannot perform the requested operation (e.g. sign a digest with Ed25519). */
export class UnsupportedOperationError extends KeyplaneError {
  static readonly code = 'ERR_UNSUPPORTED_OPERATION';
  readonly code = UnsupportedOperationError.code;
}

/** The wrapping key (KEK) is unparsable, not RSA, or of a size the algorithm refuses. */
export class InvalidWrappingKeyError extends KeyplaneError {
  static readonly code = 'ERR_INVALID_WRAPPING_KEY';
  readonly code = InvalidWrappingKeyError.code;
}

/** Key material is unparsable, of the wrong length, or not of the declared key type. */
export class InvalidKeyMaterialError extends KeyplaneError {
  static readonly code = 'ERR_INVALID_KEY_MATERIAL';
  readonly code = InvalidKeyMaterialError.code;
}

/** Direct RSA-OAEP cannot carry this much material under this KEK. */
export class KeyTooLargeForWrappingError extends KeyplaneError {
  static readonly code = 'ERR_KEY_TOO_LARGE_FOR_WRAPPING';
  readonly code = KeyTooLargeForWrappingError.code;
}

/** A precomputed digest has the wrong length for its hash algorithm. */
export class InvalidDigestError extends KeyplaneError {
  static readonly code = 'ERR_INVALID_DIGEST';
  readonly code = InvalidDigestError.code;
}

/** A signature is not valid DER / raw r||s for the curve. */
export class InvalidSignatureEncodingError extends KeyplaneError {
  static readonly code = 'ERR_INVALID_SIGNATURE_ENCODING';
  readonly code = InvalidSignatureEncodingError.code;
}

/** Authenticated decryption or key unwrap failed. Deliberately says nothing more. */
export class DecryptionFailedError extends KeyplaneError {
  static readonly code = 'ERR_DECRYPTION_FAILED';
  readonly code = DecryptionFailedError.code;
  constructor(details: KeyplaneErrorDetails = {}) {
    super('decryption failed: wrong key or corrupted ciphertext', details);
  }
}

/** A key (in a backend) or a registry entry (managed key, signing key) does not exist. */
export class NotFoundError extends KeyplaneError {
  static readonly code = 'ERR_NOT_FOUND';
  readonly code = NotFoundError.code;
}

/** A name is taken: a registry entry, or a backend key Keyplane was asked to create. */
export class AlreadyExistsError extends KeyplaneError {
  static readonly code = 'ERR_ALREADY_EXISTS';
  readonly code = AlreadyExistsError.code;
}

/** The key (version) exists but its state forbids the operation: disabled, pending deletion, … */
export class KeyStateError extends KeyplaneError {
  static readonly code = 'ERR_KEY_STATE';
  readonly code = KeyStateError.code;
}

/** The operation is not among the managed key's `usages`. */
export class UsageNotAllowedError extends KeyplaneError {
  static readonly code = 'ERR_USAGE_NOT_ALLOWED';
  readonly code = UsageNotAllowedError.code;
}

/**
 * A policy flag forbids the action: `allow_generate_key`, `allow_replace_key`,
 * `allow_store_key`, or a consumer not allowed to use a managed key (`any_mount`).
 */
export class NotPermittedError extends KeyplaneError {
  static readonly code = 'ERR_NOT_PERMITTED';
  readonly code = NotPermittedError.code;
}

/** Deletion refused because something still references the object. */
export class InUseError extends KeyplaneError {
  static readonly code = 'ERR_IN_USE';
  readonly code = InUseError.code;
}

/**
 * A name (PKCS#11 label) designates more than one backend key: Keyplane never picks one; the
 * message names every candidate's id so one can be chosen (key_id) or the extras removed.
 */
export class AmbiguousKeyError extends KeyplaneError {
  static readonly code = 'ERR_AMBIGUOUS_KEY';
  readonly code = AmbiguousKeyError.code;
}

/** The backend refused the credentials (bad PIN, bad client secret, expired token). */
export class AuthenticationFailedError extends KeyplaneError {
  static readonly code = 'ERR_AUTHENTICATION_FAILED';
  readonly code = AuthenticationFailedError.code;
}

/** Details of a backend failure: which backend and the backend's own error code. */
export interface BackendErrorDetails extends KeyplaneErrorDetails {
  /** The cloud's / library's error name (`NotFoundException`, `CKR_PIN_INCORRECT`, `9`). */
  readonly backendCode?: string | undefined;
}

/** The backend answered with an error Keyplane has no more specific class for. */
export class BackendError extends KeyplaneError {
  static readonly code = 'ERR_BACKEND';
  readonly code = BackendError.code;
  readonly backendCode: string | undefined;
  constructor(message: string, details: BackendErrorDetails = {}) {
    super(message, details);
    this.backendCode = details.backendCode;
  }
}

/** Throttling or server errors persisted through every retry the policy allowed. */
export class BackendUnavailableError extends KeyplaneError {
  static readonly code = 'ERR_BACKEND_UNAVAILABLE';
  readonly code = BackendUnavailableError.code;
  readonly backendCode: string | undefined;
  readonly attempts: number;
  constructor(message: string, details: BackendErrorDetails & { attempts: number }) {
    super(message, details);
    this.backendCode = details.backendCode;
    this.attempts = details.attempts;
  }
}

/**
 * Optimistic concurrency: the record changed (or a lease is held) since it was read. Retryable:
 * read again and re-apply the change.
 */
export class ConflictError extends KeyplaneError {
  static readonly code = 'ERR_CONFLICT';
  readonly code = ConflictError.code;
  readonly retryable = true;
}

/** A stored record (or the audit chain) fails its integrity check: edited, swapped or corrupted. */
export class IntegrityError extends KeyplaneError {
  static readonly code = 'ERR_INTEGRITY';
  readonly code = IntegrityError.code;
}

/** The store's data key cannot be unsealed with the configured seal (wrong seal / passphrase). */
export class SealError extends KeyplaneError {
  static readonly code = 'ERR_SEAL';
  readonly code = SealError.code;
}

/** Why the key store failed, for callers that branch (`reason`), not only read the message. */
export type StoreFailure =
  | 'unreachable'
  | 'read-only'
  | 'disk-full'
  | 'schema-too-new'
  | 'not-initialized'
  | 'busy'
  | 'io'
  | 'tls';

/** The key store cannot be opened or written (see `reason`). */
export class StoreError extends KeyplaneError {
  static readonly code = 'ERR_STORE';
  readonly code = StoreError.code;
  readonly reason: StoreFailure;
  constructor(message: string, details: KeyplaneErrorDetails & { reason: StoreFailure }) {
    super(message, details);
    this.reason = details.reason;
  }
}

/**
 * Throws the problems a validation collected: nothing when there are none, the error itself when
 * there is one, else an error of the first problem's class whose message lists them all and
 * whose `diagnostics` carry each one (field and allowed values of the first, for callers that
 * look at one field only).
 */
export function raiseAll(problems: readonly KeyplaneError[], subject: string): void {
  const [first] = problems;
  if (first === undefined) return;
  if (problems.length === 1) throw first;
  const Class = first.constructor as new (m: string, d: KeyplaneErrorDetails) => KeyplaneError;
  throw new Class(
    `${String(problems.length)} problems with ${subject}: ${problems.map((p) => p.message).join('; ')}`,
    {
      field: first.field,
      allowed: first.allowed,
      diagnostics: problems.flatMap((p) => p.diagnostics),
    },
  );
}

/** Joins allowed values for messages: `a, b, c`. */
export function listAllowed(allowed: readonly string[]): string {
  return allowed.join(', ');
}

/**
 * Builds the uniform "field 'value' is not …; allowed: …" message used across the engine, so
 * every refusal reads the same way.
 */
export function notAllowedMessage(
  field: string,
  value: string,
  context: string,
  allowed: readonly string[],
): string {
  const where = context === '' ? '' : ` ${context}`;
  const options = allowed.length === 0 ? 'none' : listAllowed(allowed);
  return `${field} '${value}' is not supported${where}; allowed: ${options}`;
}

/**
 * True for errors Keyplane raised, from any installed copy of the engine: checks the brand, not
 * the prototype chain or the code's spelling. Node's own errors (`ERR_OSSL_*`,
 * `ERR_OUT_OF_RANGE`, …) and SDK errors are not Keyplane errors, whatever their `code`.
 */
export function isKeyplaneError(e: unknown): e is KeyplaneError {
  return (
    typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[KEYPLANE_ERROR] === true
  );
}
