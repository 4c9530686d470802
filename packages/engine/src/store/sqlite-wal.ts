/**
 * What the store's own SQLite connection (sqlite.ts) and the audit worker's
 * (sqlite-audit-worker.ts) share: the busy timeout, the prepared audit-row insert and the
 * off-thread WAL sync. Kept apart from sqlite.ts so the worker does not load the dialect and its Kysely instance.
 *
 * @module
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type BetterSqlite3 from 'better-sqlite3';
import { errorCode } from './dialect';
import type { AuditRow } from './schema';

/** How long a connection waits for another one's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * The audit_log columns, in table order, as {@link auditInserter} binds them. Here rather than in
 * schema.ts, which loads Kysely: the audit worker loads this file and would pay for it at start.
 */
export const AUDIT_COLUMNS = [
  'seq',
  'time',
  'namespace',
  'actor',
  'operation',
  'target',
  'outcome',
  'error_code',
  'details',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof AuditRow)[];

/**
 * Makes deferred (`synchronous = NORMAL`) WAL commits durable: fdatasync of the -wal file on the
 * libuv thread pool, so the event loop never waits on the disk. Linux flushes an inode's dirty
 * pages whichever descriptor wrote them (fdatasync(2)). A -wal file already gone was
 * checkpointed into the database, which SQLite syncs itself (https://www.sqlite.org/wal.html).
 */
export async function syncWal(file: string): Promise<void> {
  let handle;
  try {
    handle = await open(`${file}-wal`, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return;
    throw e;
  }
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Audit rows through one statement prepared once and run per row (better-sqlite3 binds and
 * steps it synchronously, on the connection whose transaction is open). Kysely would build a
 * multi-row INSERT with 11 parameters per row for every group, and SQLite would compile each
 * new row count afresh: per row, that cost more than the insert itself (bench/callgrind.ts).
 */
export function auditInserter(
  database: BetterSqlite3.Database,
): (rows: readonly AuditRow[]) => void {
  let statement: BetterSqlite3.Statement | undefined;
  const text = `insert into audit_log (${AUDIT_COLUMNS.join(', ')}) values (${AUDIT_COLUMNS.map(() => '?').join(', ')})`;
  return (rows) => {
    // Outside a transaction each row would commit on its own: never half a group.
    if (!database.inTransaction) throw new Error('audit rows are inserted inside a transaction');
    // Prepared on first use: the table exists only once the migrations have run.
    statement ??= database.prepare(text);
    for (const row of rows) {
      // Positional, in AUDIT_COLUMNS order: binding by name looks every field up through the
      // V8 API and cost twice the insert itself.
      statement.run(
        row.seq,
        row.time,
        row.namespace,
        row.actor,
        row.operation,
        row.target,
        row.outcome,
        row.error_code,
        row.details,
        row.prev_hash,
        row.hash,
      );
    }
  };
}
