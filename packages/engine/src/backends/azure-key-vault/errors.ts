/**
 * Azure failures → retry decisions and KeyplaneErrors. The SDK rejects with `RestError`
 * (`statusCode`, `code`, `response.headers`) for service answers, with plain `Error`s for its
 * client-side checks (CryptographyClient refuses expired keys and missing key_ops before any
 * request), and `@azure/identity` with `AuthenticationError` / `CredentialUnavailableError`.
 * RestError is recognised by name: `@azure/core-rest-pipeline` is the SDK's dependency, not ours.
 *
 * @module
 */
import { lookup, table } from '../../algorithms/table';
import {
  AlreadyExistsError,
  AuthenticationFailedError,
  BackendError,
  DecryptionFailedError,
  KeyStateError,
  NotFoundError,
  UnsupportedOperationError,
  isKeyplaneError,
} from '../../errors';
import {
  TRANSIENT_NETWORK_CODES,
  errorCodeOf,
  parseRetryAfter,
  transientNetworkCode,
  type RetryDecision,
} from '../common/retry';

interface RestErrorLike extends Error {
  readonly statusCode?: number;
  readonly code?: string;
  readonly details?: unknown;
  readonly response?: { readonly headers: { get(name: string): string | undefined } };
}

const isRestError = (e: unknown): e is RestErrorLike =>
  e instanceof Error && e.name === 'RestError';

/** The core-rest-pipeline's own name for a request that failed to send. */
const REQUEST_SEND_ERROR = 'REQUEST_SEND_ERROR';

const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Azure sends Retry-After in seconds; some gateways add the ms variants. */
function retryAfterOf(e: RestErrorLike): number | undefined {
  const headers = e.response?.headers;
  if (headers === undefined) return undefined;
  const ms = headers.get('retry-after-ms') ?? headers.get('x-ms-retry-after-ms');
  if (ms !== undefined && Number.isFinite(Number(ms))) return Number(ms);
  return parseRetryAfter(headers.get('retry-after'));
}

export function classifyAzureError(error: unknown): RetryDecision {
  if (isKeyplaneError(error)) return { retryable: false };
  if (!isRestError(error)) {
    // A socket failure that reached us unwrapped (identity token requests, a custom pipeline).
    const network = transientNetworkCode(error);
    return network === undefined ? { retryable: false } : { retryable: true, code: network };
  }
  const status = error.statusCode;
  if (status !== undefined) {
    if (!RETRYABLE_STATUS.has(status)) return { retryable: false };
    const retryAfterMs = retryAfterOf(error);
    const code = `${String(status)} ${error.code ?? ''}`.trim();
    return retryAfterMs === undefined
      ? { retryable: true, code }
      : { retryable: true, retryAfterMs, code };
  }
  const code = error.code ?? 'network';
  return { retryable: code === REQUEST_SEND_ERROR || TRANSIENT_NETWORK_CODES.has(code), code };
}

/** The service's inner error code (`KeyDisabled`, …) when the body carried one. */
function innerCode(e: RestErrorLike): string | undefined {
  const details = e.details as { error?: { innererror?: { code?: unknown } } } | undefined;
  const code = details?.error?.innererror?.code;
  return typeof code === 'string' ? code : undefined;
}

type Mapper = (message: string, cause: unknown) => Error;

/** 403 answers for a usable key in the wrong state vs. a key_ops refusal. */
const FORBIDDEN_INNER = table<string, Mapper>({
  KeyDisabled: (m, cause) => new KeyStateError(m, { cause }),
  KeyNotYetValid: (m, cause) => new KeyStateError(m, { cause }),
  KeyExpired: (m, cause) => new KeyStateError(m, { cause }),
  KeyOperationForbidden: (m, cause) => new UnsupportedOperationError(m, { cause }),
});

/** The SDK's own client-side refusals (cryptographyClient.js `ensureValid`). */
const CLIENT_SIDE: readonly { readonly pattern: RegExp; readonly map: Mapper }[] = [
  {
    pattern: /is not supported on key/i,
    map: (m, cause) => new UnsupportedOperationError(m, { cause }),
  },
  {
    pattern: /can't be used before|expired at/i,
    map: (m, cause) => new KeyStateError(m, { cause }),
  },
];

const IDENTITY_ERRORS: ReadonlySet<string> = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
  'AggregateAuthenticationError',
]);

export interface MapContext {
  /** Operation and key, e.g. `sign 'my-key'` (names the ref for NotFound messages). */
  readonly what: string;
  /** Removes secrets (the client secret) from any text that reaches a message. */
  readonly redact: (text: string) => string;
}

function mapRestError(e: RestErrorLike, ctx: MapContext): Error {
  const status = e.statusCode;
  const code = e.code ?? (status === undefined ? 'network' : String(status));
  const message = `${ctx.what}: ${ctx.redact(e.message)}`;
  if (status === 404)
    return new NotFoundError(`${ctx.what}: not found in Azure Key Vault`, {
      field: 'name',
      cause: e,
    });
  if (status === 401) return new AuthenticationFailedError(message, { cause: e });
  if (status === 409) return new AlreadyExistsError(message, { field: 'name', cause: e });
  if (status === 403) {
    const inner = innerCode(e);
    const byInner = inner === undefined ? undefined : lookup(FORBIDDEN_INNER, inner);
    if (byInner !== undefined) return byInner(message, e);
    if (/disabled|not yet valid|expired/i.test(e.message))
      return new KeyStateError(message, { cause: e });
  }
  const backendCode = (status === 403 ? innerCode(e) : undefined) ?? code;
  return new BackendError(message, { backendCode, cause: e });
}

/**
 * Decrypt / unwrap: the service answers 400 BadParameter for ciphertext it cannot open (the
 * algorithm was already checked against the key locally, so a 400 here means the input).
 */
export function asDecryptionFailure(error: unknown): unknown {
  return isRestError(error) && error.statusCode === 400
    ? new DecryptionFailedError({ cause: error })
    : error;
}

/** Final mapping (after retries). KeyplaneErrors pass through unchanged. */
export function mapAzureError(error: unknown, ctx: MapContext): Error {
  if (isKeyplaneError(error)) return error;
  if (isRestError(error)) return mapRestError(error, ctx);
  if (error instanceof Error) {
    const message = `${ctx.what}: ${ctx.redact(error.message)}`;
    if (IDENTITY_ERRORS.has(error.name))
      return new AuthenticationFailedError(message, { cause: error });
    const clientSide = CLIENT_SIDE.find((c) => c.pattern.test(error.message));
    if (clientSide !== undefined) return clientSide.map(message, error);
    return new BackendError(message, {
      backendCode: errorCodeOf(error) ?? error.name,
      cause: error,
    });
  }
  return new BackendError(`${ctx.what}: ${ctx.redact(String(error))}`, { backendCode: 'unknown' });
}
