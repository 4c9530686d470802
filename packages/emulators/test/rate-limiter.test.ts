/**
 * The quota limiter's retry advice (gRPC RetryInfo, HTTP Retry-After) is always enough: a client
 * that waits what it was told is admitted, even when its timer ends a millisecond early by
 * Date.now — which Node's setTimeout does (a 20 ms timer measures 19 ms now and then). Advice
 * that undershot sent such a retry back into random backoff, which made the engine's
 * "absorbs RESOURCE_EXHAUSTED" test flaky.
 */
import { RateLimiter } from '../src/common/rate-limiter';

it('a retry after the advised wait, measured 1 ms short, is admitted', () => {
  let now = 1_000;
  const limiter = new RateLimiter({ AsymmetricSign: { limit: 1, windowSeconds: 0.2 } }, () => now);
  expect(limiter.take('AsymmetricSign').allowed).toBe(true);
  now += 37;
  const refused = limiter.take('AsymmetricSign');
  expect(refused.allowed).toBe(false);
  // A timer of retryAfterMs that ended 1 ms early by the millisecond clock.
  now += refused.retryAfterMs - 1;
  expect(limiter.take('AsymmetricSign')).toMatchObject({ allowed: true });
});

it('three contenders waiting as advised are each admitted within three attempts', () => {
  let now = 5_000;
  const limiter = new RateLimiter({ Sign: { limit: 1, windowSeconds: 0.2 } }, () => now);
  const pending = [0, 0, 0].map(() => ({ at: now, attempts: 0, done: false }));
  // Bounded: advice that undershoots would otherwise retry forever at the same instant.
  for (let round = 0; round < 20 && pending.some((p) => !p.done); round++) {
    const next = pending.filter((p) => !p.done).sort((a, b) => a.at - b.at)[0]!;
    now = Math.max(now, next.at);
    next.attempts++;
    const decision = limiter.take('Sign');
    if (decision.allowed) next.done = true;
    else next.at = now + decision.retryAfterMs - 1; // the worst timer: 1 ms short
  }
  expect(pending.map((p) => p.attempts).sort()).toEqual([1, 2, 3]);
});

it('Retry-After in whole seconds never rounds the advice down', () => {
  let now = 0;
  const limiter = new RateLimiter({ CreateKey: { limit: 1, windowSeconds: 10 } }, () => now);
  limiter.take('CreateKey');
  now = 1;
  const refused = limiter.take('CreateKey');
  expect(refused.retryAfterSeconds * 1000).toBeGreaterThanOrEqual(refused.retryAfterMs);
  expect(refused.retryAfterSeconds).toBe(10);
});
