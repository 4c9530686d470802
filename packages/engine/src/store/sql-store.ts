/**
 * The KeyStore over a {@link StoreDialect}: opening (the steps in sql-open.ts), transactions with
 * their audit entries (crypto-operation entries group-committed, ../audit/group-commit.ts; on
 * SQLite by a worker thread, sqlite-audit-group.ts), a read cache validated by the store
 * generation (so the signing hot path does not touch the database), leases, status and rewrap.
 *
 * @module
 */
import { rowToEntry, type AuditContext } from '../audit/writer';
import { detachSecrets, verifyChain, type AuditEntry, type AuditInput } from '../audit/entry';
import type { AuditQueue } from '../audit/group-commit';
import { storeAuditQueue } from './audit-queue';
import { jsonLinesSink } from '../audit/sink';
import { ENV_VARIABLES, readEnv } from '../env';
import { SealError, StoreError } from '../errors';
import type { Seal, SealType } from '../seal/contract';
import { StoreKeys } from '../seal/data-key';
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
import type { StoreDialect, TransactionOptions } from './dialect';
import { acquireLease } from './leases';
import { checkMeta } from './records';
import type { MetaRow } from './schema';
import { defaultActor, initializeStore, migrate, unsealDataKey } from './sql-open';
import { RecordCache } from './record-cache';
import { rewrapDataKey } from './rewrap';
import { SqlReader, transactionAttempts } from './sql-tx';
import { storeStatus } from './status';

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

const SEAL_VARIABLES = `${ENV_VARIABLES.seal.name} / ${ENV_VARIABLES.sealPassphrase.name}`;

export class SqlKeyStore implements KeyStore {
  readonly url: string;
  private readonly reader: SqlReader | undefined;
  private readonly cache = new RecordCache();
  private cacheGeneration = '';
  /** The generation the cached records were read at. */
  private cacheValidFor = '';
  private generationStale = true;
  /** Crypto-operation entries (../audit/group-commit.ts states what survives a crash). */
  private readonly auditGroup: AuditQueue;
  initializedNow = false;

  // Key material in ECMAScript private fields: never enumerated, so never printed.
  readonly #keys: StoreKeys | undefined;
  readonly #dataKey: Buffer | undefined;
  /** What unsealed() returns, built once (it runs on every read and queued entry). */
  readonly #unsealed: { reader: SqlReader; keys: StoreKeys; context: AuditContext } | undefined;

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
    this.reader = keys === undefined ? undefined : new SqlReader(dialect.db, keys);
    this.#unsealed =
      this.reader === undefined || keys === undefined || context === undefined
        ? undefined
        : { reader: this.reader, keys, context };
    this.auditGroup = storeAuditQueue(dialect, {
      commit: async (batch) => {
        let sinkFailure: Error | undefined;
        await this.run(
          async (tx) => {
            for (const e of batch) await tx.audit(e);
          },
          { deferSync: true },
          (e) => (sinkFailure = e),
        );
        return sinkFailure;
      },
      sync: () => this.dialect.syncDeferred(),
      offload:
        dataKey === undefined || context === undefined
          ? undefined
          : {
              dataKey: () => Uint8Array.from(dataKey),
              storeId: meta.store_id,
              actor: context.actor,
              ...(context.written === undefined ? {} : { written: context.written }),
            },
    });
  }

  get sealType(): SealType {
    return this.meta.seal_type as SealType;
  }

  static async open(dialect: StoreDialect, options: StoreOpenOptions = {}): Promise<SqlKeyStore> {
    let initialized = false;
    try {
      // The audit file is checked first: a bad path must not leave a half-initialized store.
      const auditFile = options.auditFile ?? readEnv(ENV_VARIABLES.auditFile);
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
            `the store at ${dialect.url} is not initialized: run 'keyplane store init' (or configure a seal: ${SEAL_VARIABLES})`,
            { reason: 'not-initialized', field: 'store' },
          );
        }
        meta = await initializeStore(dialect, seal, options.actor ?? defaultActor(), written);
        initialized = true;
      }
      if (seal === undefined)
        return new SqlKeyStore(dialect, meta, undefined, undefined, undefined);
      const dataKey = await unsealDataKey(dialect, meta, seal);
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

  private unsealed(): { reader: SqlReader; keys: StoreKeys; context: AuditContext } {
    if (this.#unsealed === undefined) {
      throw new SealError(
        `the store at ${this.url} is sealed (${this.meta.seal_type}: ${this.meta.seal_description}); configure its seal (${SEAL_VARIABLES})`,
        { field: 'seal' },
      );
    }
    return this.#unsealed;
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.dialect.storeError(e) ?? e;
    }
  }

  async generation(): Promise<string> {
    if (this.generationStale || this.dialect.mayHaveChanged()) return await this.readGeneration();
    return this.cacheGeneration;
  }

  private async readGeneration(): Promise<string> {
    const row = await this.guard(() =>
      this.dialect.db
        .selectFrom('store_meta')
        .select('generation')
        .where('id', '=', 1)
        .executeTakeFirstOrThrow(),
    );
    this.generationStale = false;
    this.cacheGeneration = String(row.generation);
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
    // generation() inline: an unchanged store costs no promise (three reads per sign).
    const generation =
      this.generationStale || this.dialect.mayHaveChanged()
        ? await this.readGeneration()
        : this.cacheGeneration;
    const hit = this.cache.get(kind, namespace, parent, name);
    if (hit !== undefined && generation === this.cacheValidFor) return hit as StoreRecord<A>;
    if (generation !== this.cacheValidFor) {
      this.cache.clear();
      this.cacheValidFor = generation;
    }
    const record = await this.guard(() => reader.get<A>(kind, namespace, name, parent));
    if (record !== undefined) this.cache.set(kind, namespace, parent, name, record);
    return record;
  }

  /**
   * What get() would return, when the cache answers it without I/O: the same generation check
   * (exact for SQLite, interval for PostgreSQL), made synchronously. A sign through a signing key
   * reads three records; taking them here costs no promise per read.
   */
  cached<A extends Attributes>(
    kind: RecordKind,
    namespace: string,
    name: string,
    parent = '',
  ): StoreRecord<A> | undefined {
    this.unsealed();
    if (this.generationStale) return undefined;
    // mayHaveChanged answers "changed" once per change: the next get() must read the generation.
    if (this.dialect.mayHaveChanged()) {
      this.generationStale = true;
      return undefined;
    }
    if (this.cacheGeneration !== this.cacheValidFor) return undefined;
    return this.cache.get(kind, namespace, parent, name) as StoreRecord<A> | undefined;
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
    return await this.run(fn);
  }

  /**
   * One transaction, retried on busy / serialization failures. The JSON-lines sink runs after the
   * commit, outside the retries: a sink failure is thrown (or handed to `sinkFailed`) as the
   * failure of an operation that did commit, never a reason to run it again.
   */
  private async run<T>(
    fn: (tx: StoreTx) => Promise<T>,
    options?: TransactionOptions,
    sinkFailed?: (e: Error) => void,
  ): Promise<T> {
    const { keys, context } = this.unsealed();
    const { result, entries, wrote } = await transactionAttempts(this.dialect, fn, {
      keys,
      context,
      options,
      // A conflict means someone else wrote: the next read must not come from the cache.
      failed: () => (this.generationStale = true),
    });
    // Audit-only transactions (the group-committed sign/verify entries) leave the records and
    // the generation as they were: the cache stays valid, so the hot path does not queue
    // behind the next audit flush for the single connection.
    if (wrote) this.generationStale = true;
    if (entries.length > 0 && context.written !== undefined) {
      try {
        context.written(entries);
      } catch (e) {
        if (sinkFailed === undefined) throw e;
        sinkFailed(e instanceof Error ? e : new Error(String(e)));
      }
    }
    return result;
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

  /**
   * Group-committed (../audit/group-commit.ts states what survives a crash). Secret inputs are
   * taken as they are now: the caller may reuse its buffer as soon as this returns.
   */
  queueAudit(entry: AuditInput): void {
    const { keys } = this.unsealed();
    this.auditGroup.queue(
      entry.secrets === undefined ? entry : detachSecrets(entry, (v) => keys.auditHmac(v)),
    );
  }

  async flushAudit(): Promise<void> {
    await this.auditGroup.flush();
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
    return await this.guard(() => storeStatus(this.dialect, this.#keys));
  }

  async rewrap(seal: Seal): Promise<void> {
    const { keys, context } = this.unsealed();
    if (this.#dataKey === undefined) throw new SealError('the store is sealed', { field: 'seal' });
    const dataKey = this.#dataKey;
    const from = this.meta.seal_type;
    this.meta = await this.guard(() =>
      rewrapDataKey(this.dialect, { keys, context, dataKey, from }, seal),
    );
  }

  async close(): Promise<void> {
    try {
      // Flushes, and stops SQLite's audit worker after it closed its connection.
      if (this.#keys !== undefined) await this.auditGroup.close();
    } finally {
      this.cache.clear();
      this.#dataKey?.fill(0);
      this.#keys?.dispose();
      await this.dialect.close();
    }
  }
}
