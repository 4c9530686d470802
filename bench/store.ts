/**
 * The key store on the hot path and under writers:
 * - sign through a signing key with the SQLite store (warm) vs the same backend sign with the
 *   records already in memory (budget ≤ 1.10×: reads are served from the revision-validated
 *   cache and audit entries are group-committed off the hot path). The timed loop never leaves
 *   the microtask queue, so its entries are committed inside the rounds in groups of 256 (before
 *   group commit stopped waiting for each group's fsync, all but the first group were committed
 *   after the rounds, untimed); bench/callgrind.ts counts the same pair's instructions;
 * - 1,000 record writes (one transaction each, with its audit entry) on SQLite and PostgreSQL vs
 *   a raw INSERT per transaction through the same driver and settings;
 * - 8 concurrent writers on PostgreSQL incrementing one record with optimistic retries: the
 *   final count proves no update was lost.
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import {
  CryptoClient,
  ManagedKeys,
  openStore,
  PassphraseSeal,
  SigningKeys,
  type KeyStore,
} from '@keyplane/engine';
import { createSoftHsmToken, startPostgres } from '@keyplane/emulators';
import { comparePair, type PairResult } from './harness';

const seal = new PassphraseSeal('keyplane bench passphrase');
const DATA = Buffer.from('keyplane store bench');

export interface ConcurrencyResult {
  readonly writers: number;
  readonly increments: number;
  readonly final: number;
  readonly conflicts: number;
  readonly opsPerSec: number;
}

async function signPair(dir: string, quick: boolean): Promise<PairResult> {
  const token = await createSoftHsmToken({
    dir: join(dir, 'hsm'),
    label: 'kp-bench-store',
    pin: '1234',
    soPin: '5678',
  });
  process.env.SOFTHSM2_CONF = token.conf;
  const store = await openStore(join(dir, 'sign.db'), { seal });
  const keys = new ManagedKeys({ store });
  try {
    await keys.create('pkcs11', 'hsm', {
      library: token.module,
      token_label: token.label,
      pin: token.pin,
      key_label: 'bench-ec',
      mechanism: '0x1041',
      curve: 'P256',
      allow_generate_key: true,
      any_mount: true,
    });
    await new SigningKeys(keys).create('signer', { managed_key: 'hsm' });
    const client = new CryptoClient(keys, 'signer');
    const resolved = await keys.resolve('hsm');
    const options = { hash: 'sha2-256', input: 'message' } as const;
    return await comparePair(
      'ECDSA P-256 sign: in-memory records → CryptoClient on SQLite store',
      () => resolved.backend.sign(resolved.key, DATA, options),
      () => client.sign(DATA),
      { perRound: quick ? 50 : 500, rounds: quick ? 3 : 7 },
      1.1,
    );
  } finally {
    await keys.close();
    await store.close();
    await token.dispose();
  }
}

/** One record (and its audit entry) per transaction, through the store. */
function storeWriter(store: KeyStore): () => Promise<unknown> {
  let i = 0;
  return () =>
    store.transaction(async (tx) => {
      const name = `k${String(i++)}`;
      await tx.insert({ kind: 'key', namespace: 'root', name, attributes: { type: 'rsa-2048' } });
      await tx.audit({
        namespace: 'root',
        operation: 'key.create',
        target: `key/${name}`,
        outcome: 'ok',
      });
    });
}

async function sqliteWrites(dir: string, quick: boolean): Promise<PairResult> {
  const store = await openStore(join(dir, 'writes.db'), { seal });
  const raw = new BetterSqlite3(join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec('create table t (id text primary key, body text not null)');
  const insert = raw.prepare('insert into t (id, body) values (?, ?)');
  let n = 0;
  const rawTx = raw.transaction(() => insert.run(String(n++), '{"type":"rsa-2048"}'));
  try {
    const per = quick ? 100 : 1000;
    return await comparePair(
      `${String(per)} record writes, SQLite: raw INSERT → store transaction`,
      () => Promise.resolve(rawTx()),
      storeWriter(store),
      { perRound: per, rounds: quick ? 1 : 3, warmup: 10 },
    );
  } finally {
    raw.close();
    await store.close();
  }
}

async function postgresWrites(url: string, quick: boolean): Promise<PairResult> {
  const store = await openStore(`${url}?schema=bench_writes`, { seal });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    'create table if not exists public.raw_t (id text primary key, body text not null)',
  );
  let n = 0;
  const rawTx = async () => {
    await client.query('begin');
    await client.query('insert into public.raw_t (id, body) values ($1, $2)', [
      String(n++),
      '{"type":"rsa-2048"}',
    ]);
    await client.query('commit');
  };
  try {
    const per = quick ? 100 : 1000;
    return await comparePair(
      `${String(per)} record writes, PostgreSQL: raw INSERT → store transaction`,
      rawTx,
      storeWriter(store),
      { perRound: per, rounds: quick ? 1 : 3, warmup: 10 },
    );
  } finally {
    await client.end();
    await store.close();
  }
}

async function concurrentWriters(url: string, quick: boolean): Promise<ConcurrencyResult> {
  const writers = 8;
  const each = quick ? 10 : 50;
  const stores = await Promise.all(
    Array.from({ length: writers }, () =>
      openStore(`${url}?schema=bench_concurrent`, { seal, cacheTtlMs: 0 }),
    ),
  );
  const [first] = stores;
  if (first === undefined) throw new Error('no store');
  await first.transaction((tx) =>
    tx.insert({ kind: 'key', namespace: 'root', name: 'counter', attributes: { n: 0 } }),
  );
  let conflicts = 0;
  const start = performance.now();
  await Promise.all(
    stores.map(async (store) => {
      for (let i = 0; i < each; i++) {
        for (;;) {
          const r = await store.get<{ n: number }>('key', 'root', 'counter');
          if (r === undefined) throw new Error('counter vanished');
          try {
            await store.transaction((tx) =>
              tx.update(r, { attributes: { n: r.attributes.n + 1 } }),
            );
            break;
          } catch (e) {
            if ((e as { code?: string }).code !== 'ERR_CONFLICT') throw e;
            conflicts++;
          }
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const final = (await first.get<{ n: number }>('key', 'root', 'counter'))?.attributes.n ?? -1;
  await Promise.all(stores.map((s) => s.close()));
  return {
    writers,
    increments: writers * each,
    final,
    conflicts,
    opsPerSec: (writers * each) / seconds,
  };
}

export async function benchStore(
  quick: boolean,
): Promise<{ pairs: PairResult[]; concurrency: ConcurrencyResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-bench-store-'));
  const server = await startPostgres();
  try {
    const pairs = [
      await signPair(dir, quick),
      await sqliteWrites(dir, quick),
      await postgresWrites(server.url, quick),
    ];
    return { pairs, concurrency: await concurrentWriters(server.url, quick) };
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
