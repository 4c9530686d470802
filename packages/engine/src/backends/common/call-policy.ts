/**
 * The one wrapper every backend call goes through: the concurrency limit, then bounded retries,
 * then the backend's error mapping (SDK error → KeyplaneError). A retry keeps its limiter slot
 * while it backs off, so `max_parallel` also bounds the load a throttled backend sees.
 *
 * @module
 */
import { isPending, type Answer } from './answer';
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
   *
   * `request` may answer synchronously (PKCS#11 signs on the JS thread). When a slot is free and
   * it does, the call arms no timer and builds no race: a synchronous request cannot be
   * interrupted by a timer, so the deadlines could only be armed and cleared again — measured
   * with bench/callgrind.ts, that and the layers' promises were most of the PKCS#11 backend's
   * overhead over a raw C_Sign. A failure, a promise or a full limiter takes the full path
   * (the slot taken here is kept for its retries).
   */
  call<T>(what: string, request: () => Answer<T>): Promise<T> {
    if (this.options.attemptSignal === true || !this.limiter.tryEnter()) {
      return this.fullCall(what, request, undefined);
    }
    let answer: Answer<T>;
    try {
      answer = request();
    } catch (error) {
      return this.fullCall(what, request, { error });
    }
    if (isPending(answer)) return this.fullCall(what, request, { pending: answer });
    this.limiter.leave();
    return Promise.resolve(answer);
  }

  /**
   * The full path: limiter, retries, deadlines, error mapping. `first` is the first attempt when
   * {@link call} already made it on a slot it holds (its failure, or its pending answer).
   */
  private async fullCall<T>(
    what: string,
    request: () => Answer<T>,
    first: FirstAttempt<T> | undefined,
  ): Promise<T> {
    const { attemptMs, overallMs } = this.timeouts;
    const endpoint = this.options.endpoint ?? 'the backend';
    let current: AbortController | undefined;
    let started = first;
    const timedOut = () => new AttemptTimeout();
    const answer = (value: Answer<T>): Answer<T> =>
      isPending(value) ? withDeadline(value, attemptMs, timedOut) : value;
    const attempt =
      this.options.attemptSignal === true
        ? () => {
            const controller = new AbortController();
            current = controller;
            return withDeadline(
              runWithAttemptSignal(controller.signal, attemptMs, async () => await request()),
              attemptMs,
              () => {
                controller.abort();
                return timedOut();
              },
            );
          }
        : // Nothing listens for an abort: no controller (one per call was measurable).
          () => {
            const made = started;
            started = undefined;
            if (made === undefined) return answer(request());
            if ('error' in made) throw made.error;
            return answer(made.pending);
          };
    const classify: RetryClassifier = (error) =>
      error instanceof AttemptTimeout ? { retryable: false } : this.options.classify(error);
    const retried = () => withRetry(what, attempt, classify, this.retry);
    try {
      return await withDeadline(
        first === undefined ? this.limiter.run(retried) : this.limiter.runEntered(retried),
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

/** An attempt {@link CallPolicy.call} made before handing over to the full path. */
type FirstAttempt<T> = { readonly error: unknown } | { readonly pending: Promise<T> };
