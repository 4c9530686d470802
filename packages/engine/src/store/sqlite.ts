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
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import { StoreError, type StoreFailure } from '../errors';
import { errorCode, type StoreDialect } from './dialect';
import type { Database } from './schema';
import { SqliteAuditGroup, type WriteSlot } from './sqlite-audit-group';
import { BUSY_TIMEOUT_MS, auditInserter, syncWal } from './sqlite-wal';

/**
 * Write transactions per database file in this process, one after the other. better-sqlite3 is
 * synchronous: a second connection of the same process waiting in `BEGIN IMMEDIATE` would block
 * the event loop the first one needs to finish its (async) transaction. So connections of one
 * process queue here, and the SQLite lock (with its busy timeout) only arbitrates between
 * processes.
 */
const WRITERS = new Map<string, Promise<unknown>>();
/** Write transactions waiting in {@link WRITERS} (the audit worker holds back new groups then). */
const WAITING = new Map<string, number>();

function serialized<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const previous = WRITERS.get(file) ?? Promise.resolve();
  WAITING.set(file, (WAITING.get(file) ?? 0) + 1);
  const run = (): Promise<T> => {
    WAITING.set(file, (WAITING.get(file) ?? 1) - 1);
    return fn();
  };
  const next = previous.then(run, run);
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
  // The audit worker's turn in WRITERS: held from when it posts a group until the answers are
  // in (sqlite-audit-group.ts), so this thread never meets the worker's lock in BEGIN IMMEDIATE.
  const slot: WriteSlot = {
    acquire: () =>
      new Promise((granted) => {
        void serialized(
          file,
          () =>
            new Promise<void>((release) => {
              granted(release);
            }),
        );
      }),
    contended: () => (WAITING.get(file) ?? 0) > 0,
  };
  return {
    name: 'sqlite',
    url,
    db,
    base: db,
    schema: undefined,
    lockRows: false,
    insertAuditRows: auditInserter(database),
    auditQueue: (options) =>
      new SqliteAuditGroup({ ...options, path, file, url, slot, storeError: failure }),
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
    // through I/O, which ends the turn. The audit worker's commits (another connection, another
    // thread: not in COMMITS) move data_version too, so the first read of the turn after a
    // group reads the generation once — which they leave as it is, so the record cache is kept
    // (sql-store.ts drops it only when the generation moved). Missing one within a turn is
    // harmless for the same reason: they change no record.
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
