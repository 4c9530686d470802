/**
 * Bad input and faults, one clear error each and nothing half-written: an unknown URL scheme, an
 * unreachable PostgreSQL, a planted symlink, a read-only file system and a full disk (tiny
 * tmpfs mounts: the suite runs as root, as CI does).
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, PassphraseSeal } from '@keyplane/engine';

const seal = new PassphraseSeal('faults test passphrase');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-faults-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A tmpfs of `size` at a new directory, unmounted by the returned function. */
function tmpfs(size: string): { path: string; remount(options: string): void; unmount(): void } {
  const path = join(dir, 'mnt');
  mkdirSync(path);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', path]);
  return {
    path,
    remount: (options) => execFileSync('mount', ['-o', `remount,${options}`, path]),
    unmount: () => execFileSync('umount', [path]),
  };
}

it('refuses an unknown URL scheme, naming the allowed ones', async () => {
  await expect(openStore('mysql://db/keyplane', { seal })).rejects.toMatchObject({
    code: 'ERR_UNSUPPORTED_TARGET',
    field: 'store',
    message: expect.stringContaining(
      "store URL scheme 'mysql:' is not supported; allowed: sqlite:///abs/path.db, postgres://",
    ) as string,
  });
});

it('reports an unreachable PostgreSQL as ERR_STORE (unreachable), without the password', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => {
        resolve(typeof a === 'object' && a !== null ? a.port : 0);
      });
    });
  });
  const error = await openStore(`postgres://keyplane:hunter2@127.0.0.1:${String(port)}/db`, {
    seal,
  }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'ERR_STORE', reason: 'unreachable' });
  expect((error as Error).message).toContain(`127.0.0.1:${String(port)}`);
  expect((error as Error).message).not.toContain('hunter2');
});

it('refuses a planted symlink instead of following it', async () => {
  const target = join(dir, 'target');
  writeFileSync(target, 'precious');
  mkdirSync(join(dir, 'store'), { mode: 0o700 });
  symlinkSync(target, join(dir, 'store', 'keyplane.db'));
  await expect(openStore(join(dir, 'store', 'keyplane.db'), { seal })).rejects.toMatchObject({
    code: 'ERR_STORE',
    message: expect.stringContaining('symlinks are refused') as string,
  });
  symlinkSync(target, join(dir, 'store', 'other.db-wal'));
  await expect(openStore(join(dir, 'store', 'other.db'), { seal })).rejects.toMatchObject({
    code: 'ERR_STORE',
  });
  expect(readFileSync(target, 'utf8')).toBe('precious');
});

it('a read-only file system: ERR_STORE (read-only), nothing changed', async () => {
  const fs = tmpfs('4m');
  try {
    const path = join(fs.path, 'keyplane.db');
    const store = await openStore(path, { seal });
    await store.transaction((tx) =>
      tx.insert({ kind: 'key', namespace: 'root', name: 'before', attributes: {} }),
    );
    await store.close();
    fs.remount('ro');
    await expect(openStore(path, { seal })).rejects.toMatchObject({
      code: 'ERR_STORE',
      reason: 'read-only',
      message: expect.stringContaining('is read-only (EROFS)') as string,
    });
    await expect(openStore(join(fs.path, 'new.db'), { seal })).rejects.toMatchObject({
      code: 'ERR_STORE',
      reason: 'read-only',
    });
    fs.remount('rw');
    const reopened = await openStore(path, { seal });
    expect((await reopened.list('key')).map((k) => k.name)).toEqual(['before']);
    await expect(reopened.verifyAudit()).resolves.toMatchObject({ ok: true });
    await reopened.close();
  } finally {
    fs.unmount();
  }
});

it('a full disk: ERR_STORE (disk-full), the failed transaction leaves nothing, earlier ones stay', async () => {
  const fs = tmpfs('2m');
  try {
    const path = join(fs.path, 'keyplane.db');
    const store = await openStore(path, { seal });
    const big = 'x'.repeat(16 * 1024);
    let written = 0;
    let error: unknown;
    for (let i = 0; i < 400 && error === undefined; i++) {
      try {
        await store.transaction(async (tx) => {
          await tx.insert({
            kind: 'key',
            namespace: 'root',
            name: `k${String(i)}`,
            attributes: { big },
          });
          await tx.insert({
            kind: 'key_version',
            namespace: 'root',
            name: `v${String(i)}`,
            attributes: { big },
          });
        });
        written = i + 1;
      } catch (e) {
        error = e;
      }
    }
    expect(error).toMatchObject({ code: 'ERR_STORE', reason: 'disk-full' });
    await store.close().catch(() => undefined);
    fs.remount('size=4m');
    const reopened = await openStore(path, { seal });
    expect(await reopened.list('key')).toHaveLength(written);
    expect(await reopened.list('key_version')).toHaveLength(written);
    await expect(reopened.verifyAudit()).resolves.toMatchObject({ ok: true });
    await reopened.close();
  } finally {
    fs.unmount();
  }
});

it('queued sign/verify audit entries survive a flush that hit a full disk', async () => {
  const fs = tmpfs('2m');
  const path = join(fs.path, 'keyplane.db');
  const store = await openStore(path, { seal });
  try {
    const filler = join(fs.path, 'filler');
    const chunk = Buffer.alloc(64 * 1024);
    try {
      for (;;) appendFileSync(filler, chunk);
    } catch {
      // ENOSPC: the disk is full now.
    }
    for (let i = 0; i < 5; i++) {
      store.queueAudit({
        namespace: 'root',
        operation: 'sign',
        target: 'signing_key/s',
        outcome: 'ok',
      });
    }
    await expect(store.flushAudit()).rejects.toMatchObject({
      code: 'ERR_STORE',
      reason: 'disk-full',
    });
    rmSync(filler);
    await store.flushAudit();
    expect((await store.auditEntries()).map((e) => e.operation)).toEqual([
      'store.init',
      ...Array<string>(5).fill('sign'),
    ]);
    await expect(store.verifyAudit()).resolves.toMatchObject({ ok: true });
  } finally {
    await store.close().catch(() => undefined);
    fs.unmount();
  }
});
