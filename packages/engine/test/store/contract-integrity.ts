/**
 * The integrity half of the contract suite: rows edited or swapped behind Keyplane's back fail
 * with ERR_INTEGRITY naming the record; audit entries edited, deleted, reordered or cut off
 * fail `verifyAudit` at the right entry.
 */
import type { KeyStore, StoreRecord } from '@keyplane/engine';
import type { StoreFixture } from './fixtures';

interface Current {
  readonly url: string;
  readonly store: KeyStore;
  open(): Promise<KeyStore>;
}

export function defineIntegrityContract(fixture: () => StoreFixture, current: () => Current): void {
  const exec = (statement: string) => fixture().exec(current().url, statement);

  async function twoKeys(): Promise<[StoreRecord, StoreRecord]> {
    const { store } = current();
    return await store.transaction(async (tx) => [
      await tx.insert({
        kind: 'managed_key',
        namespace: 'root',
        name: 'k1',
        attributes: { type: 'pkcs11', params: { library: '/usr/lib/softhsm/libsofthsm2.so' } },
        secrets: { pin: Buffer.from('1111') },
      }),
      await tx.insert({
        kind: 'managed_key',
        namespace: 'root',
        name: 'k2',
        attributes: { type: 'pkcs11', params: { library: '/usr/lib/softhsm/libsofthsm2.so' } },
        secrets: { pin: Buffer.from('2222') },
      }),
    ]);
  }

  const fresh = async () => await current().open();

  it('an edited attribute (a PKCS#11 library pointed elsewhere) fails with ERR_INTEGRITY naming the record', async () => {
    await twoKeys();
    await exec(
      "UPDATE managed_keys SET attributes = replace(attributes, 'libsofthsm2.so', 'evil.so') WHERE name = 'k1'",
    );
    const store = await fresh();
    await expect(store.get('managed_key', 'root', 'k1')).rejects.toMatchObject({
      code: 'ERR_INTEGRITY',
      message: expect.stringContaining("managed_key 'k1' in namespace 'root'") as string,
    });
    await expect(store.list('managed_key')).rejects.toMatchObject({ code: 'ERR_INTEGRITY' });
    await expect(store.get('managed_key', 'root', 'k2')).resolves.toMatchObject({ name: 'k2' });
  });

  it('swapped sealed secrets, a swapped id, a changed revision or a flipped ciphertext byte fail with ERR_INTEGRITY', async () => {
    const [k1, k2] = await twoKeys();
    const rows = await exec('SELECT name, secrets, mac FROM managed_keys ORDER BY name');
    const [r1, r2] = rows as { secrets: string; mac: string }[];
    await exec(`UPDATE managed_keys SET secrets = '${r2!.secrets}' WHERE name = 'k1'`);
    await exec(`UPDATE managed_keys SET secrets = '${r1!.secrets}' WHERE name = 'k2'`);
    const store = await fresh();
    await expect(store.get('managed_key', 'root', 'k1')).rejects.toMatchObject({
      code: 'ERR_INTEGRITY',
    });
    // Swap whole identities (id + secrets + MAC): the MAC binds the name, so it still fails.
    await exec(`UPDATE managed_keys SET id = 'tmp' WHERE id = '${k1.id}'`);
    await exec(
      `UPDATE managed_keys SET id = '${k1.id}', secrets = '${r1!.secrets}', mac = '${r1!.mac}' WHERE id = '${k2.id}'`,
    );
    await exec(
      `UPDATE managed_keys SET id = '${k2.id}', secrets = '${r2!.secrets}', mac = '${r2!.mac}' WHERE id = 'tmp'`,
    );
    await expect(store.get('managed_key', 'root', 'k2')).rejects.toMatchObject({
      code: 'ERR_INTEGRITY',
    });
    await exec(`UPDATE managed_keys SET revision = 7`);
    await expect(store.getById('managed_key', k1.id)).rejects.toMatchObject({
      code: 'ERR_INTEGRITY',
    });
  });

  it('a sealed field moved to another record (same MAC key, re-MAC impossible) does not open', async () => {
    const [k1] = await twoKeys();
    const { store } = current();
    const sealed = JSON.parse(
      String((await exec(`SELECT secrets FROM managed_keys WHERE name = 'k2'`))[0]?.secrets),
    ) as Record<string, string>;
    // Replace the second-to-last character by a different one (judged on that character itself,
    // so the edit always changes the ciphertext).
    const pin = sealed.pin ?? '';
    const flipped = pin.slice(0, -2) + (pin.at(-2) === 'A' ? 'B' : 'A') + pin.slice(-1);
    expect(flipped).not.toBe(pin);
    await exec(
      `UPDATE managed_keys SET secrets = '${JSON.stringify({ pin: flipped })}' WHERE name = 'k2'`,
    );
    await expect(fresh().then((s) => s.get('managed_key', 'root', 'k2'))).rejects.toMatchObject({
      code: 'ERR_INTEGRITY',
    });
    expect(store.secret(k1, 'pin').toString()).toBe('1111');
  });

  it('edited store metadata is refused at open', async () => {
    await exec("UPDATE store_meta SET seal_description = 'something else'");
    await expect(fresh()).rejects.toMatchObject({
      code: 'ERR_INTEGRITY',
      message: expect.stringContaining('store metadata') as string,
    });
  });

  describe('audit chain', () => {
    async function fiveEntries(): Promise<number> {
      const { store } = current();
      for (const n of [1, 2, 3, 4, 5]) {
        await store.appendAudit({
          namespace: 'root',
          operation: 'test',
          target: `key/${String(n)}`,
          outcome: 'ok',
          secrets: { input: 'hunter2' },
        });
      }
      const entries = await store.auditEntries();
      expect(entries.at(-1)?.details.input).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
      expect(JSON.stringify(entries)).not.toContain('hunter2');
      await expect(store.verifyAudit()).resolves.toMatchObject({
        ok: true,
        entries: entries.length,
      });
      return entries[0]?.seq ?? 0;
    }

    it('an edited entry breaks the chain at that entry', async () => {
      const first = await fiveEntries();
      await exec(`UPDATE audit_log SET target = 'key/other' WHERE seq = ${String(first + 2)}`);
      await expect(current().store.verifyAudit()).resolves.toMatchObject({
        ok: false,
        brokenAt: first + 2,
        reason: expect.stringContaining('modified') as string,
      });
    });

    it('a deleted entry breaks the chain where it was', async () => {
      const first = await fiveEntries();
      await exec(`DELETE FROM audit_log WHERE seq = ${String(first + 1)}`);
      await expect(current().store.verifyAudit()).resolves.toMatchObject({
        ok: false,
        brokenAt: first + 2,
      });
    });

    it('reordered entries break the chain at the first moved one', async () => {
      const first = await fiveEntries();
      const [a, b] = [first + 1, first + 2].map(String);
      await exec(`UPDATE audit_log SET seq = -1 WHERE seq = ${a!}`);
      await exec(`UPDATE audit_log SET seq = ${a!} WHERE seq = ${b!}`);
      await exec(`UPDATE audit_log SET seq = ${b!} WHERE seq = -1`);
      await expect(current().store.verifyAudit()).resolves.toMatchObject({
        ok: false,
        brokenAt: first + 1,
      });
    });

    it('entries cut off the end are noticed against the MAC’d head', async () => {
      const first = await fiveEntries();
      await exec(`DELETE FROM audit_log WHERE seq >= ${String(first + 3)}`);
      await expect(current().store.verifyAudit()).resolves.toMatchObject({
        ok: false,
        brokenAt: first + 3,
        reason: expect.stringContaining('removed from the end') as string,
      });
    });
  });
}
