/**
 * The SQLite audit worker (store/sqlite-audit-group.ts) on a real store file: crypto-operation
 * groups committed by the worker's connection and state changes committed by the store's own
 * connection extend one verifiable chain; the sink sees every entry once, in chain order; the
 * record cache survives a worker group but not a state change; the worker never keeps a process
 * alive, yet a process that exits without closing the store still commits what it queued.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  openStore,
  PassphraseSeal,
  verifyChain,
  type AuditEntry,
  type KeyStore,
} from '@keyplane/engine';
import { queueSign } from './fixtures';

const seal = new PassphraseSeal('audit worker test passphrase');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-audit-worker-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const insertKey = (store: KeyStore, name: string) =>
  store.transaction(async (tx) => {
    await tx.insert({ kind: 'managed_key', namespace: 'root', name, attributes: {} });
    await tx.audit({
      namespace: 'root',
      operation: 'managed-key.create',
      target: `managed_key/${name}`,
      outcome: 'ok',
    });
  });

/** Descriptors this process holds on the store file: one per connection (ours, the worker's). */
const connectionsTo = (path: string): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // closed meanwhile (readdir's own descriptor)
    }
  }).length;

it("commits on the caller's thread until a group fills up, then starts the worker", async () => {
  const path = join(dir, 'k.db');
  const store = await openStore(path, { seal });
  try {
    for (let i = 0; i < 255; i++) queueSign(store, i);
    await store.flushAudit();
    // A one-shot process (a CLI sign) never pays for a thread and a second connection.
    expect(connectionsTo(path)).toBe(1);
    for (let i = 255; i < 255 + 256 + 10; i++) queueSign(store, i);
    await store.flushAudit();
    expect(connectionsTo(path)).toBe(2);
    const signs = (await store.auditEntries()).filter((e) => e.operation === 'sign');
    expect(signs.map((e) => e.details.i)).toEqual(Array.from({ length: 521 }, (_, i) => i));
    await expect(store.verifyAudit()).resolves.toMatchObject({ ok: true, entries: 522 });
  } finally {
    await store.close();
  }
  expect(connectionsTo(path)).toBe(0);
});

it('interleaves worker groups with state-change transactions in one verifiable chain', async () => {
  const path = join(dir, 'k.db');
  const auditFile = join(dir, 'audit.jsonl');
  const store = await openStore(path, { seal, auditFile });
  try {
    const changes: Promise<void>[] = [];
    for (let round = 0; round < 6; round++) {
      // A full group (posted to the worker at once), then a state change while it is in flight.
      for (let i = 0; i < 300; i++) queueSign(store, round * 300 + i);
      changes.push(insertKey(store, `k${String(round)}`));
      await Promise.resolve();
    }
    await Promise.all(changes);
    await store.flushAudit();
    const entries = await store.auditEntries();
    expect(entries).toHaveLength(1 + 6 * 300 + 6);
    expect(entries.filter((e) => e.operation === 'managed-key.create')).toHaveLength(6);
    // The sign entries in the order they were queued, whoever committed around them.
    expect(entries.filter((e) => e.operation === 'sign').map((e) => e.details.i)).toEqual(
      Array.from({ length: 1800 }, (_, i) => i),
    );
    // Secret inputs only as HMACs, made by the worker with the store's audit key.
    expect(entries.find((e) => e.operation === 'sign')?.details.input).toBe(
      store.auditHmac('message 0'),
    );
    await expect(store.verifyAudit()).resolves.toMatchObject({ ok: true, entries: 1807 });
    // The same check on the raw rows, through a connection of its own.
    const raw = new BetterSqlite3(path, { readonly: true });
    const head = raw.prepare('select audit_seq, audit_head from store_meta').get() as {
      audit_seq: number;
      audit_head: string;
    };
    raw.close();
    expect(verifyChain(entries, { seq: head.audit_seq, hash: head.audit_head })).toMatchObject({
      ok: true,
    });
    // The sink got every committed entry once, in chain order.
    const lines = readFileSync(auditFile, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as AuditEntry).seq)).toEqual(entries.map((e) => e.seq));
  } finally {
    await store.close();
  }
});

it('keeps the record cache across worker groups, drops it when another store changes a record', async () => {
  const path = join(dir, 'k.db');
  const store = await openStore(path, { seal });
  const other = await openStore(path, { seal });
  try {
    await insertKey(store, 'cached');
    const first = await store.get('managed_key', 'root', 'cached');
    for (let i = 0; i < 600; i++) queueSign(store, i);
    await store.flushAudit();
    // Served from the cache: the worker's commits moved data_version, not the generation.
    expect(await store.get('managed_key', 'root', 'cached')).toBe(first);
    await other.transaction(async (tx) => {
      const record = await tx.get('managed_key', 'root', 'cached');
      await tx.update(record!, { attributes: { changed: true } });
    });
    await expect(store.get('managed_key', 'root', 'cached')).resolves.toMatchObject({
      attributes: { changed: true },
    });
  } finally {
    await other.close();
    await store.close();
  }
});

it('retries a group that failed in the worker, in order, once', async () => {
  const path = join(dir, 'k.db');
  const store = await openStore(path, { seal });
  // Another connection of this thread holds the write lock: the worker's BEGIN IMMEDIATE waits
  // out its busy timeout, then fails with SQLITE_BUSY, the same typed error as the store's own.
  const blocker = new BetterSqlite3(path);
  try {
    // A full group first, so the worker commits what follows.
    for (let i = 0; i < 300; i++) queueSign(store, i);
    await store.flushAudit();
    blocker.exec('begin immediate');
    for (let i = 300; i < 900; i++) queueSign(store, i);
    const flushed = store.flushAudit();
    await expect(flushed).rejects.toMatchObject({ code: 'ERR_STORE', reason: 'busy' });
    blocker.exec('rollback');
    await store.flushAudit();
    const signs = (await store.auditEntries()).filter((e) => e.operation === 'sign');
    expect(signs.map((e) => e.details.i)).toEqual(Array.from({ length: 900 }, (_, i) => i));
    await expect(store.verifyAudit()).resolves.toMatchObject({ ok: true, entries: 901 });
  } finally {
    blocker.close();
    await store.close();
  }
}, 60_000);

it.each([
  ["on the caller's thread", 1],
  ['by the worker', 300],
])(
  'does not keep a process alive that never closes the store, and commits what it queued %s',
  (_, count) => {
    const path = join(dir, 'k.db');
    // A child process runs the built engine (dist/), as the CLI and the provider do.
    const engine = resolve(__dirname, '../../dist/index.js');
    const script = `
    const { openStore, PassphraseSeal } = require(${JSON.stringify(engine)});
    openStore(${JSON.stringify(path)}, { seal: new PassphraseSeal('audit worker test passphrase') })
      .then((store) => {
        for (let i = 0; i < ${String(count)}; i++)
          store.queueAudit({ namespace: 'root', operation: 'sign', target: 's', outcome: 'ok' });
      });`;
    // The timeout only bounds a failure: a worker that kept the process alive would hit it.
    execFileSync(process.execPath, ['-e', script], { timeout: 60_000, stdio: 'pipe' });
    const raw = new BetterSqlite3(path, { readonly: true });
    try {
      expect(raw.prepare('select operation from audit_log order by seq').pluck().all()).toEqual([
        'store.init',
        ...Array.from({ length: count }, () => 'sign'),
      ]);
    } finally {
      raw.close();
    }
  },
);

it.each([
  ["a small input, on the caller's thread", 32, 0],
  ["a large input, on the caller's thread", 100 * 1024, 0],
  ['a small input, by the worker', 32, 300],
  ['a large input, by the worker', 100 * 1024, 300],
])(
  'logs the HMAC of the input as it was when queued: %s, the caller reusing its buffer at once',
  async (_, size, before) => {
    const store = await openStore(join(dir, 'k.db'), { seal });
    try {
      for (let i = 0; i < before; i++) queueSign(store, i);
      const input = Buffer.alloc(size, 0x61);
      const expected = store.auditHmac(Buffer.from(input));
      store.queueAudit({
        namespace: 'root',
        operation: 'sign',
        target: 'signing_key/reused',
        outcome: 'ok',
        secrets: { input },
      });
      input.fill(0x62);
      await store.flushAudit();
      const entry = (await store.auditEntries()).find((e) => e.target === 'signing_key/reused');
      expect(entry?.details).toEqual({ input: expected });
      expect(expected).not.toBe(store.auditHmac(input));
    } finally {
      await store.close();
    }
  },
);
