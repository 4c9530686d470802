/**
 * Tables and versioned migrations, written once with Kysely's schema builder for both SQLite and
 * PostgreSQL. Every record kind has its own table with the same envelope columns (RecordRow),
 * so the key lifecycle and the provider add behaviour, not tables.
 *
 * Migrations run on open, inside Kysely's Migrator (one lock: concurrent opens are safe), and
 * are idempotent. A store that recorded a migration this build does not know was written by a
 * newer Keyplane: it is refused (schema.ts `checkNotNewer`), never "migrated" down.
 *
 * @module
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { RecordKind } from './contract';

/** The envelope every record table shares. */
export interface RecordRow {
  id: string;
  namespace: string;
  name: string;
  parent_id: string;
  ref_id: string;
  revision: number;
  created_at: string;
  updated_at: string;
  /** JSON object of non-secret attributes. */
  attributes: string;
  /** JSON object field → sealed value; '{}' when none. */
  secrets: string;
  /** HMAC-SHA256 over every column above (and the kind). */
  mac: string;
}

export interface MetaRow {
  id: number;
  store_id: string;
  seal_type: string;
  seal_description: string;
  wrapped_key: string;
  /** Bumped by every record write: caches compare it (store/cache.ts). */
  generation: number;
  audit_seq: number;
  audit_head: string;
  created_at: string;
  updated_at: string;
  mac: string;
}

export interface LeaseRow {
  resource: string;
  holder: string;
  /** Epoch milliseconds, on the database's clock. */
  expires_at: number;
  acquired_at: number;
}

export interface AuditRow {
  seq: number;
  time: string;
  namespace: string;
  actor: string;
  operation: string;
  target: string;
  outcome: string;
  error_code: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** Table per record kind. */
export const RECORD_TABLES = {
  namespace: 'namespaces',
  kms: 'kms_connections',
  key: 'keys',
  key_version: 'key_versions',
  distribution: 'distributions',
  distribution_version: 'distribution_versions',
  managed_key: 'managed_keys',
  signing_key: 'signing_keys',
  signing_key_version: 'signing_key_versions',
} as const satisfies Record<RecordKind, string>;

export type RecordTable = (typeof RECORD_TABLES)[RecordKind];

/** Child kinds deleted with their parent (a key's versions, a distribution's versions …). */
export const CHILD_KINDS: Readonly<Partial<Record<RecordKind, readonly RecordKind[]>>> = {
  key: ['key_version', 'distribution'],
  distribution: ['distribution_version'],
  signing_key: ['signing_key_version'],
};

export type Database = { [T in RecordTable]: RecordRow } & {
  store_meta: MetaRow;
  leases: LeaseRow;
  audit_log: AuditRow;
};

export const MIGRATION_TABLE = 'keyplane_migrations';
export const MIGRATION_LOCK_TABLE = 'keyplane_migrations_lock';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are untyped by design (Kysely docs) */
const initial: Migration = {
  async up(db: Kysely<any>) {
    for (const table of Object.values(RECORD_TABLES)) {
      await db.schema
        .createTable(table)
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('namespace', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('ref_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('secrets', 'text', (c) => c.notNull())
        .addColumn('mac', 'text', (c) => c.notNull())
        .addUniqueConstraint(`${table}_name_unique`, ['namespace', 'parent_id', 'name'])
        .execute();
      await db.schema
        .createIndex(`${table}_parent`)
        .ifNotExists()
        .on(table)
        .column('parent_id')
        .execute();
      await db.schema
        .createIndex(`${table}_ref`)
        .ifNotExists()
        .on(table)
        .column('ref_id')
        .execute();
    }
    await db.schema
      .createTable('store_meta')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('seal_type', 'text', (c) => c.notNull())
      .addColumn('seal_description', 'text', (c) => c.notNull())
      .addColumn('wrapped_key', 'text', (c) => c.notNull())
      .addColumn('generation', 'bigint', (c) => c.notNull())
      .addColumn('audit_seq', 'bigint', (c) => c.notNull())
      .addColumn('audit_head', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('mac', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('leases')
      .ifNotExists()
      .addColumn('resource', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('acquired_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('audit_log')
      .ifNotExists()
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('time', 'text', (c) => c.notNull())
      .addColumn('namespace', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    for (const table of [...Object.values(RECORD_TABLES), 'store_meta', 'leases', 'audit_log']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Migration name → migration, in order. Names sort in the order they run. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
};

export const SCHEMA_VERSION = Object.keys(MIGRATIONS).length;

export function migrationProvider(schema: string | undefined): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve(
        Object.fromEntries(
          Object.entries(MIGRATIONS).map(([name, m]) => [
            name,
            {
              // eslint-disable-next-line @typescript-eslint/no-explicit-any
              up: (db: Kysely<any>) => m.up(schema === undefined ? db : db.withSchema(schema)),
            },
          ]),
        ),
      ),
  };
}

/** Names of migrations the store recorded (empty for a new store). */
export async function appliedMigrations(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  schema: string | undefined,
): Promise<string[]> {
  const tables = await db.introspection.getTables();
  const found = tables.some(
    (t) => t.name === MIGRATION_TABLE && (schema === undefined || t.schema === schema),
  );
  if (!found) return [];
  const q = schema === undefined ? db : db.withSchema(schema);
  const rows = await q
    .selectFrom(MIGRATION_TABLE)
    .select(sql<string>`name`.as('name'))
    .execute();
  return rows.map((r) => r.name);
}
