/**
 * Bounded retries with exponential backoff and full jitter, honouring a server's Retry-After.
 * The SDKs' own retry layers are switched off by every backend so this is the only one: two
 * stacked layers would multiply attempts and hide throttling from `max_parallel` tuning.
 *
 * @module
 */
import { BackendUnavailableError, InvalidArgumentError } from '../../errors';
import { withDefaults, type Resolved } from '../../options';
import type { Answer } from './answer';

export interface RetryOptions {
  /** Total attempts including the first. @default 5 */
  readonly maxAttempts?: number | undefined;
  /** First backoff ceiling in ms; doubles each attempt. @default 100 */
  readonly baseDelayMs?: number | undefined;
  /** Backoff ceiling in ms (a larger Retry-After is still honoured up to maxRetryAfterMs). @default 5000 */
  readonly maxDelayMs?: number | undefined;
  /** Longest Retry-After honoured; a longer one fails fast instead of blocking. @default 30000 */
  readonly maxRetryAfterMs?: number | undefined;
}

/** How a backend classifies one failure. */
export interface RetryDecision {
  readonly retryable: boolean;
  /** Server-requested wait (Retry-After), in ms. */
  readonly retryAfterMs?: number | undefined;
  /** The backend's code for messages (`ThrottlingException`, `429`, `RESOURCE_EXHAUSTED`). */
  readonly code?: string | undefined;
}

export type RetryClassifier = (error: unknown) => RetryDecision;

/**
 * Socket-level failures (Node / undici error codes) that a fresh connection may not hit again;
 * the HTTP backends (AWS, Azure) retry them. gRPC reports them as UNAVAILABLE instead.
 */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
]);

/**
 * The transient network code of `error` or of an error in its `cause` chain (SDKs wrap the
 * socket error), or `undefined`. `socket hang up` (Node's message for a reset before a response)
 * counts as ECONNRESET.
 */
export function transientNetworkCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return code;
  if (typeof message === 'string' && message.includes('socket hang up')) return 'ECONNRESET';
  return cause === error ? undefined : transientNetworkCode(cause, depth + 1);
}

/** `error.code` when it is a string (Node's `ERR_*` / `E*` codes), for backendCode. */
export function errorCodeOf(error: unknown): string | undefined {
  const code: unknown =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

export const DEFAULT_RETRY: Resolved<RetryOptions> = {
  maxAttempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 5000,
  maxRetryAfterMs: 30_000,
};

/** Test seam: the clock and randomness the policy uses. */
export interface RetryEnvironment {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

const REAL_ENVIRONMENT: RetryEnvironment = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Policies retryPolicy returned (readonly objects, so they stay valid). */
const RESOLVED = new WeakSet<RetryOptions>();

/**
 * The complete policy for `options`: unset and `undefined` fields take {@link DEFAULT_RETRY}'s
 * value. Refuses values that would retry forever or never wait (NaN, 0, negative, Infinity).
 */
export function retryPolicy(options: RetryOptions | undefined): Resolved<RetryOptions> {
  // CallPolicy resolves once and hands the result to withRetry on every request: no second
  // merge and validation per call on the signing hot path.
  if (options !== undefined && RESOLVED.has(options)) return options as Resolved<RetryOptions>;
  const policy = withDefaults(DEFAULT_RETRY, options);
  if (!Number.isSafeInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new InvalidArgumentError(
      `retry.maxAttempts must be a positive integer, got ${String(policy.maxAttempts)}`,
      { field: 'retry.maxAttempts' },
    );
  }
  for (const field of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const value = policy[field];
    if (!Number.isFinite(value) || value < 0) {
      throw new InvalidArgumentError(
        `retry.${field} must be a non-negative number of milliseconds, got ${String(value)}`,
        { field: `retry.${field}` },
      );
    }
  }
  RESOLVED.add(policy);
  return policy;
}

/** Delay before attempt `attempt + 1` (attempt counts from 1): full jitter, or Retry-After. */
export function backoffDelay(
  attempt: number,
  decision: RetryDecision,
  options: Resolved<RetryOptions>,
  random: () => number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return decision.retryAfterMs === undefined ? jittered : Math.max(decision.retryAfterMs, jittered);
}

/**
 * Runs `operation`, retrying failures the classifier calls retryable. Gives up with
 * BackendUnavailableError (carrying the last error as `cause`) after `maxAttempts`, or at once
 * when the server asks to wait longer than `maxRetryAfterMs`. Non-retryable errors pass through.
 */
export async function withRetry<T>(
  what: string,
  operation: () => Answer<T>,
  classify: RetryClassifier,
  options: RetryOptions = {},
  environment: RetryEnvironment = REAL_ENVIRONMENT,
): Promise<T> {
  const policy = retryPolicy(options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const decision = classify(error);
      if (!decision.retryable) throw error;
      const tooLong =
        decision.retryAfterMs !== undefined && decision.retryAfterMs > policy.maxRetryAfterMs;
      if (attempt >= policy.maxAttempts || tooLong) {
        const code = decision.code ?? 'unknown';
        const reason = tooLong
          ? `the server asked to retry after ${String(decision.retryAfterMs)} ms`
          : `still failing after ${String(attempt)} attempts`;
        throw new BackendUnavailableError(`${what}: ${code}; ${reason}`, {
          backendCode: code,
          attempts: attempt,
          cause: error,
        });
      }
      await environment.sleep(backoffDelay(attempt, decision, policy, environment.random));
    }
  }
}

/** Parses an HTTP Retry-After header (seconds or HTTP date) into ms. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
