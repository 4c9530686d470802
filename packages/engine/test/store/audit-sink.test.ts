/**
 * The audit log's inputs and its SIEM copy, on a real SQLite store: the actor (option, then
 * $KEYPLANE_ACTOR, then the OS user), secret inputs only as HMACs under the store's audit key, the
 * JSON-lines file sink (0600, no symlink, refused at open before anything is created), and the
 * namespace from $KEYPLANE_NAMESPACE; group commit of queued sign entries.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ManagedKeys, openStore, PassphraseSeal, resolveNamespace } from '@keyplane/engine';

const seal = new PassphraseSeal('audit sink test passphrase');
const SECRET = 'plain-secret-input-value';

let dir: string;
const saved = { ...process.env };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-audit-sink-'));
});
afterEach(() => {
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

async function appendOne(path: string, options: { actor?: string; auditFile?: string } = {}) {
  const store = await openStore(path, { seal, ...options });
  try {
    await store.appendAudit({
      namespace: 'root',
      operation: 'sign',
      target: 'signing_key/s',
      outcome: 'ok',
      details: { hash: 'sha2-256' },
      secrets: { input: SECRET },
    });
    return { entries: await store.auditEntries(), hmac: store.auditHmac(SECRET) };
  } finally {
    await store.close();
  }
}

it('takes the actor from the option, else $KEYPLANE_ACTOR, else the OS user', async () => {
  const path = join(dir, 'k.db');
  delete process.env.KEYPLANE_ACTOR;
  const byUser = await appendOne(path);
  expect(byUser.entries.map((e) => e.actor)).toEqual([userInfo().username, userInfo().username]);
  process.env.KEYPLANE_ACTOR = 'ci-runner-7';
  expect((await appendOne(path)).entries.at(-1)?.actor).toBe('ci-runner-7');
  expect((await appendOne(path, { actor: 'from-config' })).entries.at(-1)?.actor).toBe(
    'from-config',
  );
});

it('logs secret inputs as HMACs under the store key: stable per store, never the value', async () => {
  const path = join(dir, 'k.db');
  const first = await appendOne(path);
  const again = await appendOne(path);
  const other = await appendOne(join(dir, 'other.db'));
  const input = first.entries.at(-1)?.details.input;
  expect(input).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
  expect(input).toBe(first.hmac);
  expect(again.entries.at(-1)?.details.input).toBe(input);
  // Another store has another audit key: equal inputs cannot be correlated across stores.
  expect(other.entries.at(-1)?.details.input).not.toBe(input);
  const db = new BetterSqlite3(path, { readonly: true });
  const details = db.prepare('SELECT details FROM audit_log').all() as { details: string }[];
  db.close();
  expect(details.map((d) => d.details).join('\n')).not.toContain(SECRET);
  for (const p of [path, `${path}-wal`]) {
    expect(readFileSync(p, { flag: 'r' }).includes(Buffer.from(SECRET))).toBe(false);
  }
});

it('copies every committed entry to the JSON-lines file (0600), the same entries as the store', async () => {
  const file = join(dir, 'audit.jsonl');
  process.env.KEYPLANE_AUDIT_FILE = file;
  const { entries } = await appendOne(join(dir, 'k.db'));
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(entries);
  expect(entries.map((e) => e.operation)).toEqual(['store.init', 'sign']);
  expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
});

it('refuses an audit file behind a planted symlink at open, before the store is created', async () => {
  const target = join(dir, 'victim.txt');
  writeFileSync(target, 'keep me\n');
  const file = join(dir, 'audit.jsonl');
  symlinkSync(target, file);
  const path = join(dir, 'k.db');
  await expect(openStore(path, { seal, auditFile: file })).rejects.toMatchObject({
    code: 'ERR_STORE',
    reason: 'io',
    field: 'auditFile',
    message: expect.stringContaining(`the audit file ${file}`) as string,
  });
  expect(readFileSync(target, 'utf8')).toBe('keep me\n');
  await expect(openStore(path, { init: false })).rejects.toMatchObject({
    code: 'ERR_STORE',
    reason: 'not-initialized',
  });
});

it('uses $KEYPLANE_NAMESPACE when no namespace is given, and checks it like any other', async () => {
  expect(resolveNamespace(undefined, {})).toBe('root');
  expect(resolveNamespace(undefined, { KEYPLANE_NAMESPACE: 'team-a/payments' })).toBe(
    'team-a/payments',
  );
  expect(resolveNamespace('team-b', { KEYPLANE_NAMESPACE: 'team-a' })).toBe('team-b');
  expect(() => resolveNamespace(undefined, { KEYPLANE_NAMESPACE: 'Team A//x' })).toThrow(
    expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }) as Error,
  );
  process.env.KEYPLANE_NAMESPACE = 'team-a/payments';
  const store = await openStore(join(dir, 'k.db'), { seal });
  const keys = new ManagedKeys({ store });
  try {
    await keys.create('awskms', 'k', { kms_key: 'alias/k', key_type: 'RSA' });
    await expect(keys.read('k')).resolves.toMatchObject({ namespace: 'team-a/payments' });
    await expect(keys.forNamespace('root').list()).resolves.toEqual([]);
  } finally {
    await keys.close();
    await store.close();
  }
});

it('group-commits thousands of queued sign entries in one flush, chain intact', async () => {
  const store = await openStore(join(dir, 'k.db'), { seal });
  try {
    // More than SQLite's 32,766 bound parameters would allow in one INSERT (11 per entry).
    for (let i = 0; i < 4000; i++) {
      store.queueAudit({
        namespace: 'root',
        operation: 'sign',
        target: 'signing_key/s',
        outcome: 'ok',
      });
    }
    await store.flushAudit();
    await expect(store.verifyAudit()).resolves.toMatchObject({ ok: true, entries: 4001 });
  } finally {
    await store.close();
  }
});

it('commits full groups while the caller never leaves the microtask queue', async () => {
  const path = join(dir, 'k.db');
  const store = await openStore(path, { seal });
  // A second connection reads synchronously: counting rows must not let the event loop turn.
  const reader = new BetterSqlite3(path, { readonly: true });
  const count = reader.prepare('select count(*) from audit_log').pluck();
  try {
    for (let i = 0; i < 1000; i++) {
      store.queueAudit({
        namespace: 'root',
        operation: 'sign',
        target: 'signing_key/s',
        outcome: 'ok',
      });
      // An inline PKCS#11 sign resolves like this: no I/O, so no timer, answer or sync completes.
      await Promise.resolve();
    }
    // The three full groups were posted as the queue filled, not held until the first answer
    // (which needs this event loop): the SQLite audit worker commits them on its own thread.
    // Waited for without turning this loop; the deadline only bounds a failure.
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    const deadline = Date.now() + 30_000;
    while (Number(count.get()) < 1 + 3 * 256 && Date.now() < deadline) {
      Atomics.wait(sleeper, 0, 0, 5);
    }
    expect(count.get()).toBe(1 + 3 * 256);
    await store.flushAudit();
    expect(count.get()).toBe(1001);
    await expect(store.verifyAudit()).resolves.toMatchObject({ ok: true, entries: 1001 });
  } finally {
    reader.close();
    await store.close();
  }
});
