/**
 * The KeyStore contract: one durable, sealed, concurrency-safe home for everything Keyplane
 * manages. Two implementations (sqlite.ts, postgres.ts over one Kysely query layer in
 * sql-store.ts) pass one contract suite (packages/engine/test/store/contract.ts) unchanged.
 *
 * Every record — of every kind — has the same envelope: id, namespace, name (unique per
 * namespace, kind and parent), revision, timestamps, non-secret `attributes` (JSON), secret
 * fields sealed one by one (AES-256-GCM, AAD = namespace + kind + id + field) and an HMAC over
 * all of it, so an edited or swapped row fails with ERR_INTEGRITY. Writes name the revision they
 * read (optimistic concurrency, ERR_CONFLICT for the loser); multi-record changes run in one
 * transaction together with their audit entry.
 *
 * @module
 */
import type { AuditEntry, AuditInput, AuditVerification } from '../audit/entry';
import type { Seal, SealType } from '../seal/contract';

/** JSON values as attributes hold them. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type Attributes = { readonly [key: string]: JsonValue };

/**
 * Record kinds. The key-lifecycle (central keys, KMS connections, distributions) and the
 * managed-key kinds share one envelope; `parent` ties a version to its key or distribution.
 */
export type RecordKind =
  | 'namespace'
  | 'kms'
  | 'key'
  | 'key_version'
  | 'distribution'
  | 'distribution_version'
  | 'managed_key'
  | 'signing_key'
  | 'signing_key_version';

export interface StoreRecord<A extends Attributes = Attributes> {
  readonly kind: RecordKind;
  /** Random UUID, stable for the life of the record. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** Id of the owning record (a version's key / distribution / signing key); '' for none. */
  readonly parent: string;
  /** Id of a record this one uses (a distribution's KMS, a signing key's managed key); '' for none. */
  readonly ref: string;
  /** 1 on insert, +1 on every update. */
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly attributes: A;
  /** Names of the sealed secret fields this record holds (open them with `secret`). */
  readonly secretFields: readonly string[];
}

export interface NewRecord<A extends Attributes = Attributes> {
  readonly kind: RecordKind;
  readonly namespace: string;
  readonly name: string;
  readonly parent?: string;
  readonly ref?: string;
  readonly attributes: A;
  /** Secret fields, sealed before they reach the database. */
  readonly secrets?: Readonly<Record<string, Uint8Array>>;
  /** @default a random UUID */
  readonly id?: string;
}

export interface RecordChange<A extends Attributes = Attributes> {
  /** Replaces the attributes when given. */
  readonly attributes?: A;
  /** Sets (Uint8Array) or removes (null) secret fields; others are kept. */
  readonly secrets?: Readonly<Record<string, Uint8Array | null>>;
  readonly ref?: string;
}

/** Which record an update or delete is about, and the revision the caller read. */
export interface RecordVersion {
  readonly kind: RecordKind;
  readonly id: string;
  readonly revision: number;
}

export interface ListFilter {
  readonly namespace?: string;
  readonly parent?: string;
  readonly ref?: string;
}

/** Reads, inside or outside a transaction. */
export interface StoreReader {
  /** The record of `kind` named `name` in `namespace` (under `parent`, default none). */
  get<A extends Attributes = Attributes>(
    kind: RecordKind,
    namespace: string,
    name: string,
    parent?: string,
  ): Promise<StoreRecord<A> | undefined>;
  getById<A extends Attributes = Attributes>(
    kind: RecordKind,
    id: string,
  ): Promise<StoreRecord<A> | undefined>;
  /** Records sorted by name. */
  list<A extends Attributes = Attributes>(
    kind: RecordKind,
    filter?: ListFilter,
  ): Promise<StoreRecord<A>[]>;
  /** Opens one sealed field (ERR_INTEGRITY when it was moved or altered). */
  secret(record: StoreRecord, field: string): Buffer;
}

/** What runs inside `transaction`: all of it commits, or none of it. */
export interface StoreTx extends StoreReader {
  /** AlreadyExistsError when the name is taken; creates the namespace (and parents) if new. */
  insert<A extends Attributes>(record: NewRecord<A>): Promise<StoreRecord<A>>;
  /** ConflictError when the revision moved on, NotFoundError when the record was deleted. */
  update<A extends Attributes>(
    record: RecordVersion,
    change: RecordChange<A>,
  ): Promise<StoreRecord<A>>;
  /** Deletes the record and its child records; same errors as update. */
  delete(record: RecordVersion): Promise<void>;
  /** Appends an audit entry, committed with the rest of the transaction. */
  audit(entry: AuditInput): Promise<void>;
}

export interface LeaseOptions {
  /** Who holds it (shown to others). @default a random id for this process + lease */
  readonly holder?: string;
  /** Time to live; renewed at a third of it while held. @default 30000 */
  readonly ttlMs?: number;
  /** How long to wait for a lease held by someone else. @default 0 (ConflictError at once) */
  readonly waitMs?: number;
}

export interface Lease {
  readonly resource: string;
  readonly holder: string;
  /** Aborted when renewal fails (the lease expired and may have been taken). */
  readonly signal: AbortSignal;
  renew(): Promise<void>;
  release(): Promise<void>;
}

export interface StoreStatus {
  readonly url: string;
  readonly schemaVersion: number;
  readonly storeId: string;
  readonly sealType: SealType;
  readonly sealDescription: string;
  readonly createdAt: string;
  /** Record counts per namespace and kind. */
  readonly counts: Readonly<Record<string, Readonly<Partial<Record<RecordKind, number>>>>>;
  readonly auditEntries: number;
}

export interface KeyStore extends StoreReader {
  /** The store URL with any password removed. */
  readonly url: string;
  readonly sealType: SealType;
  /** True when this open initialized the store (a new data key, sealed with the configured seal). */
  readonly initializedNow: boolean;
  /** Runs `fn` in one transaction (retried on SQLITE_BUSY / serialization failures only). */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * The record {@link StoreReader.get} would return outside a transaction, when the store's read
   * cache answers it without I/O (nothing changed since it was read, here or in another
   * process); undefined when only get() can answer (a miss says nothing about existence).
   */
  cached<A extends Attributes = Attributes>(
    kind: RecordKind,
    namespace: string,
    name: string,
    parent?: string,
  ): StoreRecord<A> | undefined;
  /** A token that changes whenever any record changes (here or in another process). */
  generation(): Promise<string>;
  /** Takes the per-resource lease; ConflictError naming the holder when it is held. */
  acquireLease(resource: string, options?: LeaseOptions): Promise<Lease>;
  /** `fn` under the lease (renewed while it runs), released afterwards. */
  withLease<T>(
    resource: string,
    fn: (lease: Lease) => Promise<T>,
    options?: LeaseOptions,
  ): Promise<T>;
  /** Appends an entry in its own transaction (failed operations, queued crypto operations). */
  appendAudit(entry: AuditInput): Promise<void>;
  /** Queues an entry and group-commits it soon (crypto operations); flushed by close. */
  queueAudit(entry: AuditInput): void;
  /** Waits until queued entries are written. */
  flushAudit(): Promise<void>;
  auditEntries(options?: { after?: number; limit?: number }): Promise<AuditEntry[]>;
  verifyAudit(): Promise<AuditVerification>;
  /** HMAC of a secret input with the store's audit key. */
  auditHmac(value: Uint8Array | string): string;
  status(): Promise<StoreStatus>;
  /** Moves the data key to another seal atomically (records are not re-encrypted). */
  rewrap(seal: Seal): Promise<void>;
  close(): Promise<void>;
}
