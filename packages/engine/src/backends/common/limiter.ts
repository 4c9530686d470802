/**
 * A counting semaphore: at most `maxParallel` operations in flight per backend (Vault's
 * `max_parallel`). Waiters are served first come, first served.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors';

export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly maxParallel: number) {
    if (!Number.isInteger(maxParallel) || maxParallel < 1) {
      throw new InvalidArgumentError(
        `max_parallel must be a positive integer, got ${String(maxParallel)}`,
        { field: 'max_parallel' },
      );
    }
  }

  /** Operations currently running (for tests and metrics). */
  get inFlight(): number {
    return this.active;
  }

  async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxParallel) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await operation();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter so `active` never dips and overshoots.
      if (next === undefined) this.active--;
      else next();
    }
  }
}
