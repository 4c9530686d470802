/**
 * The one wrapper every backend call goes through: the concurrency limit, then bounded retries,
 * then the backend's error mapping (SDK error → KeyplaneError). A retry keeps its limiter slot
 * while it backs off, so `max_parallel` also bounds the load a throttled backend sees.
 *
 * @module
 */
import { ConcurrencyLimiter } from './limiter';
import { retryPolicy, withRetry, type RetryClassifier, type RetryOptions } from './retry';
import {
  resolveTimeouts,
  runWithAttemptSignal,
  timeoutError,
  withDeadline,
  type CallTimeouts,
  type ResolvedTimeouts,
} from './timeouts';

/** Marks an attempt that timed out, so the classifier never sees it as retryable. */
class AttemptTimeout extends Error {}

export interface CallPolicyOptions {
  readonly maxParallel: number;
  readonly retry?: RetryOptions | undefined;
  readonly classify: RetryClassifier;
  /** Per-attempt and overall deadlines. @default see {@link CallTimeouts} */
  readonly timeout?: CallTimeouts | undefined;
  /** What timeout messages name as the one that did not answer (URL, host:port, module path). */
  readonly endpoint?: string | undefined;
  /**
   * Maps a final failure to a KeyplaneError; `what` names the operation. Receives KeyplaneErrors
   * too (BackendUnavailableError from the retry layer, refusals raised inside `request`) and
   * must return those unchanged.
   */
  readonly mapError: (error: unknown, what: string) => Error;
  /**
   * Publish each attempt's abort signal to `currentAttemptSignal()` (timeouts.ts; an HTTP layer that
   * tears down a hung request needs it, a gRPC client its deadline). Off for the others (PKCS#11): on Node 20 the first
   * AsyncLocalStorage `run` turns on async hooks for the whole process, a cost on every promise
   * of every operation (https://nodejs.org/api/async_context.html#troubleshooting-context-loss).
   * @default false
   */
  readonly attemptSignal?: boolean | undefined;
}

export class CallPolicy {
  readonly limiter: ConcurrencyLimiter;
  /** Resolved once, so a bad `retry` option fails when the backend is created, not mid-call. */
  private readonly retry: RetryOptions;

  private readonly timeouts: ResolvedTimeouts;

  constructor(private readonly options: CallPolicyOptions) {
    this.limiter = new ConcurrencyLimiter(options.maxParallel);
    this.retry = retryPolicy(options.retry);
    this.timeouts = resolveTimeouts(options.timeout);
  }

  /**
   * Runs one backend request under the limiter, with retries, deadlines and error mapping. A
   * timed-out attempt ends the call (see timeouts.ts); the overall deadline covers the wait for
   * a limiter slot and every retry.
   */
  async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    const { attemptMs, overallMs } = this.timeouts;
    const endpoint = this.options.endpoint ?? 'the backend';
    let current: AbortController | undefined;
    const timedOut = () => new AttemptTimeout();
    const attempt =
      this.options.attemptSignal === true
        ? () => {
            const controller = new AbortController();
            current = controller;
            return withDeadline(
              runWithAttemptSignal(controller.signal, attemptMs, request),
              attemptMs,
              () => {
                controller.abort();
                return timedOut();
              },
            );
          }
        : // Nothing listens for an abort: no controller (one per call was measurable).
          () => withDeadline(request(), attemptMs, timedOut);
    const classify: RetryClassifier = (error) =>
      error instanceof AttemptTimeout ? { retryable: false } : this.options.classify(error);
    try {
      return await withDeadline(
        this.limiter.run(() => withRetry(what, attempt, classify, this.retry)),
        overallMs,
        () => {
          current?.abort();
          return timeoutError(what, endpoint, 'overall', overallMs);
        },
      );
    } catch (error) {
      if (error instanceof AttemptTimeout) throw timeoutError(what, endpoint, 'attempt', attemptMs);
      throw this.options.mapError(error, what);
    }
  }
}
