/**
 * Group commit of crypto-operation audit entries for the SQLite store, committed by a worker
 * thread (sqlite-audit-worker.ts) on a connection of its own, once the caller fills a group
 * (AdaptiveAuditQueue in ../audit/group-commit.ts; below that rate they commit on the caller's
 * thread and no worker is started): the caller's thread only queues
 * each entry and posts each group (one `postMessage` per group), so the chain hash, the input
 * HMACs and the row inserts leave the signing hot path. The timing and durability contract is
 * the one of ../audit/group-commit.ts (which PostgreSQL keeps): an entry waits at most
 * {@link AUDIT_GROUP_MS} or until {@link AUDIT_GROUP_MAX} are queued, `flush` resolves after
 * commit + sync of everything queued and throws the first failure, and a failed group is kept,
 * in order, for the next flush.
 *
 * Groups are pipelined: a full group is posted even while earlier ones are unanswered, so a
 * caller that never leaves the microtask queue (answers need the event loop) still has its
 * entries committed by the worker, which runs its own loop. After a failure the worker rejects
 * the groups behind it untried, and they all go back to the queue, in order.
 *
 * Write lock. A group is posted only while this process's write slot for the file is held (the
 * queue sqlite.ts runs its write transactions through), and the slot is released as soon as no
 * posted group is unanswered. So a state-change transaction that meets a worker commit waits for
 * it asynchronously in that queue — the event loop never blocks in `BEGIN IMMEDIATE` behind the
 * worker — and the worker, for its part, never waits on a lock held by this process. While a
 * transaction is waiting, new groups are held back (not pipelined), so a stream of groups cannot
 * starve it: it waits for at most the groups already posted. Other processes are arbitrated by
 * the SQLite lock and its busy timeout, as before.
 *
 * @module
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AuditEntry, AuditInput } from '../audit/entry';
import { AUDIT_GROUP_MAX, AUDIT_GROUP_MS, type AuditQueue } from '../audit/group-commit';
import { IntegrityError, StoreError } from '../errors';

/** Started with: the keys travel in memory only (a transferred copy the worker zeroes). */
export interface AuditWorkerData {
  readonly path: string;
  /** The real path (the WAL sync opens `${file}-wal`). */
  readonly file: string;
  readonly storeId: string;
  readonly actor: string;
  readonly dataKey: ArrayBuffer;
  /** Whether to send the entries back (only the JSON-lines sink needs them). */
  readonly wantEntries: boolean;
  /** The TypeScript entry the bootstrap loads (sources only, see {@link workerEntry}). */
  readonly entry?: string;
}

export interface WorkerError {
  readonly name: string;
  readonly message: string;
  readonly code: string;
  readonly field?: string;
}

export type ToWorker =
  | {
      readonly type: 'commit';
      readonly id: number;
      readonly batch: readonly AuditInput[];
      readonly resume: boolean;
    }
  | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'committed'; readonly id: number; readonly entries?: AuditEntry[] }
  | { readonly type: 'failed'; readonly id: number; readonly error: WorkerError }
  | { readonly type: 'rejected'; readonly id: number }
  | { readonly type: 'synced'; readonly id: number; readonly error?: WorkerError };

/** This process's write slot for the store file (sqlite.ts). */
export interface WriteSlot {
  /** Resolves with the release function once no other write transaction of this process runs. */
  acquire(): Promise<() => void>;
  /** Whether a write transaction of this process is waiting for the slot. */
  contended(): boolean;
}

export interface SqliteAuditOptions {
  readonly path: string;
  readonly file: string;
  readonly url: string;
  readonly slot: WriteSlot;
  readonly storeError: (error: unknown) => StoreError | undefined;
  /** A fresh copy of the data key, for the worker (called when it starts). */
  readonly dataKey: () => Uint8Array;
  readonly storeId: string;
  readonly actor: string;
  readonly written?: (entries: readonly AuditEntry[]) => void;
}

/**
 * Worker threads run JavaScript only. Built (dist/: the CLI, the provider, the packages) the
 * compiled worker sits next to this file. Under jest the engine runs from its TypeScript sources
 * (jest.config.js maps @keyplane/* there, so a test never runs a stale dist/), and a worker
 * cannot be handed a .ts file: a small CommonJS bootstrap (ts-worker.cjs, never built or
 * shipped) registers @swc/core — the transpiler jest itself uses — for .ts and loads the source.
 */
function workerEntry(): { file: string; entry?: string } {
  if (!__filename.endsWith('.ts')) return { file: join(__dirname, 'sqlite-audit-worker.js') };
  return {
    file: join(__dirname, 'ts-worker.cjs'),
    entry: join(__dirname, 'sqlite-audit-worker.ts'),
  };
}

interface Group {
  readonly id: number;
  readonly batch: AuditInput[];
  posted: boolean;
}

export class SqliteAuditGroup implements AuditQueue {
  private queued: AuditInput[] = [];
  /** Groups not answered yet, in order (posted first, then any held back for the slot). */
  private groups: Group[] = [];
  private nextId = 1;
  private committedId = 0;
  private syncedId = 0;
  private timer: NodeJS.Timeout | undefined;
  private error: Error | undefined;
  private worker: Worker | undefined;
  private release: (() => void) | undefined;
  private acquiring = false;
  /** The next group tells the worker that the failed groups are back in the queue. */
  private resume = false;
  private idle: (() => void)[] = [];

  constructor(private readonly options: SqliteAuditOptions) {}

  queue(entry: AuditInput): void {
    // Started with the first entry, so its start-up (a thread, its modules, a connection)
    // overlaps the group's wait instead of delaying the first commit.
    if (this.worker === undefined) this.started();
    this.queued.push(entry);
    if (this.queued.length >= AUDIT_GROUP_MAX) this.send();
    else
      this.timer ??= setTimeout(() => {
        this.send();
      }, AUDIT_GROUP_MS);
  }

  /** Until nothing is queued, committing or syncing; throws the first failure since the last flush. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.queued.length > 0 && this.error === undefined) this.send();
      clearTimeout(this.timer);
      this.timer = undefined;
      if (!this.busy()) break;
      await new Promise<void>((resolve) => this.idle.push(resolve));
    }
    const error = this.error;
    this.error = undefined;
    if (error !== undefined) throw error;
  }

  /** Flushes, then stops the worker (after it closed its connection). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      clearTimeout(this.timer);
      this.timer = undefined;
      const worker = this.worker;
      this.worker = undefined;
      if (worker !== undefined) {
        worker.ref();
        const exited = once(worker, 'exit');
        worker.postMessage({ type: 'close' } satisfies ToWorker);
        await exited;
      }
    }
  }

  private busy(): boolean {
    return this.groups.length > 0 || this.syncedId < this.committedId;
  }

  private fail(e: Error): void {
    this.error ??= e;
  }

  /** Every entry queued so far as one group. */
  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued.length === 0) return;
    this.groups.push({ id: this.nextId++, batch: this.queued, posted: false });
    this.queued = [];
    if (this.release === undefined) this.acquire();
    else if (!this.options.slot.contended()) this.postHeld();
    this.settle();
  }

  private acquire(): void {
    if (this.acquiring) return;
    this.acquiring = true;
    void this.options.slot.acquire().then((release) => {
      this.acquiring = false;
      this.release = release;
      this.postHeld();
      this.settle();
    });
  }

  private postHeld(): void {
    for (const group of this.groups) {
      if (group.posted) continue;
      const message: ToWorker = {
        type: 'commit',
        id: group.id,
        batch: group.batch,
        resume: this.resume,
      };
      this.resume = false;
      group.posted = true;
      this.started().postMessage(message);
    }
  }

  private started(): Worker {
    if (this.worker !== undefined) return this.worker;
    const { options } = this;
    // Transferred, so gone from this thread; it must be a buffer of its own (a small Buffer may
    // sit in Node's shared pool, which cannot be transferred and holds other data).
    let dataKey = options.dataKey();
    if (dataKey.byteOffset !== 0 || dataKey.byteLength !== dataKey.buffer.byteLength) {
      const own = new Uint8Array(dataKey);
      dataKey.fill(0);
      dataKey = own;
    }
    const data: AuditWorkerData = {
      path: options.path,
      file: options.file,
      storeId: options.storeId,
      actor: options.actor,
      dataKey: dataKey.buffer as ArrayBuffer,
      wantEntries: options.written !== undefined,
    };
    const { file, entry } = workerEntry();
    const worker = new Worker(file, {
      workerData: { ...data, ...(entry === undefined ? {} : { entry }) },
      transferList: [data.dataKey],
    });
    // Idle, the worker never keeps the process alive; settle() refs it while groups are
    // outstanding, as the group timer and the sync's file handle kept it alive before.
    worker.unref();
    worker.on('message', (message: FromWorker) => {
      this.answer(message);
    });
    worker.on('error', (e) => {
      this.lost(worker, e);
    });
    worker.on('exit', (code) => {
      this.lost(worker, new Error(`the audit worker exited with code ${String(code)}`));
    });
    this.worker = worker;
    return worker;
  }

  private answer(message: FromWorker): void {
    if (message.type === 'synced') {
      this.syncedId = Math.max(this.syncedId, message.id);
      if (message.error !== undefined) this.fail(this.rebuild(message.error));
    } else if (message.type === 'committed') {
      if (this.groups[0]?.id !== message.id) return;
      this.groups.shift();
      this.committedId = message.id;
      // Committed: a failing sink is reported, but the entries are not queued again (that
      // would write them twice).
      if (message.entries !== undefined) {
        try {
          this.options.written?.(message.entries);
        } catch (e) {
          this.fail(e instanceof Error ? e : new Error(String(e)));
        }
      }
    } else if (message.type === 'failed') {
      const at = this.groups.findIndex((g) => g.id === message.id);
      if (at >= 0) this.requeue(at);
      this.fail(this.rebuild(message.error));
    }
    // 'rejected': its group went back to the queue with the failed one before it.
    this.settle();
  }

  /** Groups from `at` on back to the front of the queue, in order; the worker is told to resume. */
  private requeue(at: number): void {
    const back = this.groups.splice(at);
    this.queued = [...back.flatMap((g) => g.batch), ...this.queued];
    this.resume = true;
  }

  /** The worker died (or exited): what it had not answered is queued again, in order. */
  private lost(worker: Worker, e: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    void worker.terminate();
    if (this.groups.length === 0 && this.syncedId >= this.committedId) return;
    this.requeue(0);
    // A new worker starts with nothing to resume from.
    this.resume = false;
    this.syncedId = this.committedId;
    this.fail(
      new StoreError(`the audit writer of the store ${this.options.url} stopped: ${e.message}`, {
        reason: 'io',
        field: 'store',
        cause: e,
      }),
    );
    this.settle();
  }

  /** The typed error the store's own connection would have raised. */
  private rebuild(error: WorkerError): Error {
    const e = Object.assign(new Error(error.message), { name: error.name, code: error.code });
    const mapped = this.options.storeError(e);
    if (mapped !== undefined) return mapped;
    if (error.code === IntegrityError.code) {
      return new IntegrityError(error.message, { field: error.field ?? 'store_meta' });
    }
    return e;
  }

  /** Releases the slot when no posted group is unanswered; wakes flushes when nothing is left. */
  private settle(): void {
    const inFlight = this.groups.some((g) => g.posted);
    if (!inFlight && this.release !== undefined) {
      const release = this.release;
      this.release = undefined;
      release();
      if (this.groups.length > 0) this.acquire();
    }
    if (this.busy()) this.worker?.ref();
    else {
      this.worker?.unref();
      for (const wake of this.idle.splice(0)) wake();
    }
  }
}
