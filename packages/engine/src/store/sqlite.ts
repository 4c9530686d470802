/**
 * The embedded default: one SQLite file through better-sqlite3, in WAL mode (readers never block
 * the writer) with a busy timeout (writers from other processes queue instead of failing) and
 * `synchronous=FULL` (a committed key is on disk). The file is created 0600 in a 0700 directory
 * with O_EXCL | O_NOFOLLOW before SQLite opens it, and an existing path must be a regular file,
 * never a symlink — a planted link cannot redirect the store.
 *
 * @module
 */
import {
  accessSync,
  constants,
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import { StoreError, type StoreFailure } from '../errors';
import { errorCode, type StoreDialect } from './dialect';
import { AUDIT_COLUMNS, type AuditRow, type Database } from './schema';

const BUSY_TIMEOUT_MS = 10_000;

/**
 * Write transactions per database file in this process, one after the other. better-sqlite3 is
 * synchronous: a second connection of the same process waiting in `BEGIN IMMEDIATE` would block
 * the event loop the first one needs to finish its (async) transaction. So connections of one
 * process queue here, and the SQLite lock (with its busy timeout) only arbitrates between
 * processes.
 */
const WRITERS = new Map<string, Promise<unknown>>();

function serialized<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const previous = WRITERS.get(file) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  const tail = next.catch(() => undefined);
  WRITERS.set(file, tail);
  void tail.then(() => {
    if (WRITERS.get(file) === tail) WRITERS.delete(file);
  });
  return next;
}

/**
 * Commits per database file by this process. `PRAGMA data_version` only moves for commits of
 * other connections, so a connection's per-turn "unchanged" answer is dropped after any commit
 * of this process, whichever connection made it.
 */
const COMMITS = new Map<string, number>();

/**
 * Makes deferred (`synchronous = NORMAL`) WAL commits durable: fdatasync of the -wal file on the
 * libuv thread pool, so the event loop never waits on the disk. Linux flushes an inode's dirty
 * pages whichever descriptor wrote them (fdatasync(2)). A -wal file already gone was
 * checkpointed into the database, which SQLite syncs itself (https://www.sqlite.org/wal.html).
 */
async function syncWal(file: string): Promise<void> {
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

const FS_FAILURES: Readonly<Record<string, StoreFailure>> = {
  EROFS: 'read-only',
  EACCES: 'read-only',
  EPERM: 'read-only',
  ENOSPC: 'disk-full',
  EDQUOT: 'disk-full',
};

/** SQLite result code prefixes → failure (https://www.sqlite.org/rescode.html). */
const SQLITE_FAILURES: readonly (readonly [string, StoreFailure])[] = [
  ['SQLITE_READONLY', 'read-only'],
  ['SQLITE_FULL', 'disk-full'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
  ['SQLITE_CANTOPEN', 'io'],
  ['SQLITE_IOERR', 'io'],
  ['SQLITE_CORRUPT', 'io'],
  ['SQLITE_NOTADB', 'io'],
];

const WHY: Readonly<Record<StoreFailure, string>> = {
  'read-only': 'is read-only',
  'disk-full': 'cannot be written: the disk is full',
  busy: 'is locked by another process (busy timeout expired)',
  io: 'cannot be read or written',
  unreachable: 'is unreachable',
  'schema-too-new': 'is too new',
  'not-initialized': 'is not initialized',
  tls: 'refused the TLS connection',
};

/** Distinct statements kept prepared per connection (the store issues a few dozen shapes). */
const STATEMENT_CACHE_SIZE = 128;

/**
 * The database as Kysely sees it, with its statements prepared once per SQL text: Kysely's
 * SQLite driver calls `prepare` for every query, and compiling the statement again cost more
 * than running it on the cached read and audit paths. A statement is never shared while in use:
 * the store only runs `all` / `run`, which finish before they return (better-sqlite3 is
 * synchronous), never `iterate`. SQLite re-prepares a cached statement itself after a schema
 * change (https://www.sqlite.org/c3ref/prepare.html, sqlite3_prepare_v2).
 */
function cachingStatements(database: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (text) => {
      let statement = statements.get(text);
      if (statement === undefined) {
        statement = database.prepare(text);
        // Variable shapes (multi-row inserts) must not grow the cache without bound.
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * Audit rows through one statement prepared once and run per row (better-sqlite3 binds and
 * steps it synchronously, on the connection whose transaction is open). Kysely would build a
 * multi-row INSERT with 11 parameters per row for every group, and SQLite would compile each
 * new row count afresh: per row, that cost more than the insert itself (bench/callgrind.ts).
 */
function auditInserter(database: BetterSqlite3.Database): (rows: readonly AuditRow[]) => void {
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

function refuseLink(path: string): boolean {
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink() || !st.isFile()) {
      throw new StoreError(`${path} is not a regular file (symlinks are refused)`, {
        reason: 'io',
        field: 'store',
      });
    }
    return true;
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return false;
    throw e;
  }
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Creates the directory (0700) and the file (0600) without following symlinks. */
export function prepareSqliteFile(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory()) {
      throw new StoreError(`${dir} is not a directory (symlinks are refused)`, {
        reason: 'io',
        field: 'store',
      });
    }
    for (const suffix of ['-wal', '-shm', '-journal']) refuseLink(`${path}${suffix}`);
    if (!refuseLink(path)) {
      const flags = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      closeSync(openSync(path, flags, 0o600));
    }
    // SQLite would quietly fall back to read-only (and a WAL store then fails to open with
    // SQLITE_CANTOPEN): say plainly that the file or its directory (WAL, -shm) is not writable.
    accessSync(path, constants.R_OK | constants.W_OK);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof StoreError) throw e;
    const reason = FS_FAILURES[errorCode(e)];
    if (errorCode(e) === 'EEXIST') {
      // A file where a directory of the path should be: say so (retrying would recurse forever).
      if (!isDirectory(dir)) {
        throw new StoreError(`${dir} is not a directory`, {
          reason: 'io',
          field: 'store',
          cause: e,
        });
      }
      // Another process created the file between our check and O_EXCL: open what it made.
      prepareSqliteFile(path);
      return;
    }
    throw new StoreError(
      `the store ${path} ${WHY[reason ?? 'io']} (${errorCode(e) || String(e)})`,
      {
        reason: reason ?? 'io',
        field: 'store',
        cause: e,
      },
    );
  }
}

export function sqliteDialect(path: string): StoreDialect {
  prepareSqliteFile(path);
  const file = realpathSync(path);
  const url = `sqlite://${path}`;
  const failure = (e: unknown): StoreError | undefined => {
    if (e instanceof StoreError) return e;
    const code = errorCode(e);
    const row = SQLITE_FAILURES.find(([prefix]) => code.startsWith(prefix));
    const reason = row?.[1] ?? FS_FAILURES[code];
    if (reason === undefined) return undefined;
    return new StoreError(`the store ${url} ${WHY[reason]} (${code})`, {
      reason,
      field: 'store',
      cause: e,
    });
  };
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(path, { fileMustExist: true });
    database.pragma(`busy_timeout = ${String(BUSY_TIMEOUT_MS)}`);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
  } catch (e) {
    throw failure(e) ?? e;
  }
  let dataVersion = -1;
  let checkedThisTurn = false;
  let commitsSeen = -1;
  let unsynced = false;
  // Prepared once: `database.pragma()` compiles a new statement on every call, and this check
  // runs on every cached read (the signing hot path).
  const dataVersionQuery = database.prepare('PRAGMA data_version').pluck();
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingStatements(database) }),
  });
  return {
    name: 'sqlite',
    url,
    db,
    base: db,
    schema: undefined,
    lockRows: false,
    insertAuditRows: auditInserter(database),
    // BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so a
    // read-then-write transaction can never fail to upgrade its lock halfway.
    // With `deferSync` the commit goes to the WAL without fsync (synchronous = NORMAL: it
    // survives a crash of this process, https://www.sqlite.org/pragma.html#pragma_synchronous);
    // syncDeferred makes it durable off the event loop. WAL frames are appended in commit
    // order, so a power loss can only cut a suffix of commits, never a hole in the audit chain.
    transaction: (fn, options) =>
      serialized(file, () =>
        db.connection().execute(async (conn) => {
          const defer = options?.deferSync === true;
          if (defer) await sql`pragma synchronous = normal`.execute(conn);
          try {
            await sql`begin immediate`.execute(conn);
            try {
              const result = await fn(conn);
              await sql`commit`.execute(conn);
              COMMITS.set(file, (COMMITS.get(file) ?? 0) + 1);
              unsynced ||= defer;
              return result;
            } catch (e) {
              if (database.inTransaction) await sql`rollback`.execute(conn);
              throw e;
            }
          } finally {
            if (defer) await sql`pragma synchronous = full`.execute(conn);
          }
        }),
      ),
    syncDeferred: async () => {
      if (!unsynced) return;
      unsynced = false;
      try {
        await syncWal(file);
      } catch (e) {
        unsynced = true;
        throw failure(e) ?? e;
      }
    },
    now: () => sql<number>`cast(round((julianday('now') - 2440587.5) * 86400000) as integer)`,
    // Asked once per event-loop turn (the three reads of one sign share the answer) and again
    // after any commit of this process: another process's commit can only be known to us
    // through I/O, which ends the turn.
    mayHaveChanged: () => {
      const commits = COMMITS.get(file) ?? 0;
      if (checkedThisTurn && commits === commitsSeen) return false;
      commitsSeen = commits;
      if (!checkedThisTurn) {
        checkedThisTurn = true;
        setImmediate(() => {
          checkedThisTurn = false;
        }).unref();
      }
      const now = Number(dataVersionQuery.get());
      const changed = now !== dataVersion;
      dataVersion = now;
      return changed;
    },
    isUniqueViolation: (e) =>
      ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'].includes(errorCode(e)),
    // BUSY after the busy timeout is a real failure, not something to spin on.
    isRetryable: () => false,
    storeError: failure,
    close: async () => {
      await db.destroy();
    },
  };
}
