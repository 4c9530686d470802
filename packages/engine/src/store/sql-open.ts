/**
 * Opening a store: the migrations (refusing a store written by a newer schema), initializing an
 * empty one with a new data key, and unsealing the data key with the configured seal.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { Migrator } from 'kysely';
import type { AuditContext } from '../audit/writer';
import { ENV_VARIABLES, readEnv } from '../env';
import { GENESIS_HASH } from '../audit/entry';
import { isKeyplaneError, SealError, StoreError } from '../errors';
import type { Seal } from '../seal/contract';
import { DATA_KEY_BYTES, StoreKeys } from '../seal/data-key';
import type { StoreDialect } from './dialect';
import { ROOT_NAMESPACE } from './namespaces';
import { sealMeta } from './records';
import {
  appliedMigrations,
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  MIGRATIONS,
  migrationProvider,
  SCHEMA_VERSION,
  type MetaRow,
} from './schema';
import { SqlTx } from './sql-tx';

/** $KEYPLANE_ACTOR, else the OS user. */
export function defaultActor(): string {
  const env = readEnv(ENV_VARIABLES.actor);
  if (env !== undefined) return env;
  try {
    return userInfo().username;
  } catch {
    return `uid:${String(process.getuid?.() ?? 'unknown')}`;
  }
}

/** Runs the migrations after refusing a store written by a newer schema. */
export async function migrate(dialect: StoreDialect): Promise<void> {
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

/** The data key, unwrapped by `seal`; SealError naming the seal when it is not this store's. */
export async function unsealDataKey(
  dialect: StoreDialect,
  meta: MetaRow,
  seal: Seal,
): Promise<Buffer> {
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
      isKeyplaneError(cause) && cause.code !== 'ERR_DECRYPTION_FAILED' ? `: ${cause.message}` : '';
    throw new SealError(
      `the ${seal.type} seal (${seal.description}) cannot unseal the store at ${dialect.url}${seal.type === 'passphrase' ? ' (wrong passphrase?)' : ' (wrong key?)'}${why}`,
      { field: 'seal', cause },
    );
  }
}

/** A new data key sealed by `seal`, the root namespace and the first audit entry: one transaction. */
export async function initializeStore(
  dialect: StoreDialect,
  seal: Seal,
  actor: string,
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
    return await tx.writeAudits({ keys, actor });
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
