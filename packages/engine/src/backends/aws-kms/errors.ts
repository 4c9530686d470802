/**
 * AWS KMS failures → retry decisions and KeyplaneErrors. The SDK's exceptions carry the AWS
 * error name (`e.name`, also for types the SDK does not model, which surface as
 * KMSServiceException with that name), `$fault` and the HTTP status in `$metadata`.
 *
 * @module
 */
import {
  errorCodeOf,
  parseRetryAfter,
  transientNetworkCode,
  type RetryDecision,
} from '../common/retry';
import {
  AlreadyExistsError,
  AuthenticationFailedError,
  BackendError,
  DecryptionFailedError,
  KeyStateError,
  NotFoundError,
  isKeyplaneError,
} from '../../errors';
import { table, lookup } from '../../algorithms/table';

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $response?: { readonly headers?: Readonly<Record<string, string | undefined>> };
}

const shape = (error: unknown): SdkErrorShape =>
  typeof error === 'object' && error !== null ? error : {};

/** AWS error names worth another attempt: throttling and AWS-side failures. */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'KMSInternalException',
  'DependencyTimeoutException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** JavaScript's own error names: an error named so is not an AWS answer but a local failure. */
const GENERIC_NAMES: ReadonlySet<string> = new Set(['Error', 'RangeError', 'TypeError']);

/** The AWS error name; for a plain Node error (`RangeError` …) its code (`ERR_OUT_OF_RANGE`). */
function awsName(error: unknown): string {
  const name = shape(error).name ?? 'Error';
  return GENERIC_NAMES.has(name) ? (errorCodeOf(error) ?? name) : name;
}

/**
 * Failures after which AWS certainly did not act on the request: repeating a create is safe.
 * A 5xx or a reset connection may come after the key was created, so a retried CreateKey could
 * make a second one.
 */
const NOT_EXECUTED = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** Marks an error the classifier must not retry (set on ambiguous failures of creates). */
const NO_RETRY = Symbol('keyplane.aws.noRetry');

/**
 * For non-idempotent requests (CreateKey, CreateAlias): keeps an error retryable only when AWS
 * certainly did not execute the request; otherwise marks it final.
 */
export function retryOnlyIfNotExecuted(error: unknown): unknown {
  const decision = classifyAwsError(error);
  if (!decision.retryable || NOT_EXECUTED.has(decision.code ?? '')) return error;
  if (typeof error === 'object' && error !== null) {
    Object.defineProperty(error, NO_RETRY, { value: true });
  }
  return error;
}

/** CallPolicy classifier: throttling, 5xx and dropped connections are retried. */
export function classifyAwsError(error: unknown): RetryDecision {
  if (isKeyplaneError(error)) return { retryable: false };
  const e = shape(error);
  const name = awsName(error);
  if (typeof error === 'object' && error !== null && NO_RETRY in error) {
    return { retryable: false, code: name };
  }
  const status = e.$metadata?.httpStatusCode;
  const network = transientNetworkCode(error);
  const retryable =
    RETRYABLE_NAMES.has(name) || (status !== undefined && status >= 500) || network !== undefined;
  if (!retryable) return { retryable: false, code: name };
  // AWS KMS does not send Retry-After, but a proxy or endpoint in front of it may.
  const retryAfterMs = parseRetryAfter(e.$response?.headers?.['retry-after']);
  const code = network ?? name;
  return retryAfterMs === undefined ? { retryable, code } : { retryable, code, retryAfterMs };
}

type ErrorFactory = (what: string, name: string, error: unknown) => Error;

const stateError: ErrorFactory = (what, name, cause) =>
  new KeyStateError(`${what}: the key's state does not allow this (${name})`, {
    field: 'name',
    cause,
  });

const authError: ErrorFactory = (what, name, cause) =>
  new AuthenticationFailedError(`${what}: AWS refused the credentials or permissions (${name})`, {
    cause,
  });

/** AWS error name → the KeyplaneError it becomes. Names not listed become BackendError. */
const ERROR_MAP = table<string, ErrorFactory>({
  NotFoundException: (what, name, cause) =>
    new NotFoundError(`${what}: key not found in AWS KMS (${name})`, { field: 'name', cause }),
  AlreadyExistsException: (what, name, cause) =>
    new AlreadyExistsError(`${what}: already exists in AWS KMS (${name})`, {
      field: 'name',
      cause,
    }),
  DisabledException: stateError,
  KMSInvalidStateException: stateError,
  InvalidCiphertextException: (_what, _name, cause) => new DecryptionFailedError({ cause }),
  // Symmetric ciphertext made under another key: to the caller a failed decryption.
  IncorrectKeyException: (_what, _name, cause) => new DecryptionFailedError({ cause }),
  UnrecognizedClientException: authError,
  InvalidSignatureException: authError,
  IncompleteSignatureException: authError,
  MissingAuthenticationTokenException: authError,
  ExpiredTokenException: authError,
  InvalidClientTokenId: authError,
  AccessDeniedException: authError,
  CredentialsProviderError: authError,
});

const MAX_DETAIL = 300;

/**
 * CallPolicy error mapper. `what` is "<Operation> <ref name>", so a NotFoundError's message
 * names the ref.
 */
export function mapAwsError(error: unknown, what: string): Error {
  if (isKeyplaneError(error)) return error;
  const name = awsName(error);
  const factory = lookup(ERROR_MAP, name);
  if (factory !== undefined) return factory(what, name, error);
  // AWS messages name members and ARNs, never secret values (sensitive members are redacted).
  const detail = (shape(error).message ?? '').slice(0, MAX_DETAIL);
  const suffix = detail === '' ? '' : `: ${detail}`;
  return new BackendError(`${what}: AWS KMS answered ${name}${suffix}`, {
    backendCode: name,
    cause: error,
  });
}
