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
  /** Commits the entries, in order, in one transaction (may skip the sync to stable storage). */
  commit(batch: readonly AuditInput[]): Promise<void>;
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

  constructor(private readonly target: GroupCommitTarget) {}

  queue(entry: AuditInput): void {
    this.queued.push(entry);
    if (this.queued.length >= AUDIT_GROUP_MAX) this.start();
    else
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
      await this.target.commit(batch);
      // Committed: a failed sync is reported, but the entries are not queued again (that would
      // write them twice).
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
