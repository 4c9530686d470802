/**
 * The one wrapper every backend call goes through: the concurrency limit, then bounded retries,
 * then the backend's error mapping (SDK error → KeyplaneError). A retry keeps its limiter slot
 * while it backs off, so `max_parallel` also bounds the load a throttled backend sees.
 *
 * @module
 */
import { ConcurrencyLimiter } from './limiter';
import { retryPolicy, withRetry, type RetryClassifier, type RetryOptions } from './retry';

export interface CallPolicyOptions {
  readonly maxParallel: number;
  readonly retry?: RetryOptions | undefined;
  readonly classify: RetryClassifier;
  /**
   * Maps a final failure to a KeyplaneError; `what` names the operation. Receives KeyplaneErrors
   * too (BackendUnavailableError from the retry layer, refusals raised inside `request`) and
   * must return those unchanged.
   */
  readonly mapError: (error: unknown, what: string) => Error;
}

export class CallPolicy {
  readonly limiter: ConcurrencyLimiter;
  /** Resolved once, so a bad `retry` option fails when the backend is created, not mid-call. */
  private readonly retry: RetryOptions;

  constructor(private readonly options: CallPolicyOptions) {
    this.limiter = new ConcurrencyLimiter(options.maxParallel);
    this.retry = retryPolicy(options.retry);
  }

  /** Runs one backend request under the limiter, with retries and error mapping. */
  async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await this.limiter.run(() =>
        withRetry(what, request, this.options.classify, this.retry),
      );
    } catch (error) {
      throw this.options.mapError(error, what);
    }
  }
}
