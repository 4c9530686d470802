/**
 * A counting semaphore: at most `maxParallel` operations in flight per backend (Vault's
 * `max_parallel`). Waiters are served first come, first served.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors';
import type { Answer } from './answer';

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

  async run<T>(operation: () => Answer<T>): Promise<T> {
    if (!this.tryEnter()) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return await this.runEntered(operation);
  }

  /** Runs `operation` on a slot the caller already holds ({@link tryEnter}), then leaves it. */
  async runEntered<T>(operation: () => Answer<T>): Promise<T> {
    try {
      return await operation();
    } finally {
      this.leave();
    }
  }

  /**
   * Takes a slot when one is free right now (no waiting, no promise): the synchronous fast path
   * of CallPolicy. A caller that got `true` owns the slot and must {@link leave} it.
   */
  tryEnter(): boolean {
    if (this.active >= this.maxParallel) return false;
    this.active++;
    return true;
  }

  /** Gives a slot back: straight to the next waiter, so `active` never dips and overshoots. */
  leave(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.active--;
    else next();
  }
}
