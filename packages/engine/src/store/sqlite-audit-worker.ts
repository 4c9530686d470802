/**
 * The SQLite audit worker (a `node:worker_threads` thread; started by sqlite-audit-group.ts):
 * commits groups of crypto-operation entries on its own better-sqlite3 connection to the store
 * file, so the chain hashing, the input HMACs and the row inserts run off the caller's thread.
 *
 * Per group, in one `BEGIN IMMEDIATE` transaction: read the head from store_meta, chain the
 * entries with the writer's own code (../audit/writer.ts `chainEntries`), insert the rows,
 * write the MAC'd head, commit with `synchronous = NORMAL` (the same deferred sync as the
 * store's `deferSync` transactions), answer, then fdatasync the WAL on the thread pool. A state
 * change committed by the store's own connection takes the same SQLite write lock, so the two
 * connections extend one chain: whichever commits second reads the head the first wrote.
 *
 * After a failed group every later group is answered `rejected` without being tried, until the
 * main thread resumes with a group that carries `resume` — it puts the failed group and the
 * rejected ones back in order first, so no entry is lost, reordered or written twice.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { chainEntries } from '../audit/writer';
import { StoreKeys } from '../seal/data-key';
import { errorCode } from './dialect';
import type { MetaRow } from './schema';
import type { AuditWorkerData, FromWorker, ToWorker, WorkerError } from './sqlite-audit-group';
import { BUSY_TIMEOUT_MS, auditInserter, syncWal } from './sqlite-wal';

/** What crosses back: the code (what the store maps to a typed error) and the message only. */
function describe(e: unknown): WorkerError {
  const error = e instanceof Error ? e : new Error(String(e));
  const field = (e as { field?: unknown } | null)?.field;
  return {
    name: error.name,
    message: error.message,
    code: errorCode(e),
    ...(typeof field === 'string' ? { field } : {}),
  };
}

function start(port: NonNullable<typeof parentPort>, data: AuditWorkerData): void {
  const dataKey = new Uint8Array(data.dataKey);
  const keys = new StoreKeys(dataKey, data.storeId);
  // The derived keys are all the worker keeps: its copy of the data key is zeroed now.
  dataKey.fill(0);
  const context = { keys, actor: data.actor };
  const database = new BetterSqlite3(data.path, { fileMustExist: true });
  database.pragma(`busy_timeout = ${String(BUSY_TIMEOUT_MS)}`);
  // This connection only ever commits audit groups: always deferred, synced below.
  database.pragma('synchronous = NORMAL');
  const readMeta = database.prepare('select * from store_meta where id = 1');
  const writeHead = database.prepare(
    'update store_meta set audit_seq = ?, audit_head = ?, mac = ? where id = 1',
  );
  const insertRows = auditInserter(database);
  const post = (message: FromWorker): void => {
    port.postMessage(message);
  };

  let failed = false;
  /** Highest group id committed, and whether a sync is running (one at a time, coalesced). */
  let committed = 0;
  let syncing = false;
  const sync = (): void => {
    if (syncing) return;
    syncing = true;
    const upTo = committed;
    const done = (error?: WorkerError): void => {
      post({ type: 'synced', id: upTo, ...(error === undefined ? {} : { error }) });
      syncing = false;
      // Commits made while this sync ran: one more sync covers all of them.
      if (committed > upTo) sync();
    };
    syncWal(data.file).then(
      () => {
        done();
      },
      (e: unknown) => {
        done(describe(e));
      },
    );
  };

  const commit = (message: Extract<ToWorker, { type: 'commit' }>): void => {
    if (message.resume) failed = false;
    if (failed) {
      post({ type: 'rejected', id: message.id });
      return;
    }
    try {
      database.exec('begin immediate');
      try {
        const group = chainEntries(context, readMeta.get() as MetaRow, message.batch);
        insertRows(group.rows);
        writeHead.run(group.next.audit_seq, group.next.audit_head, group.next.mac);
        database.exec('commit');
        committed = message.id;
        post({
          type: 'committed',
          id: message.id,
          ...(data.wantEntries ? { entries: group.entries } : {}),
        });
      } catch (e) {
        if (database.inTransaction) database.exec('rollback');
        throw e;
      }
    } catch (e) {
      failed = true;
      post({ type: 'failed', id: message.id, error: describe(e) });
      return;
    }
    sync();
  };

  port.on('message', (message: ToWorker) => {
    if (message.type === 'commit') commit(message);
    else {
      // Close after the last sync: the main thread waited for it before asking.
      keys.dispose();
      database.close();
      port.close();
    }
  });
}

if (parentPort !== null) start(parentPort, workerData as AuditWorkerData);
