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
import type { AuditRow, Database, MetaRow } from '../store/schema';
import { canonicalJson, chainHash, type AuditEntry, type AuditInput } from './entry';

export interface AuditContext {
  readonly keys: StoreKeys;
  readonly actor: string;
  /** Called after commit with what was written (the JSON-lines sink). */
  readonly written?: (entries: readonly AuditEntry[]) => void;
}

export function rowToEntry(row: AuditRow): AuditEntry {
  return entryOf(row, JSON.parse(row.details) as { [key: string]: JsonValue });
}

/** The entry a row holds, with its details already parsed (or never serialized). */
function entryOf(row: AuditRow, details: AuditEntry['details']): AuditEntry {
  return {
    seq: row.seq,
    time: row.time,
    namespace: row.namespace,
    actor: row.actor,
    operation: row.operation,
    target: row.target,
    outcome: row.outcome as AuditEntry['outcome'],
    errorCode: row.error_code,
    details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * `new Date(ms).toISOString()` with the part up to the seconds formatted once per second: V8
 * formats a date through snprintf, which per entry cost more than the entry's JSON.
 */
export function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    // "…THH:mm:ss." — the ".000Z" of a whole second cut back to its dot.
    secondPrefix = new Date(second * 1000).toISOString().slice(0, -4);
  }
  return `${secondPrefix}${String(ms - second * 1000).padStart(3, '0')}Z`;
}
let lastSecond = Number.NaN;
let secondPrefix = '';

/**
 * Builds entry `seq` after `prevHash` and its row (appended to `entries` / `rows`); returns its
 * hash. The entry keeps the details object it was given (the JSON-lines sink prints it). Per
 * entry, apart from the per-group queries, so it is compiled on its own: small, and free of the
 * transaction's objects.
 */
function chainEntry(
  context: Pick<AuditContext, 'keys' | 'actor'>,
  input: AuditInput,
  seq: number,
  prevHash: string,
  entries: AuditEntry[],
  rows: AuditRow[],
): string {
  const details: { [key: string]: JsonValue } = { ...input.details };
  if (input.secrets !== undefined) {
    for (const [name, value] of Object.entries(input.secrets)) {
      details[name] = context.keys.auditHmac(value);
    }
  }
  const body = {
    seq,
    time: isoTime(Date.now()),
    namespace: input.namespace,
    actor: input.actor ?? context.actor,
    operation: input.operation,
    target: input.target,
    outcome: input.outcome,
    errorCode: input.errorCode ?? null,
    prevHash,
  };
  // Stored as the canonical text the hash covers: serialized once, not twice.
  const detailsJson = canonicalJson(details);
  const row: AuditRow = {
    seq,
    time: body.time,
    namespace: body.namespace,
    actor: body.actor,
    operation: body.operation,
    target: body.target,
    outcome: body.outcome,
    error_code: body.errorCode,
    details: detailsJson,
    prev_hash: prevHash,
    hash: chainHash(body, detailsJson),
  };
  rows.push(row);
  entries.push(entryOf(row, details));
  return row.hash;
}

/** A group of entries chained after a head: the rows to insert and the metadata row to write. */
export interface ChainedGroup {
  readonly entries: AuditEntry[];
  readonly rows: AuditRow[];
  /** The metadata row with the new head, MAC'd. */
  readonly next: MetaRow;
}

/**
 * Chains `inputs`, in order, after the head in `meta` (checked against its MAC first). No I/O:
 * shared by the in-transaction writer below and the SQLite audit worker
 * (../store/sqlite-audit-worker.ts), so both build the same chain.
 */
export function chainEntries(
  context: Pick<AuditContext, 'keys' | 'actor'>,
  meta: MetaRow,
  inputs: readonly AuditInput[],
): ChainedGroup {
  checkMeta(context.keys, meta);
  let seq = meta.audit_seq;
  let prevHash = meta.audit_head;
  const entries: AuditEntry[] = [];
  const rows: AuditRow[] = [];
  for (const input of inputs) {
    seq += 1;
    prevHash = chainEntry(context, input, seq, prevHash, entries, rows);
  }
  const next = sealMeta(context.keys, { ...meta, audit_seq: seq, audit_head: prevHash });
  return { entries, rows, next };
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
  const { entries, rows, next } = chainEntries(context, await q.executeTakeFirstOrThrow(), inputs);
  if (dialect.insertAuditRows !== undefined) dialect.insertAuditRows(rows);
  else {
    // In chunks: a multi-row INSERT binds 11 parameters per entry, and a group commit may carry
    // thousands of entries (SQLite binds at most 32,766 per statement; PostgreSQL 65,535).
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await db
        .insertInto('audit_log')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    }
  }
  await db
    .updateTable('store_meta')
    .set({ audit_seq: next.audit_seq, audit_head: next.audit_head, mac: next.mac })
    .where('id', '=', 1)
    .execute();
  return entries;
}

const INSERT_CHUNK = 500;
