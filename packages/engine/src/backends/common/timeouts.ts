/**
 * Deadlines for backend calls: one per attempt (a KMS that accepts the connection and never
 * answers) and one for the whole call (queueing behind max_parallel, retries and backoff
 * included). A timed-out attempt is not retried: it may have been executed (CreateKey), and a
 * backend that hangs once usually hangs again — failing fast naming the endpoint is the useful
 * answer. Defaults come from the environment so every tool (CLI, provider) can tune them.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ENV_VARIABLES, readEnv, type EnvVariable } from '../../env';
import { BackendUnavailableError, InvalidArgumentError } from '../../errors';

export interface CallTimeouts {
  /** Longest wait for one attempt's answer, ms. @default $KEYPLANE_BACKEND_CALL_TIMEOUT_MS, else 60000 (key generation in a busy HSM takes tens of seconds) */
  readonly attemptMs?: number | undefined;
  /** Longest time for one call with all its retries, ms. @default $KEYPLANE_BACKEND_TIMEOUT_MS, else 300000 */
  readonly overallMs?: number | undefined;
}

/** Where each timeout's default comes from: the variable, whose row holds the built-in value. */
const SOURCES: Readonly<Record<keyof CallTimeouts, EnvVariable>> = {
  attemptMs: ENV_VARIABLES.backendCallTimeout,
  overallMs: ENV_VARIABLES.backendTimeout,
};

/** Refuses 0, negatives, fractions, NaN and anything a timer cannot hold (≈24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

function resolveOne(name: keyof typeof SOURCES, given: number | undefined): number {
  const variable = SOURCES[name];
  const env = variable.name;
  const raw = given ?? Number(readEnv(variable) ?? variable.default);
  if (!Number.isSafeInteger(raw) || raw < 1 || raw > MAX_TIMER_MS) {
    const field = given === undefined ? env : `timeout.${name}`;
    throw new InvalidArgumentError(
      `${field} must be a whole number of milliseconds from 1 to ${String(MAX_TIMER_MS)}`,
      { field },
    );
  }
  return raw;
}

export interface ResolvedTimeouts {
  readonly attemptMs: number;
  readonly overallMs: number;
}

export function resolveTimeouts(timeouts: CallTimeouts | undefined): ResolvedTimeouts {
  return {
    attemptMs: resolveOne('attemptMs', timeouts?.attemptMs),
    overallMs: resolveOne('overallMs', timeouts?.overallMs),
  };
}

/** Why a deadline fired: which one, for the message. */
type Deadline = 'attempt' | 'overall';

/** The error a missed deadline raises: names the operation, the endpoint and the limit. */
export function timeoutError(
  what: string,
  endpoint: string,
  deadline: Deadline,
  ms: number,
): BackendUnavailableError {
  const which =
    deadline === 'attempt'
      ? `did not answer within ${String(ms)} ms (${SOURCES.attemptMs.name})`
      : `did not complete within ${String(ms)} ms including retries (${SOURCES.overallMs.name})`;
  return new BackendUnavailableError(`${what}: ${endpoint} ${which}`, {
    backendCode: 'TIMEOUT',
    attempts: 1,
  });
}

/**
 * `work` or a rejection after `ms`. The work itself keeps running (SDK requests take no signal
 * here); closing the backend closes its connections.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(onTimeout());
    }, ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The running attempt: its abort signal and when its deadline passes (epoch ms). */
interface Attempt {
  readonly signal: AbortSignal;
  readonly deadline: number;
}

const currentAttempt = new AsyncLocalStorage<Attempt>();

/**
 * The signal aborted when the current backend attempt times out, or undefined outside one. An
 * HTTP layer attaches it to its request so a hanging connection is torn down, not left open
 * (an open socket would keep a finished CLI process alive): Azure's pipeline, AWS's handler.
 */
export function currentAttemptSignal(): AbortSignal | undefined {
  return currentAttempt.getStore()?.signal;
}

/**
 * Milliseconds left in the current attempt (at least 1), or undefined outside one: for
 * transports that take a deadline instead of a signal (gRPC, which also sends it to the server).
 */
export function remainingAttemptMs(): number | undefined {
  const attempt = currentAttempt.getStore();
  return attempt === undefined ? undefined : Math.max(1, attempt.deadline - Date.now());
}

export function runWithAttemptSignal<T>(
  signal: AbortSignal,
  attemptMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  return currentAttempt.run({ signal, deadline: Date.now() + attemptMs }, fn);
}
