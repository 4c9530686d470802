/**
 * The contract cases that need a second process: a lease held by another process (renewed, then
 * taken over only after that process is killed and the lease expired), `kill -9` in the middle
 * of a multi-record transaction (all or nothing), and concurrent writers with no lost update.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { openStore, type KeyStore } from '@keyplane/engine';
import { SEAL } from './contract';
import type { StoreFixture } from './fixtures';

const WORKER = join(__dirname, 'child', 'store-worker.js');

interface Worker {
  readonly child: ChildProcess;
  /** Resolves when the worker printed `line`. */
  waitFor(line: string): Promise<void>;
  exit: Promise<number | null>;
}

function worker(args: readonly string[]): Worker {
  const child = spawn(process.execPath, [WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of waiters.filter((x) => out.split('\n').includes(x.line))) w.resolve();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
  return {
    child,
    exit,
    waitFor: (line) =>
      new Promise((resolve, reject) => {
        if (out.split('\n').includes(line)) resolve();
        else waiters.push({ line, resolve });
        void exit.then((code) => {
          reject(new Error(`worker exited (${String(code)}) before '${line}': ${err}`));
        });
      }),
  };
}

export function defineProcessContract(fixture: () => StoreFixture): void {
  let url: string;
  let store: KeyStore;
  beforeEach(async () => {
    url = fixture().newUrl();
    store = await openStore(url, { seal: SEAL });
  });
  afterEach(async () => {
    await store.close();
  });

  it('a lease held by another process is refused while it renews, and taken over only after it was killed and expired', async () => {
    const w = worker(['lease', url, 'key/central', '600']);
    await w.waitFor('held');
    // Longer than the TTL: the holder renews, so the lease is still theirs.
    await new Promise((r) => setTimeout(r, 1000));
    await expect(
      store.acquireLease('key/central', { holder: 'parent', ttlMs: 600 }),
    ).rejects.toMatchObject({
      code: 'ERR_CONFLICT',
      message: expect.stringContaining(`worker-${String(w.child.pid)}`) as string,
    });
    w.child.kill('SIGKILL');
    await w.exit;
    const lease = await store.acquireLease('key/central', {
      holder: 'parent',
      ttlMs: 600,
      waitMs: 5000,
    });
    expect(lease.holder).toBe('parent');
    await lease.release();
  });

  it('kill -9 in the middle of a multi-record transaction leaves none of it; a finished one leaves all of it', async () => {
    const w = worker(['write', url, '20', '1']);
    await w.waitFor('mid');
    w.child.kill('SIGKILL');
    await w.exit;
    const after = await openStore(url, { seal: SEAL });
    try {
      await expect(after.list('key')).resolves.toEqual([]);
      await expect(after.verifyAudit()).resolves.toMatchObject({ ok: true });
      const done = worker(['write', url, '20', '0']);
      await done.waitFor('done');
      await expect(after.list('key')).resolves.toHaveLength(20);
      expect((await after.auditEntries()).map((e) => e.operation)).toContain('test.write');
    } finally {
      await after.close();
    }
  });

  it('concurrent writers in several processes lose no update (optimistic retries)', async () => {
    await store.transaction((tx) =>
      tx.insert({ kind: 'key', namespace: 'root', name: 'counter', attributes: { n: 0 } }),
    );
    const workers = [1, 2, 3].map(() => worker(['bump', url, 'counter', '10']));
    await Promise.all(workers.map((w) => w.waitFor('done')));
    const fresh = await openStore(url, { seal: SEAL });
    try {
      expect((await fresh.get('key', 'root', 'counter'))?.attributes).toEqual({ n: 30 });
    } finally {
      await fresh.close();
    }
  });
}
