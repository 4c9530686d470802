/**
 * Record reads and writes over one Kysely handle (the store's, or a transaction's). Written once
 * for both dialects. Writes are optimistic: `UPDATE … WHERE id = ? AND revision = ?`; zero rows
 * means the record moved on (ERR_CONFLICT) or is gone (ERR_NOT_FOUND) — an update racing a
 * delete never brings the record back.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../errors';
import type { StoreKeys } from '../seal/data-key';
import { appendAuditEntries, type AuditContext } from '../audit/writer';
import type { AuditEntry, AuditInput } from '../audit/entry';
import type {
  Attributes,
  ListFilter,
  NewRecord,
  RecordChange,
  RecordKind,
  RecordVersion,
  StoreRecord,
  StoreTx,
} from './contract';
import type { StoreDialect, TransactionOptions } from './dialect';
import { checkNamespacePath, parentNamespace, ROOT_NAMESPACE } from './namespaces';
import { describeRecord, openRow, openSecret, sealedFields, sealRow, sealSecrets } from './records';
import { CHILD_KINDS, RECORD_TABLES, type Database, type RecordRow } from './schema';

export class SqlReader {
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly keys: StoreKeys,
  ) {}

  async get<A extends Attributes>(
    kind: RecordKind,
    namespace: string,
    name: string,
    parent = '',
  ): Promise<StoreRecord<A> | undefined> {
    const row = await this.db
      .selectFrom(RECORD_TABLES[kind])
      .selectAll()
      .where('namespace', '=', namespace)
      .where('parent_id', '=', parent)
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : openRow<A>(this.keys, kind, row);
  }

  async getById<A extends Attributes>(
    kind: RecordKind,
    id: string,
  ): Promise<StoreRecord<A> | undefined> {
    const row = await this.db
      .selectFrom(RECORD_TABLES[kind])
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : openRow<A>(this.keys, kind, row);
  }

  async list<A extends Attributes>(
    kind: RecordKind,
    filter: ListFilter = {},
  ): Promise<StoreRecord<A>[]> {
    let q = this.db.selectFrom(RECORD_TABLES[kind]).selectAll();
    if (filter.namespace !== undefined) q = q.where('namespace', '=', filter.namespace);
    if (filter.parent !== undefined) q = q.where('parent_id', '=', filter.parent);
    if (filter.ref !== undefined) q = q.where('ref_id', '=', filter.ref);
    const rows = await q.orderBy('name').orderBy('id').execute();
    return rows.map((row) => openRow<A>(this.keys, kind, row));
  }

  secret(record: StoreRecord, field: string): Buffer {
    return openSecret(this.keys, record, field);
  }
}

export class SqlTx extends SqlReader implements StoreTx {
  /** Whether any record was written (the store bumps its generation once at commit). */
  wrote = false;
  readonly audits: AuditInput[] = [];

  constructor(
    db: Kysely<Database>,
    keys: StoreKeys,
    private readonly dialect: StoreDialect,
  ) {
    super(db, keys);
  }

  async insert<A extends Attributes>(input: NewRecord<A>): Promise<StoreRecord<A>> {
    checkNamespacePath(input.namespace);
    if (input.kind !== 'namespace') await this.ensureNamespace(input.namespace);
    const now = new Date().toISOString();
    const id = input.id ?? randomUUID();
    const row = sealRow(this.keys, input.kind, {
      id,
      namespace: input.namespace,
      name: input.name,
      parent_id: input.parent ?? '',
      ref_id: input.ref ?? '',
      revision: 1,
      created_at: now,
      updated_at: now,
      attributes: JSON.stringify(input.attributes),
      secrets: sealSecrets(
        this.keys,
        { kind: input.kind, namespace: input.namespace, id },
        {},
        input.secrets,
      ),
    });
    try {
      await this.db.insertInto(RECORD_TABLES[input.kind]).values(row).execute();
    } catch (e) {
      if (!this.dialect.isUniqueViolation(e)) throw e;
      throw new AlreadyExistsError(
        `${describeRecord(input.kind, input.namespace, input.name)} already exists`,
        {
          field: 'name',
        },
      );
    }
    this.wrote = true;
    return openRow<A>(this.keys, input.kind, row);
  }

  async update<A extends Attributes>(
    version: RecordVersion,
    change: RecordChange<A>,
  ): Promise<StoreRecord<A>> {
    const current = await this.getById<A>(version.kind, version.id);
    if (current === undefined) throw this.gone(version);
    if (current.revision !== version.revision) throw this.conflict(current, version);
    const row = sealRow(this.keys, version.kind, {
      id: current.id,
      namespace: current.namespace,
      name: current.name,
      parent_id: current.parent,
      ref_id: change.ref ?? current.ref,
      revision: current.revision + 1,
      created_at: current.createdAt,
      updated_at: new Date().toISOString(),
      attributes: JSON.stringify(change.attributes ?? current.attributes),
      secrets: sealSecrets(this.keys, current, sealedFields(current), change.secrets),
    });
    const result = await this.db
      .updateTable(RECORD_TABLES[version.kind])
      .set(row)
      .where('id', '=', version.id)
      .where('revision', '=', version.revision)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return await this.lost(version);
    this.wrote = true;
    return openRow<A>(this.keys, version.kind, row);
  }

  async delete(version: RecordVersion): Promise<void> {
    for (const child of CHILD_KINDS[version.kind] ?? []) {
      const children = await this.db
        .selectFrom(RECORD_TABLES[child])
        .select(['id', 'revision'])
        .where('parent_id', '=', version.id)
        .execute();
      for (const c of children) await this.delete({ kind: child, id: c.id, revision: c.revision });
    }
    const result = await this.db
      .deleteFrom(RECORD_TABLES[version.kind])
      .where('id', '=', version.id)
      .where('revision', '=', version.revision)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) await this.lost(version);
    this.wrote = true;
  }

  audit(entry: AuditInput): Promise<void> {
    this.audits.push(entry);
    return Promise.resolve();
  }

  /** Writes the collected audit entries (called by the store just before commit). */
  async writeAudits(context: AuditContext): Promise<AuditEntry[]> {
    if (this.audits.length === 0) return [];
    return await appendAuditEntries(this.db, this.dialect, context, this.audits);
  }

  /** Creates the namespace and its parents when missing (root always exists). */
  private async ensureNamespace(path: string): Promise<void> {
    if (path === ROOT_NAMESPACE) return;
    const parent = parentNamespace(path);
    if ((await this.get('namespace', parent, path)) !== undefined) return;
    await this.ensureNamespace(parent);
    await this.insert({ kind: 'namespace', namespace: parent, name: path, attributes: {} });
  }

  private async lost(version: RecordVersion): Promise<never> {
    const now = await this.getById(version.kind, version.id);
    throw now === undefined ? this.gone(version) : this.conflict(now, version);
  }

  private gone(version: RecordVersion): NotFoundError {
    return new NotFoundError(
      `${version.kind} ${version.id} no longer exists (deleted concurrently)`,
      {
        field: 'name',
      },
    );
  }

  private conflict(current: StoreRecord, version: RecordVersion): ConflictError {
    return new ConflictError(
      `${describeRecord(current.kind, current.namespace, current.name)} changed concurrently (read revision ${String(version.revision)}, now ${String(current.revision)}); read it again and retry`,
      { field: 'revision' },
    );
  }
}

export type { RecordRow };

const MAX_TX_ATTEMPTS = 5;

export interface AttemptOptions {
  readonly keys: StoreKeys;
  readonly context: AuditContext;
  readonly options: TransactionOptions | undefined;
  /** Called on every failed attempt (the store then stops trusting its read cache). */
  readonly failed: () => void;
}

/**
 * Runs `fn` in one transaction with its audit entries and the generation bump a write needs;
 * retried on busy / serialization failures only, then mapped to the store's typed error.
 */
export async function transactionAttempts<T>(
  dialect: StoreDialect,
  fn: (tx: StoreTx) => Promise<T>,
  { keys, context, options, failed }: AttemptOptions,
): Promise<{ result: T; entries: AuditEntry[]; wrote: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dialect.transaction(async (db) => {
        const tx = new SqlTx(db, keys, dialect);
        const value = await fn(tx);
        const written = await tx.writeAudits(context);
        if (tx.wrote) {
          await db
            .updateTable('store_meta')
            .set((eb) => ({ generation: eb('generation', '+', 1) }))
            .where('id', '=', 1)
            .execute();
        }
        return { result: value, entries: written, wrote: tx.wrote };
      }, options);
    } catch (e) {
      failed();
      if (attempt < MAX_TX_ATTEMPTS && dialect.isRetryable(e)) continue;
      throw dialect.storeError(e) ?? e;
    }
  }
}
