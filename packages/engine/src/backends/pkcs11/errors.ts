/**
 * PKCS#11 return values → retry decisions and KeyplaneErrors. pkcs11js raises `Pkcs11Error`
 * whose message is the bare CKR name (`CKR_PIN_INCORRECT`): no PIN, no key bytes. Messages
 * built here still only name the operation and the CKR code.
 *
 * @module
 */
import { lookup, table } from '../../algorithms/table';
import {
  AuthenticationFailedError,
  BackendError,
  KeyStateError,
  UnsupportedOperationError,
  isKeyplaneError,
} from '../../errors';
import { errorCodeOf, type RetryDecision } from '../common/retry';

/** The CKR name of a pkcs11js error, or undefined for anything else. */
export function ckrName(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = /^(CKR_[A-Z0-9_]+)/.exec(error.message);
  return match?.[1];
}

type Kind = 'auth' | 'broken-session' | 'busy' | 'key-state' | 'stale-handle' | 'unsupported';

/** How each CKR value the engine treats specially is handled; everything else is BackendError. */
const CKR_KINDS = table<string, Kind>({
  CKR_PIN_INCORRECT: 'auth',
  CKR_PIN_LEN_RANGE: 'auth',
  CKR_PIN_INVALID: 'auth',
  CKR_PIN_LOCKED: 'auth',
  CKR_PIN_EXPIRED: 'auth',
  CKR_USER_PIN_NOT_INITIALIZED: 'auth',
  CKR_USER_ANOTHER_ALREADY_LOGGED_IN: 'auth',
  // The session (or the login behind it) is gone: retry on a freshly opened, logged-in session.
  CKR_SESSION_HANDLE_INVALID: 'broken-session',
  CKR_SESSION_CLOSED: 'broken-session',
  CKR_DEVICE_ERROR: 'broken-session',
  CKR_DEVICE_MEMORY: 'broken-session',
  CKR_DEVICE_REMOVED: 'broken-session',
  CKR_TOKEN_NOT_PRESENT: 'broken-session',
  CKR_USER_NOT_LOGGED_IN: 'broken-session',
  CKR_OPERATION_ACTIVE: 'broken-session',
  // The token is at its session limit: back off, the session we hold is fine.
  CKR_SESSION_COUNT: 'busy',
  CKR_FUNCTION_CANCELED: 'busy',
  CKR_KEY_FUNCTION_NOT_PERMITTED: 'key-state',
  // A cached handle whose object was destroyed (by another session or process).
  CKR_OBJECT_HANDLE_INVALID: 'stale-handle',
  CKR_KEY_HANDLE_INVALID: 'stale-handle',
  CKR_MECHANISM_INVALID: 'unsupported',
  CKR_MECHANISM_PARAM_INVALID: 'unsupported',
  CKR_KEY_TYPE_INCONSISTENT: 'unsupported',
  CKR_KEY_NOT_WRAPPABLE: 'unsupported',
});

function kindOf(error: unknown): Kind | undefined {
  const name = ckrName(error);
  return name === undefined ? undefined : lookup(CKR_KINDS, name);
}

/** True when the session that raised `error` must be closed instead of returned to the pool. */
export function isBrokenSession(error: unknown): boolean {
  return kindOf(error) === 'broken-session';
}

/**
 * True when a request on a cached key should run once more on a fresh lookup: the handle is
 * gone, or the key no longer permits the operation (disabled elsewhere; the fresh lookup then
 * refuses with the key's real state).
 */
export function isStaleKey(error: unknown): boolean {
  const kind = kindOf(error);
  return kind === 'stale-handle' || kind === 'key-state';
}

/** True for the CKR values that mean the PIN was refused (incorrect, locked, expired …). */
export function isAuthFailure(error: unknown): boolean {
  return kindOf(error) === 'auth';
}

/** Retry classifier for CallPolicy. */
export function classifyPkcs11(error: unknown): RetryDecision {
  if (isKeyplaneError(error)) return { retryable: false };
  const kind = kindOf(error);
  const code = ckrName(error);
  const retryable = kind === 'broken-session' || kind === 'busy';
  return code === undefined ? { retryable } : { retryable, code };
}

/** Final error mapping; KeyplaneErrors (refusals, BackendUnavailableError) pass unchanged. */
export function mapPkcs11Error(error: unknown, what: string): Error {
  if (isKeyplaneError(error)) return error;
  const code = ckrName(error);
  if (code === undefined) {
    // NativeError (library not loadable, bad argument types): its message names a path or a
    // type, never secrets.
    const message = error instanceof Error ? error.message : String(error);
    return new BackendError(`${what}: ${message}`, {
      backendCode: errorCodeOf(error),
      cause: error,
    });
  }
  const kind = kindOf(error);
  const message = `${what}: ${code}`;
  if (kind === 'auth') {
    return new AuthenticationFailedError(`${message} (check the PIN)`, { field: 'pin' });
  }
  if (kind === 'key-state') {
    return new KeyStateError(`${message}: the key does not permit this operation`, {
      field: 'usages',
    });
  }
  if (kind === 'unsupported') return new UnsupportedOperationError(message, { field: 'mechanism' });
  return new BackendError(message, { backendCode: code, cause: error });
}
