/**
 * Where the contract suite's stores live: a fresh SQLite file, or a fresh schema on a real
 * PostgreSQL started for the test file. `exec` reaches the database directly, behind Keyplane's
 * back — it is how the tests tamper with rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { KeyStore } from '@keyplane/engine';
import { startPostgres, type PostgresServer } from '@keyplane/emulators';

export interface StoreFixture {
  readonly name: 'sqlite' | 'postgres';
  /** A location no store has used yet. */
  newUrl(): string;
  /** Runs raw SQL against the store at `url` (no parameters: tests build literal SQL). */
  exec(url: string, statement: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export function sqliteFixture(): StoreFixture {
  const dir = mkdtempSync(join(tmpdir(), 'kp-store-'));
  let n = 0;
  return {
    name: 'sqlite',
    newUrl: () => `sqlite://${join(dir, `store-${String(++n)}.db`)}`,
    exec: (url, statement) => {
      const db = new BetterSqlite3(url.replace(/^sqlite:\/\//, ''));
      try {
        const stmt = db.prepare(statement);
        return Promise.resolve(
          stmt.reader ? (stmt.all() as Record<string, unknown>[]) : (stmt.run(), []),
        );
      } finally {
        db.close();
      }
    },
    close: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

export async function postgresFixture(): Promise<StoreFixture & { server: PostgresServer }> {
  const server = await startPostgres();
  let n = 0;
  return {
    name: 'postgres',
    server,
    newUrl: () => `${server.url}?schema=store_${String(++n)}`,
    exec: async (url, statement) => {
      const u = new URL(url);
      const schema = u.searchParams.get('schema') ?? 'keyplane';
      u.searchParams.delete('schema');
      const client = new pg.Client({ connectionString: u.toString() });
      await client.connect();
      try {
        await client.query(`SET search_path TO ${schema}`);
        const result = await client.query(statement);
        return result.rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    },
    close: () => {
      server.stop();
      return Promise.resolve();
    },
  };
}

/**
 * Queues sign entry `i` (group-committed, as CryptoClient queues its signs): `details.i` lets a
 * test check every entry is committed once and in order; its input is logged as an HMAC.
 */
export function queueSign(store: KeyStore, i: number): void {
  store.queueAudit({
    namespace: 'root',
    operation: 'sign',
    target: 'signing_key/s',
    outcome: 'ok',
    details: { i },
    secrets: { input: `message ${String(i)}` },
  });
}
