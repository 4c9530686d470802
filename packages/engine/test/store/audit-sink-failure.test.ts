/**
 * A JSON-lines sink that fails after the store committed (the file replaced by a planted
 * symlink, which the sink refuses to follow): the failure is reported — by the state change that
 * committed, by the next audit flush — and nothing is committed twice, on PostgreSQL, on SQLite's
 * own connection and on SQLite's audit worker. Counted in the store's own rows.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, PassphraseSeal } from '@keyplane/engine';
import { postgresFixture, queueSign, sqliteFixture, type StoreFixture } from './fixtures';

const seal = new PassphraseSeal('audit sink failure passphrase');

const sinkRefused = {
  code: 'ERR_STORE',
  field: 'auditFile',
  message: expect.stringContaining('could not take entries already committed') as string,
};

describe.each([
  ['SQLite', sqliteFixture, 10],
  ['SQLite, audit worker', sqliteFixture, 300],
  ['PostgreSQL', postgresFixture, 300],
])('%s', (_, makeFixture: () => StoreFixture | Promise<StoreFixture>, batch: number) => {
  let fixture: StoreFixture;
  let dir: string;
  beforeAll(async () => {
    fixture = await makeFixture();
  }, 60_000);
  afterAll(async () => {
    await fixture.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kp-sink-fail-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a sink failure after commit and commits nothing twice', async () => {
    const file = join(dir, 'audit.jsonl');
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    const store = await openStore(fixture.newUrl(), { seal, auditFile: file });
    try {
      for (let i = 0; i < batch; i++) queueSign(store, i);
      await store.flushAudit();
      rmSync(file);
      symlinkSync(victim, file);

      for (let i = batch; i < 2 * batch; i++) queueSign(store, i);
      await expect(store.flushAudit()).rejects.toMatchObject(sinkRefused);
      // After a failure the next flush goes on with the groups still queued (a batch of 300 is
      // two groups): each commits once and reports the sink again; then nothing is left.
      let reports = 1;
      for (; reports < 5; reports++) {
        const failure = await store.flushAudit().then(
          () => undefined,
          (e: unknown) => e,
        );
        if (failure === undefined) break;
        expect(failure).toMatchObject(sinkRefused);
      }
      expect(reports).toBeLessThanOrEqual(Math.ceil(batch / 256));
      // A state change commits and says that its copy did not reach the file.
      await expect(
        store.transaction(async (tx) => {
          await tx.insert({ kind: 'managed_key', namespace: 'root', name: 'k', attributes: {} });
          await tx.audit({
            namespace: 'root',
            operation: 'managed-key.create',
            target: 'managed_key/k',
            outcome: 'ok',
          });
        }),
      ).rejects.toMatchObject(sinkRefused);
      await expect(store.get('managed_key', 'root', 'k')).resolves.toMatchObject({ name: 'k' });

      rmSync(file);
      for (let i = 2 * batch; i < 3 * batch; i++) queueSign(store, i);
      await store.flushAudit();
      const entries = await store.auditEntries();
      const signs = entries.filter((e) => e.operation === 'sign').map((e) => e.details.i);
      expect(signs).toEqual(Array.from({ length: 3 * batch }, (_, i) => i));
      expect(entries.filter((e) => e.operation === 'managed-key.create')).toHaveLength(1);
      await expect(store.verifyAudit()).resolves.toMatchObject({ ok: true });
      expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
      // The file got what was committed after it came back, once.
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(batch);
    } finally {
      await store.close();
    }
  });
});
