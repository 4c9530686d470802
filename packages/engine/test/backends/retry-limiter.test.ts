import { BackendUnavailableError } from '@keyplane/engine';
import {
  CallPolicy,
  ConcurrencyLimiter,
  backoffDelay,
  parseRetryAfter,
  withRetry,
  type RetryDecision,
} from '@keyplane/engine/internal';

import { expectKeyplaneError } from '../crypto-helpers/expect-error';

const retryable: RetryDecision = { retryable: true, code: 'ThrottlingException' };

/** A recording clock: sleeps resolve at once, their durations are kept. */
function recordingEnv(random = () => 0.5) {
  const sleeps: number[] = [];
  return { sleeps, env: { sleep: (ms: number) => (sleeps.push(ms), Promise.resolve()), random } };
}

function failing(times: number, error: Error = new Error('throttled')) {
  let calls = 0;
  const op = () => {
    calls++;
    return calls <= times ? Promise.reject(error) : Promise.resolve(`ok after ${String(calls)}`);
  };
  return { op, calls: () => calls };
}

describe('withRetry', () => {
  it('retries retryable failures and returns the first success', async () => {
    const { sleeps, env } = recordingEnv();
    const f = failing(3);
    await expect(withRetry('Sign', f.op, () => retryable, {}, env)).resolves.toBe('ok after 4');
    expect(f.calls()).toBe(4);
    expect(sleeps).toHaveLength(3);
  });

  it('gives up after maxAttempts with ERR_BACKEND_UNAVAILABLE carrying attempts, code and cause', async () => {
    const { env } = recordingEnv();
    const cause = new Error('throttled');
    const f = failing(10, cause);
    const e = await withRetry('Sign', f.op, () => retryable, { maxAttempts: 3 }, env).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(BackendUnavailableError);
    expect(e).toMatchObject({
      code: 'ERR_BACKEND_UNAVAILABLE',
      attempts: 3,
      backendCode: 'ThrottlingException',
      cause,
    });
    expect((e as Error).message).toBe('Sign: ThrottlingException; still failing after 3 attempts');
    expect(f.calls()).toBe(3);
  });

  it('treats maxAttempts: undefined as the default (5), not as "retry forever"', async () => {
    const { env } = recordingEnv();
    // Fails retryably 20 times, then non-retryably: a policy that lost its bound reaches the
    // sentinel instead of hanging the test.
    const sentinel = new Error('no bound: still retrying after 20 attempts');
    let calls = 0;
    const op = () => Promise.reject(++calls > 20 ? sentinel : new Error('throttled'));
    const e = await withRetry(
      'Sign',
      op,
      (x) => ({ retryable: x !== sentinel, code: 'ThrottlingException' }),
      { maxAttempts: undefined, baseDelayMs: undefined },
      env,
    ).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ERR_BACKEND_UNAVAILABLE', attempts: 5 });
    expect(calls).toBe(5);
  });

  it('refuses retry options that would retry forever or never wait', async () => {
    const { env } = recordingEnv();
    const f = failing(1);
    for (const [options, field] of [
      [{ maxAttempts: 0 }, 'retry.maxAttempts'],
      [{ maxAttempts: Number.NaN }, 'retry.maxAttempts'],
      [{ maxAttempts: Number.POSITIVE_INFINITY }, 'retry.maxAttempts'],
      [{ baseDelayMs: -1 }, 'retry.baseDelayMs'],
      [{ maxRetryAfterMs: Number.NaN }, 'retry.maxRetryAfterMs'],
    ] as const) {
      await expect(withRetry('Sign', f.op, () => retryable, options, env)).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
        field,
      });
    }
    expect(f.calls()).toBe(0);
  });

  it('passes non-retryable errors through after one attempt', async () => {
    const { sleeps, env } = recordingEnv();
    const cause = new Error('not found');
    const f = failing(1, cause);
    await expect(withRetry('Get', f.op, () => ({ retryable: false }), {}, env)).rejects.toBe(cause);
    expect(f.calls()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('waits at least the Retry-After the server asked for', async () => {
    const { sleeps, env } = recordingEnv(() => 0);
    const f = failing(2);
    await withRetry('Sign', f.op, () => ({ ...retryable, retryAfterMs: 1500 }), {}, env);
    expect(sleeps).toEqual([1500, 1500]);
  });

  it('fails fast when Retry-After exceeds maxRetryAfterMs instead of blocking', async () => {
    const { sleeps, env } = recordingEnv();
    const f = failing(5);
    const e = await withRetry(
      'Sign',
      f.op,
      () => ({ ...retryable, retryAfterMs: 120_000 }),
      {},
      env,
    ).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ERR_BACKEND_UNAVAILABLE', attempts: 1 });
    expect((e as Error).message).toContain('retry after 120000 ms');
    expect(sleeps).toEqual([]);
  });
});

describe('backoffDelay (exponential, full jitter, capped)', () => {
  const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 30_000 };
  it('doubles the ceiling per attempt up to maxDelayMs', () => {
    const nearlyOne = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, retryable, policy, nearlyOne))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
  });
  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(backoffDelay(3, retryable, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, retryable, policy, () => 0.5)).toBe(200);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0')).toBe(0);
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('ConcurrencyLimiter', () => {
  it('never runs more than maxParallel at once and serves waiters in order', async () => {
    const limiter = new ConcurrencyLimiter(3);
    let peak = 0;
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const tasks = Array.from({ length: 10 }, (_, i) =>
      limiter.run(async () => {
        peak = Math.max(peak, limiter.inFlight);
        order.push(i);
        await new Promise<void>((resolve) => gates.push(resolve));
        return i;
      }),
    );
    while (order.length < 10) {
      await new Promise((r) => setImmediate(r));
      expect(limiter.inFlight).toBeLessThanOrEqual(3);
      gates.shift()?.();
    }
    gates.forEach((g) => {
      g();
    });
    await expect(Promise.all(tasks)).resolves.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(limiter.inFlight).toBe(0);
  });

  it('releases the slot when an operation throws', async () => {
    const limiter = new ConcurrencyLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('refuses a max_parallel that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      let error: unknown;
      try {
        new ConcurrencyLimiter(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'max_parallel' });
    }
  });
});

describe('CallPolicy', () => {
  it('refuses a bad retry option when it is built, not on the first call', () => {
    const e = expectKeyplaneError(
      () =>
        new CallPolicy({
          maxParallel: 1,
          retry: { maxAttempts: -1 },
          classify: () => retryable,
          mapError: (x) => x as Error,
        }),
      'ERR_INVALID_ARGUMENT',
      'retry.maxAttempts must be a positive integer, got -1',
    );
    expect(e.field).toBe('retry.maxAttempts');
  });

  it('maps the final error, including the retry layer’s give-up', async () => {
    const seen: unknown[] = [];
    const policy = new CallPolicy({
      maxParallel: 1,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      classify: (e) => ({ retryable: (e as Error).message === 'busy', code: 'Busy' }),
      mapError: (e, what) => {
        seen.push(e);
        return e instanceof BackendUnavailableError ? e : new Error(`${what} failed`);
      },
    });
    await expect(
      policy.call('Sign', () => Promise.reject(new Error('busy'))),
    ).rejects.toMatchObject({
      code: 'ERR_BACKEND_UNAVAILABLE',
      attempts: 2,
    });
    await expect(policy.call('Sign', () => Promise.reject(new Error('bad')))).rejects.toThrow(
      'Sign failed',
    );
    expect(seen).toHaveLength(2);
  });
});
