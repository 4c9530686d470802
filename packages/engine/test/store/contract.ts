/**
 * The KeyStore contract suite: runs unchanged against SQLite and PostgreSQL
 * (store-sqlite.test.ts, store-postgres.test.ts). Records, namespaces, optimistic concurrency,
 * transactions, caching across instances, leases, seal and migration refusals.
 */
import { openStore, PassphraseSeal, type KeyStore } from '@keyplane/engine';
import type { StoreFixture } from './fixtures';
import { defineIntegrityContract } from './contract-integrity';

export const SEAL = new PassphraseSeal('contract suite passphrase');

export function defineStoreContract(fixture: () => StoreFixture): void {
  let url: string;
  let store: KeyStore;
  const opened: KeyStore[] = [];
  const open = async (seal = SEAL) => {
    const s = await openStore(url, { seal, actor: 'contract-suite' });
    opened.push(s);
    return s;
  };
  beforeEach(async () => {
    url = fixture().newUrl();
    store = await open();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
  });

  const insertKey = (s: KeyStore, name: string, namespace = 'root') =>
    s.transaction((tx) =>
      tx.insert({
        kind: 'managed_key',
        namespace,
        name,
        attributes: { type: 'pkcs11', params: { library: '/usr/lib/softhsm/libsofthsm2.so' } },
        secrets: { pin: Buffer.from(`pin-of-${name}`) },
      }),
    );

  it('inserts, reads, lists and deletes records; secrets come back only through secret()', async () => {
    const r = await insertKey(store, 'k1');
    expect(r).toMatchObject({
      kind: 'managed_key',
      namespace: 'root',
      name: 'k1',
      revision: 1,
      parent: '',
    });
    expect(r.secretFields).toEqual(['pin']);
    expect(JSON.stringify(r)).not.toContain('pin-of-k1');
    const read = await store.get('managed_key', 'root', 'k1');
    expect(read?.attributes).toEqual(r.attributes);
    expect(store.secret(read!, 'pin').toString()).toBe('pin-of-k1');
    await insertKey(store, 'k0');
    expect((await store.list('managed_key', { namespace: 'root' })).map((x) => x.name)).toEqual([
      'k0',
      'k1',
    ]);
    expect(await store.getById('managed_key', r.id)).toMatchObject({ name: 'k1' });
    await store.transaction((tx) => tx.delete(r));
    await expect(store.get('managed_key', 'root', 'k1')).resolves.toBeUndefined();
  });

  it('keeps names unique per namespace and kind; creates nested namespaces with their parents', async () => {
    await insertKey(store, 'shared');
    await expect(insertKey(store, 'shared')).rejects.toMatchObject({
      code: 'ERR_ALREADY_EXISTS',
      field: 'name',
    });
    await insertKey(store, 'shared', 'team-a/payments');
    await store.transaction((tx) =>
      tx.insert({ kind: 'signing_key', namespace: 'root', name: 'shared', attributes: {} }),
    );
    const namespaces = (await store.list('namespace')).map((n) => n.name);
    expect(namespaces).toEqual(expect.arrayContaining(['root', 'team-a', 'team-a/payments']));
    await expect(insertKey(store, 'x', 'Team A')).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'namespace',
    });
    await expect(insertKey(store, 'x', 'root/team')).rejects.toMatchObject({ field: 'namespace' });
    const status = await store.status();
    expect(status.counts['team-a/payments']).toEqual({ managed_key: 1 });
    expect(status.counts.root).toMatchObject({ managed_key: 1, signing_key: 1 });
  });

  it('updates name the revision they read: the loser gets a retryable ERR_CONFLICT, a deleted record stays deleted', async () => {
    const r = await insertKey(store, 'k');
    const other = await open();
    const theirs = (await other.get('managed_key', 'root', 'k'))!;
    const mine = await store.transaction((tx) => tx.update(r, { attributes: { v: 2 } }));
    expect(mine.revision).toBe(2);
    await expect(
      other.transaction((tx) => tx.update(theirs, { attributes: { v: 3 } })),
    ).rejects.toMatchObject({
      code: 'ERR_CONFLICT',
      retryable: true,
    });
    await store.transaction((tx) => tx.delete(mine));
    await expect(
      other.transaction((tx) => tx.update(mine, { attributes: { v: 4 } })),
    ).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
    await expect(other.get('managed_key', 'root', 'k')).resolves.toBeUndefined();
    await expect(store.transaction((tx) => tx.delete(mine))).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
  });

  it('sets and removes secret fields on update, keeping the others', async () => {
    const r = await insertKey(store, 'k');
    const u = await store.transaction((tx) =>
      tx.update(r, { secrets: { client_secret: Buffer.from('cs'), pin: null } }),
    );
    expect(u.secretFields).toEqual(['client_secret']);
    expect(store.secret(u, 'client_secret').toString()).toBe('cs');
    expect(() => store.secret(u, 'pin')).toThrow(
      expect.objectContaining({ field: 'pin' }) as Error,
    );
  });

  it('commits all of a transaction or none of it (records and audit entries)', async () => {
    const before = (await store.status()).auditEntries;
    await expect(
      store.transaction(async (tx) => {
        await tx.insert({ kind: 'key', namespace: 'root', name: 'a', attributes: {} });
        await tx.audit({ namespace: 'root', operation: 'test', target: 'key/a', outcome: 'ok' });
        await tx.insert({ kind: 'key', namespace: 'root', name: 'a', attributes: {} });
      }),
    ).rejects.toMatchObject({ code: 'ERR_ALREADY_EXISTS' });
    await expect(store.get('key', 'root', 'a')).resolves.toBeUndefined();
    expect((await store.status()).auditEntries).toBe(before);
  });

  it('deletes child records with their parent (versions of a key)', async () => {
    const key = await store.transaction(async (tx) => {
      const k = await tx.insert({
        kind: 'key',
        namespace: 'root',
        name: 'central',
        attributes: { type: 'rsa-2048' },
      });
      for (const v of ['1', '2']) {
        await tx.insert({
          kind: 'key_version',
          namespace: 'root',
          name: v,
          parent: k.id,
          attributes: {},
          secrets: { material: Buffer.from(`m${v}`) },
        });
      }
      const d = await tx.insert({
        kind: 'distribution',
        namespace: 'root',
        name: 'aws',
        parent: k.id,
        ref: 'kms-id',
        attributes: {},
      });
      await tx.insert({
        kind: 'distribution_version',
        namespace: 'root',
        name: '1',
        parent: d.id,
        attributes: { arn: 'arn:1' },
      });
      return k;
    });
    expect((await store.list('key_version', { parent: key.id })).map((v) => v.name)).toEqual([
      '1',
      '2',
    ]);
    expect(await store.list('distribution', { ref: 'kms-id' })).toHaveLength(1);
    await store.transaction((tx) => tx.delete(key));
    for (const kind of ['key_version', 'distribution', 'distribution_version'] as const) {
      await expect(store.list(kind)).resolves.toEqual([]);
    }
  });

  it('serves reads from a cache that another instance’s write invalidates', async () => {
    const r = await insertKey(store, 'k');
    const other = await openStore(url, { seal: SEAL, cacheTtlMs: 0 });
    opened.push(other);
    expect((await other.get('managed_key', 'root', 'k'))?.revision).toBe(1);
    const g1 = await other.generation();
    await store.transaction((tx) => tx.update(r, { attributes: { v: 2 } }));
    expect(await other.generation()).not.toBe(g1);
    expect((await other.get('managed_key', 'root', 'k'))?.revision).toBe(2);
  });

  it('cached() answers what get() read while nothing changed, without I/O', async () => {
    await insertKey(store, 'k');
    // A long interval: PostgreSQL's check for other writers cannot come due during the test.
    const s = await openStore(url, { seal: SEAL, cacheTtlMs: 600_000 });
    opened.push(s);
    expect(s.cached('managed_key', 'root', 'k')).toBeUndefined();
    const read = await s.get('managed_key', 'root', 'k');
    // The first check for other writers after opening answers "may have changed": get() reads
    // the generation again where cached() defers to get().
    expect(await s.get('managed_key', 'root', 'k')).toBe(read);
    expect(read?.revision).toBe(1);
    expect(s.cached('managed_key', 'root', 'k')).toBe(read);
    expect(s.cached('managed_key', 'root', 'missing')).toBeUndefined();
    expect(s.cached('key', 'root', 'k')).toBeUndefined();
    // Another instance writes: SQLite knows at once (data_version), PostgreSQL after the interval.
    const r = await store.get('managed_key', 'root', 'k');
    if (r === undefined) throw new Error('k was not read back');
    await store.transaction((tx) => tx.update(r, { attributes: { v: 2 } }));
    const postgres = url.startsWith('postgres');
    expect(s.cached('managed_key', 'root', 'k')).toBe(postgres ? read : undefined);
    // Its own write: both at once.
    await insertKey(s, 'k2');
    expect(s.cached('managed_key', 'root', 'k')).toBeUndefined();
    const reread = await s.get('managed_key', 'root', 'k');
    expect(reread?.revision).toBe(2);
    expect(s.cached('managed_key', 'root', 'k')).toBe(reread);
  });

  it('leases: one holder at a time, renewable, released, taken over only after expiry', async () => {
    const other = await open();
    const lease = await store.acquireLease('key/central', { holder: 'a', ttlMs: 400 });
    await expect(
      other.acquireLease('key/central', { holder: 'b', ttlMs: 400 }),
    ).rejects.toMatchObject({
      code: 'ERR_CONFLICT',
      message: expect.stringContaining('held by a') as string,
    });
    await lease.renew();
    await lease.release();
    const b = await other.acquireLease('key/central', { holder: 'b', ttlMs: 60_000 });
    // Expire b's lease behind its back (as if b had stopped renewing): a may take it now…
    await fixture().exec(url, "UPDATE leases SET expires_at = 0 WHERE resource = 'key/central'");
    const taken = await store.acquireLease('key/central', { holder: 'a', ttlMs: 60_000 });
    // …and b learns it lost the lease on its next renewal.
    await expect(b.renew()).rejects.toMatchObject({ code: 'ERR_CONFLICT' });
    expect(b.signal.aborted).toBe(true);
    await b.release();
    await expect(other.acquireLease('key/central', { holder: 'b' })).rejects.toMatchObject({
      code: 'ERR_CONFLICT',
    });
    await taken.release();
    await expect(
      store.withLease('key/other', (l) => Promise.resolve(l.holder), { holder: 'c' }),
    ).resolves.toBe('c');
  });

  it('refuses a wrong passphrase and a different seal with ERR_SEAL naming the seal, on reads and writes', async () => {
    await insertKey(store, 'k');
    await expect(open(new PassphraseSeal('not the right passphrase'))).rejects.toMatchObject({
      code: 'ERR_SEAL',
      message: expect.stringContaining('passphrase seal') as string,
    });
    const sealed = await openStore(url, {});
    opened.push(sealed);
    expect((await sealed.status()).sealType).toBe('passphrase');
    await expect(sealed.get('managed_key', 'root', 'k')).rejects.toMatchObject({
      code: 'ERR_SEAL',
    });
    await expect(
      sealed.transaction((tx) => tx.delete({ kind: 'key', id: 'x', revision: 1 })),
    ).rejects.toMatchObject({ code: 'ERR_SEAL' });
  });

  it('rewraps the data key under another seal atomically', async () => {
    await insertKey(store, 'k');
    const next = new PassphraseSeal('the next passphrase!');
    await store.rewrap(next);
    await expect(open(SEAL)).rejects.toMatchObject({ code: 'ERR_SEAL' });
    const reopened = await open(next);
    const r = await reopened.get('managed_key', 'root', 'k');
    expect(reopened.secret(r!, 'pin').toString()).toBe('pin-of-k');
    await expect(reopened.verifyAudit()).resolves.toMatchObject({ ok: true });
  });

  it('migrations are idempotent and a store written by a newer schema is refused', async () => {
    await store.close();
    store = await open();
    await store.close();
    await fixture().exec(
      url,
      "INSERT INTO keyplane_migrations (name, timestamp) VALUES ('9999_from_the_future', '2099-01-01T00:00:00.000Z')",
    );
    await expect(open()).rejects.toMatchObject({
      code: 'ERR_STORE',
      reason: 'schema-too-new',
      message: expect.stringContaining('newer Keyplane') as string,
    });
  });

  defineIntegrityContract(fixture, () => ({ url, store, open }));
}
