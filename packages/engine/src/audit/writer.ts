/**
 * Appending audit entries inside a store transaction: the chain head is read from the store
 * metadata row (locked `FOR UPDATE` on PostgreSQL, so concurrent writers queue instead of forking
 * the chain), each entry hashes the previous one, and the new head is written back MAC'd — all in
 * the caller's transaction, so an entry exists exactly when its change does.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { StoreKeys } from '../seal/data-key';
import type { JsonValue } from '../store/contract';
import type { StoreDialect } from '../store/dialect';
import { checkMeta, sealMeta } from '../store/records';
import type { AuditRow, Database } from '../store/schema';
import { entryHash, type AuditEntry, type AuditInput } from './entry';

export interface AuditContext {
  readonly keys: StoreKeys;
  readonly actor: string;
  /** Called after commit with what was written (the JSON-lines sink). */
  readonly written?: (entries: readonly AuditEntry[]) => void;
}

export function rowToEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    time: row.time,
    namespace: row.namespace,
    actor: row.actor,
    operation: row.operation,
    target: row.target,
    outcome: row.outcome as AuditEntry['outcome'],
    errorCode: row.error_code,
    details: JSON.parse(row.details) as { [key: string]: JsonValue },
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Appends `inputs` in order; returns the entries written. */
export async function appendAuditEntries(
  db: Kysely<Database>,
  dialect: StoreDialect,
  context: AuditContext,
  inputs: readonly AuditInput[],
): Promise<AuditEntry[]> {
  let q = db.selectFrom('store_meta').selectAll().where('id', '=', 1);
  if (dialect.lockRows) q = q.forUpdate();
  const meta = await q.executeTakeFirstOrThrow();
  checkMeta(context.keys, meta);
  let seq = meta.audit_seq;
  let prevHash = meta.audit_head;
  const entries: AuditEntry[] = [];
  for (const input of inputs) {
    const details: { [key: string]: JsonValue } = { ...(input.details ?? {}) };
    for (const [name, value] of Object.entries(input.secrets ?? {})) {
      details[name] = context.keys.auditHmac(value);
    }
    seq += 1;
    const body = {
      seq,
      time: new Date().toISOString(),
      namespace: input.namespace,
      actor: input.actor ?? context.actor,
      operation: input.operation,
      target: input.target,
      outcome: input.outcome,
      errorCode: input.errorCode ?? null,
      details,
      prevHash,
    };
    const entry: AuditEntry = { ...body, hash: entryHash(body) };
    entries.push(entry);
    prevHash = entry.hash;
  }
  // In chunks: SQLite binds at most 32,766 parameters per statement (11 per entry), and a
  // group commit may carry thousands of entries.
  for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
    await insertEntries(db, entries.slice(i, i + INSERT_CHUNK));
  }
  const next = sealMeta(context.keys, { ...meta, audit_seq: seq, audit_head: prevHash });
  await db
    .updateTable('store_meta')
    .set({ audit_seq: next.audit_seq, audit_head: next.audit_head, mac: next.mac })
    .where('id', '=', 1)
    .execute();
  return entries;
}

const INSERT_CHUNK = 500;

async function insertEntries(db: Kysely<Database>, entries: readonly AuditEntry[]): Promise<void> {
  await db
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        seq: e.seq,
        time: e.time,
        namespace: e.namespace,
        actor: e.actor,
        operation: e.operation,
        target: e.target,
        outcome: e.outcome,
        error_code: e.errorCode,
        details: JSON.stringify(e.details),
        prev_hash: e.prevHash,
        hash: e.hash,
      })),
    )
    .execute();
}
