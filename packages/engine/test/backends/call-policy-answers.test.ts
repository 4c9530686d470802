/**
 * CallPolicy with requests that answer synchronously (the PKCS#11 backend's calls on the JS
 * thread): the fast path must keep every guarantee of the full one — failures are rejections
 * (never synchronous throws), retryable failures are retried on the slot the call holds, a full
 * limiter still queues the call, and a promise begun on the fast path still has its deadline.
 */
import { CallPolicy, type RetryDecision } from '@keyplane/engine/internal';

const classify = (error: unknown): RetryDecision => ({
  retryable: (error as Error).message === 'busy',
  code: 'Busy',
});

function policyWith(options: { attemptMs?: number } = {}): CallPolicy {
  return new CallPolicy({
    maxParallel: 1,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    timeout: { attemptMs: options.attemptMs },
    classify,
    mapError: (error, what) =>
      (error as { code?: unknown }).code === undefined
        ? new Error(`${what} failed`)
        : (error as Error),
  });
}

/** A synchronous request that throws `busy` for its first `failures` calls, then answers. */
function flaky(failures: number, log: string[], name: string) {
  let calls = 0;
  return () => {
    calls++;
    log.push(`${name}${String(calls)}`);
    if (calls <= failures) throw new Error('busy');
    return `${name} ok`;
  };
}

describe('CallPolicy with synchronous answers', () => {
  it('resolves a synchronous answer and frees the slot', async () => {
    const policy = policyWith();
    await expect(policy.call('Sign', () => 'signed')).resolves.toBe('signed');
    expect(policy.limiter.inFlight).toBe(0);
  });

  it('turns a synchronous failure into a mapped rejection, never a throw', async () => {
    const policy = policyWith();
    let call: Promise<string> | undefined;
    expect(() => {
      call = policy.call('Sign', (): string => {
        throw new Error('bad');
      });
    }).not.toThrow();
    await expect(call).rejects.toThrow('Sign failed');
    expect(policy.limiter.inFlight).toBe(0);
  });

  it('retries a synchronous retryable failure on the slot it holds', async () => {
    const policy = policyWith();
    const log: string[] = [];
    const first = policy.call('Sign', flaky(2, log, 'a'));
    expect(policy.limiter.inFlight).toBe(1);
    const second = policy.call('Sign', flaky(0, log, 'b'));
    await expect(first).resolves.toBe('a ok');
    await expect(second).resolves.toBe('b ok');
    // The second call waited for the first one's retries: its slot was never given up.
    expect(log).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(policy.limiter.inFlight).toBe(0);
  });

  it('gives up on synchronous failures after maxAttempts', async () => {
    const policy = policyWith();
    const log: string[] = [];
    await expect(policy.call('Sign', flaky(5, log, 'a'))).rejects.toMatchObject({
      code: 'ERR_BACKEND_UNAVAILABLE',
      attempts: 3,
    });
    expect(log).toEqual(['a1', 'a2', 'a3']);
  });

  it('queues a synchronous request behind a full limiter', async () => {
    const policy = policyWith();
    const log: string[] = [];
    let open: (() => void) | undefined;
    const slow = policy.call('Sign', async () => {
      log.push('slow started');
      await new Promise<void>((resolve) => (open = resolve));
      log.push('slow done');
      return 'slow ok';
    });
    const quick = policy.call('Sign', () => {
      log.push('quick');
      return 'quick ok';
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['slow started']);
    open?.();
    await expect(Promise.all([slow, quick])).resolves.toEqual(['slow ok', 'quick ok']);
    expect(log).toEqual(['slow started', 'slow done', 'quick']);
  });

  it('keeps the attempt deadline on a promise begun on the fast path', async () => {
    const policy = policyWith({ attemptMs: 20 });
    const never = new Promise<string>(() => undefined);
    await expect(policy.call('Sign', () => never)).rejects.toMatchObject({
      code: 'ERR_BACKEND_UNAVAILABLE',
      backendCode: 'TIMEOUT',
    });
    expect(policy.limiter.inFlight).toBe(0);
  });
});
