/**
 * What really differs between SQLite and PostgreSQL, and nothing else: how a write transaction
 * starts (SQLite `BEGIN IMMEDIATE`, so two writers queue on the busy timeout instead of failing
 * when a read lock cannot be upgraded; PostgreSQL READ COMMITTED with the metadata row locked),
 * the database clock used for leases, how "something changed" is noticed cheaply, and how driver
 * errors map to typed ones. Every query is written once, in sql-store.ts, with Kysely.
 *
 * @module
 */
import type { Kysely, RawBuilder } from 'kysely';
import type { StoreError } from '../errors';
import type { AuditEntry } from '../audit/entry';
import type { AuditQueue } from '../audit/group-commit';
import type { AuditRow, Database } from './schema';

/** What a dialect's own audit committer needs from the unsealed store. */
export interface AuditQueueOptions {
  /** A fresh copy of the data key, in a buffer of its own (handed over: the caller keeps none). */
  readonly dataKey: () => Uint8Array;
  readonly storeId: string;
  readonly actor: string;
  readonly written?: (entries: readonly AuditEntry[]) => void;
}

export interface TransactionOptions {
  /** Commit without waiting for stable storage (see {@link StoreDialect.syncDeferred}). */
  readonly deferSync?: boolean;
}

export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  /** The URL without credentials. */
  readonly url: string;
  /** Queries (for PostgreSQL already bound to the store's schema). */
  readonly db: Kysely<Database>;
  /** Unbound instance for the migrator and introspection. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly base: Kysely<any>;
  /** PostgreSQL schema name; undefined for SQLite. */
  readonly schema: string | undefined;
  /**
   * Runs `fn` in one write transaction. With `deferSync` the commit may return before it is on
   * stable storage (it still survives a crash of this process); {@link syncDeferred} then
   * waits until it is.
   */
  transaction<T>(
    fn: (db: Kysely<Database>) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
  /** Resolves when every `deferSync` commit so far is on stable storage. */
  syncDeferred(): Promise<void>;
  /**
   * Inserts audit rows, in order, into the write transaction running now, through a statement
   * prepared once — where the driver is synchronous with one connection (SQLite), so "the
   * transaction running now" is unambiguous. Undefined: audit/writer.ts inserts with Kysely.
   */
  readonly insertAuditRows?: (rows: readonly AuditRow[]) => void;
  /**
   * Group commit of crypto-operation entries on a connection of its own (SQLite: a worker thread,
   * sqlite-audit-group.ts). Undefined: they are committed in the store's own transactions
   * (../audit/group-commit.ts). State changes and their entries never go through it.
   */
  readonly auditQueue?: (options: AuditQueueOptions) => AuditQueue;
  /** `SELECT … FOR UPDATE` where the database has it (serializes audit appends). */
  readonly lockRows: boolean;
  /** Epoch milliseconds on the database's clock. */
  now(): RawBuilder<number>;
  /**
   * Whether another connection may have committed since the last call: SQLite answers exactly
   * (`PRAGMA data_version`), PostgreSQL after a short interval.
   */
  mayHaveChanged(): boolean;
  isUniqueViolation(error: unknown): boolean;
  /** Whether the transaction may simply be run again (busy, deadlock, serialization). */
  isRetryable(error: unknown): boolean;
  /** A typed StoreError for driver failures (read-only, disk full, unreachable), else undefined. */
  storeError(error: unknown): StoreError | undefined;
  close(): Promise<void>;
}

/** `err.code` of a driver error, whatever its class. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}
