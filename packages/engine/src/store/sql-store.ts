/**
 * The KeyStore over a {@link StoreDialect}: opening (migrations, initialization, unsealing the data
 * key), transactions with their audit entries, a read cache validated by the store generation (so
 * the signing hot path does not touch the database), leases, status and rewrap.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { Migrator } from 'kysely';
import { rowToEntry, type AuditContext } from '../audit/writer';
import { GENESIS_HASH, verifyChain, type AuditEntry, type AuditInput } from '../audit/entry';
import { jsonLinesSink } from '../audit/sink';
import { isKeyplaneError, SealError, StoreError } from '../errors';
import type { Seal, SealType } from '../seal/contract';
import { DATA_KEY_BYTES, StoreKeys } from '../seal/data-key';
import type {
  Attributes,
  KeyStore,
  Lease,
  LeaseOptions,
  ListFilter,
  RecordKind,
  StoreRecord,
  StoreStatus,
  StoreTx,
} from './contract';
import type { StoreDialect } from './dialect';
import { acquireLease } from './leases';
import { ROOT_NAMESPACE } from './namespaces';
import { checkMeta, sealMeta } from './records';
import {
  appliedMigrations,
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  MIGRATIONS,
  migrationProvider,
  RECORD_TABLES,
  SCHEMA_VERSION,
  type MetaRow,
} from './schema';
import { SqlReader, SqlTx } from './sql-tx';

export interface StoreOpenOptions {
  /** The configured seal; without one only `status()` works. */
  readonly seal?: Seal;
  /** Initialize an empty store with `seal`. @default true */
  readonly init?: boolean;
  /** Who is acting (audit entries). @default $KEYPLANE_ACTOR, else the OS user */
  readonly actor?: string;
  /** Also append audit entries to this JSON-lines file (a SIEM sink). @default $KEYPLANE_AUDIT_FILE */
  readonly auditFile?: string;
}

const MAX_TX_ATTEMPTS = 5;
/** Crypto-operation audit entries: committed together at most this long after the first… */
const AUDIT_GROUP_MS = 20;
/** …or as soon as this many are waiting. */
const AUDIT_GROUP_MAX = 256;

function defaultActor(): string {
  const env = process.env.KEYPLANE_ACTOR;
  if (env !== undefined && env !== '') return env;
  try {
    return userInfo().username;
  } catch {
    return `uid:${String(process.getuid?.() ?? 'unknown')}`;
  }
}

/** Runs the migrations after refusing a store written by a newer schema. */
async function migrate(dialect: StoreDialect): Promise<void> {
  const known = Object.keys(MIGRATIONS);
  const applied = await appliedMigrations(dialect.base, dialect.schema);
  const unknown = applied.filter((m) => !known.includes(m));
  if (unknown.length > 0) {
    throw new StoreError(
      `the store at ${dialect.url} was written by a newer Keyplane (schema migration ${unknown.join(', ')}; this version knows schema ${String(SCHEMA_VERSION)}): upgrade Keyplane to open it`,
      { reason: 'schema-too-new', field: 'store' },
    );
  }
  if (applied.length === known.length) return;
  const migrator = new Migrator({
    db: dialect.base,
    provider: migrationProvider(dialect.schema),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(dialect.schema === undefined ? {} : { migrationTableSchema: dialect.schema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error('migration failed');
}

export class SqlKeyStore implements KeyStore {
  readonly url: string;
  private readonly reader: SqlReader | undefined;
  private readonly cache = new Map<string, StoreRecord>();
  private cacheGeneration = '';
  /** The generation the cached records were read at. */
  private cacheValidFor = '';
  private generationStale = true;
  private queued: AuditInput[] = [];
  private flushing: Promise<void> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushError: Error | undefined;
  initializedNow = false;

  // Key material in ECMAScript private fields: never enumerated, so never printed.
  readonly #keys: StoreKeys | undefined;
  readonly #dataKey: Buffer | undefined;
  readonly #context: AuditContext | undefined;

  private constructor(
    private readonly dialect: StoreDialect,
    private meta: MetaRow,
    keys: StoreKeys | undefined,
    dataKey: Buffer | undefined,
    context: AuditContext | undefined,
  ) {
    this.url = dialect.url;
    this.#keys = keys;
    this.#dataKey = dataKey;
    this.#context = context;
    this.reader = keys === undefined ? undefined : new SqlReader(dialect.db, keys);
  }

  get sealType(): SealType {
    return this.meta.seal_type as SealType;
  }

  static async open(dialect: StoreDialect, options: StoreOpenOptions = {}): Promise<SqlKeyStore> {
    let initialized = false;
    try {
      // The audit file is checked first: a bad path must not leave a half-initialized store.
      const auditFile = options.auditFile ?? process.env.KEYPLANE_AUDIT_FILE;
      const written =
        options.seal === undefined || auditFile === undefined || auditFile === ''
          ? undefined
          : jsonLinesSink(auditFile);
      await migrate(dialect);
      let meta = await dialect.db
        .selectFrom('store_meta')
        .selectAll()
        .where('id', '=', 1)
        .executeTakeFirst();
      const { seal } = options;
      if (meta === undefined) {
        if (seal === undefined || options.init === false) {
          throw new StoreError(
            `the store at ${dialect.url} is not initialized: run 'keyplane store init' (or configure a seal: KEYPLANE_SEAL / KEYPLANE_SEAL_PASSPHRASE)`,
            { reason: 'not-initialized', field: 'store' },
          );
        }
        meta = await SqlKeyStore.initialize(dialect, seal, options, written);
        initialized = true;
      }
      if (seal === undefined)
        return new SqlKeyStore(dialect, meta, undefined, undefined, undefined);
      const dataKey = await SqlKeyStore.unseal(dialect, meta, seal);
      const keys = new StoreKeys(dataKey, meta.store_id);
      checkMeta(keys, meta);
      const context: AuditContext = {
        keys,
        actor: options.actor ?? defaultActor(),
        ...(written === undefined ? {} : { written }),
      };
      const store = new SqlKeyStore(dialect, meta, keys, dataKey, context);
      store.initializedNow = initialized;
      return store;
    } catch (e) {
      await dialect.close().catch(() => undefined);
      throw dialect.storeError(e) ?? e;
    }
  }

  private static async unseal(dialect: StoreDialect, meta: MetaRow, seal: Seal): Promise<Buffer> {
    if (seal.type !== meta.seal_type) {
      throw new SealError(
        `the store at ${dialect.url} is sealed with the ${meta.seal_type} seal (${meta.seal_description}), but the ${seal.type} seal is configured`,
        { field: 'seal' },
      );
    }
    try {
      const key = await seal.unwrapDataKey(meta.wrapped_key);
      if (key.length !== DATA_KEY_BYTES) throw new Error('wrong data key length');
      return key;
    } catch (cause) {
      const why =
        isKeyplaneError(cause) && cause.code !== 'ERR_DECRYPTION_FAILED'
          ? `: ${cause.message}`
          : '';
      throw new SealError(
        `the ${seal.type} seal (${seal.description}) cannot unseal the store at ${dialect.url}${seal.type === 'passphrase' ? ' (wrong passphrase?)' : ' (wrong key?)'}${why}`,
        { field: 'seal', cause },
      );
    }
  }

  private static async initialize(
    dialect: StoreDialect,
    seal: Seal,
    options: StoreOpenOptions,
    written: AuditContext['written'],
  ): Promise<MetaRow> {
    const dataKey = randomBytes(DATA_KEY_BYTES);
    const storeId = randomUUID();
    const keys = new StoreKeys(dataKey, storeId);
    const now = new Date().toISOString();
    const meta = sealMeta(keys, {
      id: 1,
      store_id: storeId,
      seal_type: seal.type,
      seal_description: seal.description,
      wrapped_key: await seal.wrapDataKey(dataKey),
      generation: 1,
      audit_seq: 0,
      audit_head: GENESIS_HASH,
      created_at: now,
      updated_at: now,
    });
    const entries = await dialect.transaction(async (db) => {
      // A concurrent init may have won: keep its metadata.
      const inserted = await db
        .insertInto('store_meta')
        .values(meta)
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return [];
      const tx = new SqlTx(db, keys, dialect);
      await tx.insert({
        kind: 'namespace',
        namespace: ROOT_NAMESPACE,
        name: ROOT_NAMESPACE,
        attributes: {},
      });
      await tx.audit({
        namespace: ROOT_NAMESPACE,
        operation: 'store.init',
        target: 'store',
        outcome: 'ok',
        details: { seal: seal.type, schema: SCHEMA_VERSION },
      });
      return await tx.writeAudits({ keys, actor: options.actor ?? defaultActor() });
    });
    dataKey.fill(0);
    keys.dispose();
    if (entries.length > 0) written?.(entries);
    return await dialect.db
      .selectFrom('store_meta')
      .selectAll()
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
  }

  private unsealed(): { reader: SqlReader; keys: StoreKeys; context: AuditContext } {
    if (this.reader === undefined || this.#keys === undefined || this.#context === undefined) {
      throw new SealError(
        `the store at ${this.url} is sealed (${this.meta.seal_type}: ${this.meta.seal_description}); configure its seal (KEYPLANE_SEAL / KEYPLANE_SEAL_PASSPHRASE)`,
        { field: 'seal' },
      );
    }
    return { reader: this.reader, keys: this.#keys, context: this.#context };
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.dialect.storeError(e) ?? e;
    }
  }

  async generation(): Promise<string> {
    if (this.generationStale || this.dialect.mayHaveChanged()) {
      const row = await this.guard(() =>
        this.dialect.db
          .selectFrom('store_meta')
          .select('generation')
          .where('id', '=', 1)
          .executeTakeFirstOrThrow(),
      );
      this.generationStale = false;
      this.cacheGeneration = String(row.generation);
    }
    return this.cacheGeneration;
  }

  /** Reads outside a transaction are served from the cache while the generation is unchanged. */
  async get<A extends Attributes>(
    kind: RecordKind,
    namespace: string,
    name: string,
    parent = '',
  ): Promise<StoreRecord<A> | undefined> {
    const { reader } = this.unsealed();
    const generation = await this.generation();
    const key = `${kind}\0${namespace}\0${parent}\0${name}`;
    const hit = this.cache.get(key);
    if (hit !== undefined && generation === this.cacheValidFor) return hit as StoreRecord<A>;
    if (generation !== this.cacheValidFor) {
      this.cache.clear();
      this.cacheValidFor = generation;
    }
    const record = await this.guard(() => reader.get<A>(kind, namespace, name, parent));
    if (record !== undefined) this.cache.set(key, record);
    return record;
  }

  async getById<A extends Attributes>(
    kind: RecordKind,
    id: string,
  ): Promise<StoreRecord<A> | undefined> {
    const { reader } = this.unsealed();
    return await this.guard(() => reader.getById<A>(kind, id));
  }

  async list<A extends Attributes>(
    kind: RecordKind,
    filter?: ListFilter,
  ): Promise<StoreRecord<A>[]> {
    const { reader } = this.unsealed();
    return await this.guard(() => reader.list<A>(kind, filter));
  }

  secret(record: StoreRecord, field: string): Buffer {
    return this.unsealed().reader.secret(record, field);
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const { keys, context } = this.unsealed();
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, entries, wrote } = await this.dialect.transaction(async (db) => {
          const tx = new SqlTx(db, keys, this.dialect);
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
        });
        // Audit-only transactions (the group-committed sign/verify entries) leave the records and
        // the generation as they were: the cache stays valid, so the hot path does not queue
        // behind the next audit flush for the single connection.
        if (wrote) this.generationStale = true;
        if (entries.length > 0) context.written?.(entries);
        return result;
      } catch (e) {
        // A conflict means someone else wrote: the next read must not come from the cache.
        this.generationStale = true;
        if (attempt < MAX_TX_ATTEMPTS && this.dialect.isRetryable(e)) continue;
        throw this.dialect.storeError(e) ?? e;
      }
    }
  }

  async acquireLease(resource: string, options?: LeaseOptions): Promise<Lease> {
    this.unsealed();
    return await this.guard(() => acquireLease(this.dialect, resource, options));
  }

  async withLease<T>(
    resource: string,
    fn: (lease: Lease) => Promise<T>,
    options?: LeaseOptions,
  ): Promise<T> {
    const lease = await this.acquireLease(resource, options);
    try {
      return await fn(lease);
    } finally {
      await lease.release();
    }
  }

  async appendAudit(entry: AuditInput): Promise<void> {
    await this.transaction((tx) => tx.audit(entry));
  }

  queueAudit(entry: AuditInput): void {
    this.unsealed();
    this.queued.push(entry);
    if (this.queued.length >= AUDIT_GROUP_MAX) {
      this.startFlush();
    } else {
      // A group-commit window: one transaction (one fsync) for every operation in it.
      this.flushTimer ??= setTimeout(() => {
        this.startFlush();
      }, AUDIT_GROUP_MS);
    }
  }

  private startFlush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.queued.length > 0) this.flushing ??= this.flushQueue();
  }

  /**
   * Group commit: every entry queued so far in one transaction. Entries queued meanwhile wait
   * for the next window instead of a commit each — better-sqlite3 commits (fsync) on the event
   * loop, so committing per operation would put one fsync on every sign.
   */
  private async flushQueue(): Promise<void> {
    const batch = this.queued;
    this.queued = [];
    try {
      if (batch.length > 0) {
        await this.transaction(async (tx) => {
          for (const e of batch) await tx.audit(e);
        });
      }
    } catch (e) {
      // Kept, in order, for the next flush: a store that was briefly unwritable loses no entry.
      this.queued = [...batch, ...this.queued];
      this.flushError ??= e instanceof Error ? e : new Error(String(e));
    } finally {
      this.flushing = undefined;
      if (
        this.queued.length > 0 &&
        this.flushTimer === undefined &&
        this.flushError === undefined
      ) {
        this.flushTimer = setTimeout(() => {
          this.startFlush();
        }, AUDIT_GROUP_MS);
      }
    }
  }

  async flushAudit(): Promise<void> {
    // Until nothing is queued or in flight (a flush may leave a next window scheduled).
    for (;;) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      if (this.flushing !== undefined) await this.flushing;
      else if (this.queued.length > 0 && this.flushError === undefined) this.startFlush();
      else break;
    }
    const error = this.flushError;
    this.flushError = undefined;
    if (error !== undefined) throw error;
  }

  async auditEntries(options: { after?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    await this.flushAudit();
    const rows = await this.guard(() => {
      let q = this.dialect.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', options.after ?? 0)
        .orderBy('seq');
      if (options.limit !== undefined) q = q.limit(options.limit);
      return q.execute();
    });
    return rows.map(rowToEntry);
  }

  async verifyAudit() {
    const { keys } = this.unsealed();
    const entries = await this.auditEntries();
    const meta = await this.guard(() =>
      this.dialect.db
        .selectFrom('store_meta')
        .selectAll()
        .where('id', '=', 1)
        .executeTakeFirstOrThrow(),
    );
    checkMeta(keys, meta);
    return verifyChain(entries, { seq: meta.audit_seq, hash: meta.audit_head });
  }

  auditHmac(value: Uint8Array | string): string {
    return this.unsealed().keys.auditHmac(value);
  }

  async status(): Promise<StoreStatus> {
    return await this.guard(async () => {
      const meta = await this.dialect.db
        .selectFrom('store_meta')
        .selectAll()
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      if (this.#keys !== undefined) checkMeta(this.#keys, meta);
      const counts: Record<string, Partial<Record<RecordKind, number>>> = {};
      for (const [kind, table] of Object.entries(RECORD_TABLES) as [
        RecordKind,
        (typeof RECORD_TABLES)[RecordKind],
      ][]) {
        const rows = await this.dialect.db
          .selectFrom(table)
          .select((eb) => ['namespace', eb.fn.countAll<number>().as('n')])
          .groupBy('namespace')
          .execute();
        for (const row of rows) (counts[row.namespace] ??= {})[kind] = row.n;
      }
      return {
        url: this.url,
        schemaVersion: SCHEMA_VERSION,
        storeId: meta.store_id,
        sealType: meta.seal_type as SealType,
        sealDescription: meta.seal_description,
        createdAt: meta.created_at,
        counts,
        auditEntries: meta.audit_seq,
      };
    });
  }

  async rewrap(seal: Seal): Promise<void> {
    const { keys, context } = this.unsealed();
    if (this.#dataKey === undefined) throw new SealError('the store is sealed', { field: 'seal' });
    const wrapped = await seal.wrapDataKey(this.#dataKey);
    if (!(await seal.unwrapDataKey(wrapped)).equals(this.#dataKey)) {
      throw new SealError(`the ${seal.type} seal did not give the data key back`, {
        field: 'seal',
      });
    }
    // One transaction: the audit entry, then the seal columns of the (re-read) metadata row.
    const next = await this.guard(() =>
      this.dialect.transaction(async (db) => {
        const tx = new SqlTx(db, keys, this.dialect);
        await tx.audit({
          namespace: ROOT_NAMESPACE,
          operation: 'store.rewrap',
          target: 'store',
          outcome: 'ok',
          details: { from: this.meta.seal_type, to: seal.type },
        });
        await tx.writeAudits(context);
        const meta = await db
          .selectFrom('store_meta')
          .selectAll()
          .where('id', '=', 1)
          .executeTakeFirstOrThrow();
        checkMeta(keys, meta);
        const row = sealMeta(keys, {
          ...meta,
          seal_type: seal.type,
          seal_description: seal.description,
          wrapped_key: wrapped,
          updated_at: new Date().toISOString(),
        });
        await db.updateTable('store_meta').set(row).where('id', '=', 1).execute();
        return row;
      }),
    );
    this.meta = next;
  }

  async close(): Promise<void> {
    try {
      if (this.#keys !== undefined) await this.flushAudit();
    } finally {
      this.cache.clear();
      this.#dataKey?.fill(0);
      this.#keys?.dispose();
      await this.dialect.close();
    }
  }
}
