/**
 * CryptoClient's cached operation path (the store's cached() reads and the pinned resolution
 * remembered per record): a warm client must see every change another connection makes to the
 * managed key or the signing key at its next operation, audit each operation as before, and
 * reopen what ManagedKeys.close() closed.
 */
import { CryptoClient, ManagedKeys, openStore, SigningKeys, type KeyStore } from '@keyplane/engine';
import type { SoftHsmToken } from '@keyplane/emulators';
import { createTestToken } from '../backends/support/pkcs11-token';
import { rejection } from '../support/rejection';
import { TEST_SEAL, testRegistry, type TestRegistry } from './support';

const MESSAGE = Buffer.from('release 3.1.4');

describe('CryptoClient on a warm cache (SoftHSM2, SQLite)', () => {
  let token: SoftHsmToken;
  let reg: TestRegistry;
  let otherStore: KeyStore;
  let other: ManagedKeys;

  beforeAll(async () => {
    token = await createTestToken('keyplane-client-cache');
    reg = await testRegistry();
    await reg.keys.create('pkcs11', 'hsm', {
      library: token.module,
      token_label: token.label,
      pin: token.pin,
      key_label: 'cached',
      mechanism: '0x1041',
      curve: 'P256',
      allow_generate_key: 'true',
      any_mount: 'true',
    });
    await new SigningKeys(reg.keys).create('app', { managed_key: 'hsm' });
    // Another connection to the same file, as another process would have.
    otherStore = await openStore(reg.path, { seal: TEST_SEAL });
    other = new ManagedKeys({ store: otherStore });
  });
  afterAll(async () => {
    await other.close();
    await otherStore.close();
    await reg.dispose();
    await token.dispose();
  });

  it('sees changes made through another connection at the next operation', async () => {
    const client = new CryptoClient(reg.keys, 'app');
    const first = await client.sign(MESSAGE);
    const second = await client.sign(MESSAGE);
    expect(second.key_version).toBe(1);
    await expect(client.verify(MESSAGE, first.signature)).resolves.toBe(true);

    await other.update('hsm', { usages: 'verify' });
    expect(await rejection(client.sign(MESSAGE))).toMatchObject({
      code: 'ERR_USAGE_NOT_ALLOWED',
      field: 'usages',
    });
    await expect(client.verify(MESSAGE, second.signature)).resolves.toBe(true);

    await other.update('hsm', { usages: 'sign,verify', any_mount: 'false' });
    expect(await rejection(client.sign(MESSAGE))).toMatchObject({
      code: 'ERR_NOT_PERMITTED',
      field: 'allowed_managed_keys',
    });

    await other.update('hsm', { any_mount: 'true' });
    const again = await client.sign(MESSAGE);
    await expect(client.verify(MESSAGE, again.signature)).resolves.toBe(true);

    await new SigningKeys(other).delete('app');
    expect(await rejection(client.sign(MESSAGE))).toMatchObject({
      code: 'ERR_NOT_FOUND',
      field: 'key',
    });

    const signs = (await reg.store.auditEntries()).filter((e) => e.operation === 'sign');
    expect(signs.map((e) => [e.outcome, e.errorCode, e.details.version])).toEqual([
      ['ok', null, 1],
      ['ok', null, 1],
      ['error', 'ERR_USAGE_NOT_ALLOWED', undefined],
      ['error', 'ERR_NOT_PERMITTED', undefined],
      ['ok', null, 1],
      ['error', 'ERR_NOT_FOUND', undefined],
    ]);
    // The input is logged as its HMAC under the audit key, never as itself.
    for (const e of signs) {
      expect(e.target).toBe('signing_key/app');
      expect(e.details.input).toBe(reg.store.auditHmac(MESSAGE));
    }
  });

  it('signs again after ManagedKeys.close() closed the backend it had resolved', async () => {
    await new SigningKeys(reg.keys).create('app2', { managed_key: 'hsm' });
    const client = new CryptoClient(reg.keys, 'app2');
    await client.sign(MESSAGE);
    await reg.keys.close();
    const after = await client.sign(MESSAGE);
    await expect(client.verify(MESSAGE, after.signature)).resolves.toBe(true);
  });
});
