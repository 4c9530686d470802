/**
 * Group commit of crypto-operation audit entries (sign, verify, encrypt, decrypt, hmac).
 *
 * Durability contract. A state change and its entry commit in one transaction with the
 * database's full durability (SQLite synchronous=FULL, PostgreSQL's default): both or neither.
 * Crypto operations change nothing, so their entries are committed in groups instead of one
 * commit per operation: an entry waits in memory at most {@link AUDIT_GROUP_MS} (a `kill -9` in
 * that window loses the entries of operations that completed in it — never a state change, never
 * a hole in the chain, which is computed at commit), then its group is committed (from then on it
 * survives a crash of the process) and synced to stable storage off the event loop (from then on
 * it survives a power loss). `flush` resolves after both. The same design as PostgreSQL's
 * group commit with `commit_delay`
 * (https://www.postgresql.org/docs/current/wal-configuration.html).
 *
 * A group is committed as soon as the one before it is committed, without waiting for that one's
 * sync: the sync runs on the thread pool and completes only when the event loop turns, so a
 * caller signing in a loop that never leaves the microtask queue (an inline PKCS#11 sign resolves
 * without I/O) would otherwise hold every later entry in memory, uncommitted, until it yields.
 * Syncs are chained and each covers every commit before it, so a power loss still cuts only a
 * suffix of the chain. Like any timer, the {@link AUDIT_GROUP_MS} one fires only when the event
 * loop runs timers; {@link AUDIT_GROUP_MAX} bounds a group in between.
 *
 * This class commits through the store's own transactions (PostgreSQL). The SQLite store keeps
 * the same contract with a worker thread doing the commits (../store/sqlite-audit-group.ts).
 *
 * @module
 */
import type { AuditInput } from './entry';

/** Entries are committed together at most this long after the first of a group… */
export const AUDIT_GROUP_MS = 20;
/** …or as soon as this many are waiting. */
export const AUDIT_GROUP_MAX = 256;

export interface GroupCommitTarget {
  /**
   * Commits the entries, in order, in one transaction (may skip the sync to stable storage).
   * Rejects when nothing was committed; resolves with the error of what failed after the commit
   * (the JSON-lines sink), which is reported without committing the entries again.
   */
  commit(batch: readonly AuditInput[]): Promise<Error | undefined>;
  /** Resolves when every commit so far is on stable storage. */
  sync(): Promise<void>;
}

/** A group committer as the store uses it (this one, or SQLite's worker: store/sqlite-audit-group.ts). */
export interface AuditQueue {
  queue(entry: AuditInput): void;
  /** Until nothing is queued, committing or syncing; throws the first failure since the last flush. */
  flush(): Promise<void>;
  /** Flushes and releases what the committer holds. */
  close(): Promise<void>;
}

export class AuditGroupCommit implements AuditQueue {
  private queued: AuditInput[] = [];
  private flushing: Promise<void> | undefined;
  /** The chain of syncs after commits: settled when every commit so far is synced. */
  private syncing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private error: Error | undefined;

  /** Whether a group ever filled up before its timer ({@link AdaptiveAuditQueue} watches it). */
  filled = false;

  constructor(private readonly target: GroupCommitTarget) {}

  queue(entry: AuditInput): void {
    this.queued.push(entry);
    if (this.queued.length >= AUDIT_GROUP_MAX) {
      this.filled = true;
      this.start();
    } else
      this.timer ??= setTimeout(() => {
        this.start();
      }, AUDIT_GROUP_MS);
  }

  /** Until nothing is queued, committing or syncing; throws the first failure since the last flush. */
  async flush(): Promise<void> {
    for (;;) {
      clearTimeout(this.timer);
      this.timer = undefined;
      if (this.flushing !== undefined) await this.flushing;
      else if (this.queued.length > 0 && this.error === undefined) this.start();
      else if (this.syncing !== undefined) {
        const syncing = this.syncing;
        await syncing;
        if (this.syncing === syncing) this.syncing = undefined;
      } else break;
    }
    const error = this.error;
    this.error = undefined;
    if (error !== undefined) throw error;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued.length > 0) this.flushing ??= this.commitQueued();
  }

  private fail(e: unknown): void {
    this.error ??= e instanceof Error ? e : new Error(String(e));
  }

  /** Every entry queued so far in one transaction; entries queued meanwhile wait for the next. */
  private async commitQueued(): Promise<void> {
    const batch = this.queued;
    this.queued = [];
    try {
      const afterCommit = await this.target.commit(batch);
      // Committed: a failed sink or sync is reported, but the entries are not queued again (that
      // would write them twice).
      if (afterCommit !== undefined) this.fail(afterCommit);
      this.syncing = (this.syncing ?? Promise.resolve())
        .then(() => this.target.sync())
        .catch((e: unknown) => {
          this.fail(e);
        });
    } catch (e) {
      // Kept, in order, for the next flush: a store that was briefly unwritable loses no entry.
      this.queued = [...batch, ...this.queued];
      this.fail(e);
    } finally {
      this.flushing = undefined;
      if (this.error === undefined && this.queued.length >= AUDIT_GROUP_MAX) this.start();
      else if (this.queued.length > 0 && this.timer === undefined && this.error === undefined) {
        this.timer = setTimeout(() => {
          this.start();
        }, AUDIT_GROUP_MS);
      }
    }
  }
}

/**
 * Commits on the caller's thread ({@link AuditGroupCommit}) until a group fills up before its
 * timer — {@link AUDIT_GROUP_MAX} operations within {@link AUDIT_GROUP_MS}, a hot loop — and
 * hands every later entry to the committer `offload` makes (SQLite: a worker thread). Why not the
 * worker from the start: a thread, its modules and a connection cost a one-shot process (a CLI
 * sign) ≈ 35 ms and 10 % more CPU, while below one full group per window the entries cost the
 * caller's thread well under 1 % of its time.
 *
 * Order: the group that filled up has entered this process's write queue before `offload` runs
 * (its transaction starts synchronously), and the offloaded committer posts only from that same
 * queue, so the chain keeps the order operations were queued in. After a failure of that last
 * local group its entries are committed by the next flush, behind what the offloaded committer
 * committed meanwhile — in the chain once each, never lost.
 */
export class AdaptiveAuditQueue implements AuditQueue {
  private offloaded: AuditQueue | undefined;

  constructor(
    private readonly local: AuditGroupCommit,
    private readonly offload: () => AuditQueue,
  ) {}

  /** Where entries go now (tests, status). */
  get committer(): 'caller' | 'offloaded' {
    return this.offloaded === undefined ? 'caller' : 'offloaded';
  }

  queue(entry: AuditInput): void {
    if (this.offloaded !== undefined) {
      this.offloaded.queue(entry);
      return;
    }
    this.local.queue(entry);
    if (this.local.filled) this.offloaded = this.offload();
  }

  async flush(): Promise<void> {
    await both(this.local.flush(), this.offloaded?.flush());
  }

  async close(): Promise<void> {
    await both(this.local.close(), this.offloaded?.close());
  }
}

/** Waits for both (none left running unobserved); throws the first one's failure, else the second's. */
async function both(first: Promise<void>, second: Promise<void> | undefined): Promise<void> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
}
