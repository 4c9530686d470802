import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ManagedKeys, openStore, SigningKeys } from '@keyplane/engine';
import { storeFilesContain, testRegistry, TEST_SEAL, type TestRegistry } from './support';

const PKCS11 = {
  library: '/usr/lib/softhsm/libsofthsm2.so',
  token_label: 'keyplane-test',
  pin: '987654',
  key_label: 'hsm-key1',
  mechanism: '0x1041',
  curve: 'P256',
};

describe('managed keys in the key store (SQLite, no backend calls)', () => {
  let reg: TestRegistry;
  let keys: ManagedKeys;
  let path: string;
  beforeEach(async () => {
    reg = await testRegistry();
    keys = reg.keys;
    path = reg.path;
  });
  afterEach(async () => {
    await reg.dispose();
  });

  it('creates with defaults, reads back with secrets redacted, and never stores a secret in clear', async () => {
    const view = await keys.create('pkcs11', 'hsm-key1', { ...PKCS11, allow_generate_key: 'true' });
    expect(view).toMatchObject({
      name: 'hsm-key1',
      type: 'pkcs11',
      allow_generate_key: true,
      allow_replace_key: false,
      allow_store_key: false,
      any_mount: false,
      usages: ['sign', 'verify'],
      mechanism: '0x1041',
      curve: 'P256',
      force_rw_session: false,
      max_parallel: 1,
      pin: 'redacted',
    });
    expect(view.UUID).toMatch(/^[0-9a-f-]{36}$/);
    await expect(keys.read('hsm-key1')).resolves.toEqual(view);
    expect(storeFilesContain(path, '987654')).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
  });

  it('refuses unknown parameters and bad values, naming the parameter and the allowed values', async () => {
    await expect(keys.create('pkcs11', 'k', { ...PKCS11, colour: 'blue' })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'colour',
      allowed: expect.arrayContaining(['library', 'key_label', 'mechanism', 'usages']) as unknown,
    });
    await expect(
      keys.create('pkcs11', 'k', { ...PKCS11, mechanism: '0x0042' }),
    ).rejects.toMatchObject({
      field: 'mechanism',
      allowed: ['0x1041', '0x000D', '0x0009', '0x0001'],
    });
    await expect(
      keys.create('pkcs11', 'k', { ...PKCS11, usages: 'sign,teleport' }),
    ).rejects.toMatchObject({
      field: 'usages',
    });
    await expect(
      keys.create('awskms', 'k', { kms_key: 'alias/x', key_type: 'RSA', key_bits: '1024' }),
    ).rejects.toMatchObject({
      field: 'key_bits',
      allowed: ['2048', '3072', '4096'],
    });
    await expect(keys.create('vaultkms', 'k', {})).rejects.toMatchObject({
      code: 'ERR_UNSUPPORTED_TARGET',
      allowed: ['pkcs11', 'awskms', 'azurekeyvault', 'gcpckms'],
    });
    await expect(
      keys.create('pkcs11', 'k', { ...PKCS11, allow_generate_key: 'yes' }),
    ).rejects.toMatchObject({
      field: 'allow_generate_key',
      allowed: ['true', 'false'],
    });
  });

  it('checks required and generation parameters at create time', async () => {
    const without = (name: keyof typeof PKCS11) =>
      Object.fromEntries(Object.entries(PKCS11).filter(([k]) => k !== name));
    const noPin = without('pin');
    await expect(keys.create('pkcs11', 'k', noPin)).rejects.toMatchObject({
      code: 'ERR_MISSING_PARAMETER',
      field: 'pin',
    });
    const noSlot = without('token_label');
    await expect(keys.create('pkcs11', 'k', noSlot)).rejects.toMatchObject({
      field: 'slot',
      allowed: ['slot', 'token_label'],
    });
    const noCurve = without('curve');
    await expect(
      keys.create('pkcs11', 'k', { ...noCurve, allow_generate_key: true }),
    ).rejects.toMatchObject({
      code: 'ERR_MISSING_PARAMETER',
      field: 'curve',
    });
    await expect(keys.create('pkcs11', 'k', noCurve)).resolves.toMatchObject({ name: 'k' });
    await expect(
      keys.create('gcpckms', 'g', {
        crypto_key: 'c',
        key_ring: 'r',
        project: 'p',
        region: 'us-east1',
        algorithm: 'EC_SIGN_P256_SHA256',
        endpoint: 'kms.example.com:443',
        insecure: 'true',
      }),
    ).rejects.toMatchObject({ field: 'insecure' });
  });

  it('keeps names lowercase and unique across all types; lists by type; deletes', async () => {
    await expect(keys.create('pkcs11', 'HSM-Key', PKCS11)).rejects.toMatchObject({ field: 'name' });
    await expect(keys.create('pkcs11', 'constructor', PKCS11)).resolves.toMatchObject({
      name: 'constructor',
    });
    await keys.create('pkcs11', 'shared', PKCS11);
    await expect(
      keys.create('awskms', 'shared', {
        kms_key: 'alias/shared',
        key_type: 'ECDSA',
        curve: 'P256',
      }),
    ).rejects.toMatchObject({ code: 'ERR_ALREADY_EXISTS', field: 'name' });
    await keys.create('awskms', 'aws-one', {
      kms_key: 'alias/one',
      key_type: 'ecdsa',
      curve: 'p384',
    });
    await expect(keys.list()).resolves.toEqual(['aws-one', 'constructor', 'shared']);
    await expect(keys.list('awskms')).resolves.toEqual(['aws-one']);
    await expect(keys.read('aws-one')).resolves.toMatchObject({
      key_type: 'ECDSA',
      curve: 'P384',
      region: 'us-east-1',
    });
    await expect(keys.read('aws-one', 'pkcs11')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await keys.delete('aws-one');
    await expect(keys.read('aws-one')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await expect(keys.read('tostring')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
  });

  it('updates given parameters, keeps the others and the sealed secrets', async () => {
    await keys.create('pkcs11', 'k', PKCS11);
    const updated = await keys.update('k', { usages: 'sign', max_parallel: '4' });
    expect(updated).toMatchObject({
      usages: ['sign'],
      max_parallel: 4,
      key_label: 'hsm-key1',
      pin: 'redacted',
    });
    await expect(keys.update('k', { mechanism: 'nope' })).rejects.toMatchObject({
      field: 'mechanism',
    });
  });

  it('refuses a signing key the managed key does not allow, and deleting a managed key in use', async () => {
    await keys.create('awskms', 'restricted', {
      kms_key: 'alias/r',
      key_type: 'RSA',
      key_bits: '2048',
    });
    const signing = new SigningKeys(keys);
    await expect(signing.create('consumer', { managed_key: 'restricted' })).rejects.toMatchObject({
      code: 'ERR_NOT_PERMITTED',
      field: 'allowed_managed_keys',
    });
    await expect(signing.create('consumer', { managed_key: 'missing' })).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
  });

  it('serializes concurrent writers across store instances: no update is lost', async () => {
    const stores = await Promise.all([1, 2, 3].map(() => openStore(path, { seal: TEST_SEAL })));
    const others = stores.map((store) => new ManagedKeys({ store }));
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (others[i % 3] ?? keys).create('awskms', `k${String(i)}`, {
          kms_key: `alias/k${String(i)}`,
          key_type: 'RSA',
        }),
      ),
    );
    await Promise.all(stores.map((s) => s.close()));
    await expect(keys.list()).resolves.toHaveLength(12);
  });

  it('an update racing a delete fails and never brings the key back; an empty update writes nothing', async () => {
    await keys.create('pkcs11', 'k', PKCS11);
    const before = await reg.store.get('managed_key', 'root', 'k');
    await expect(keys.update('k', {})).resolves.toMatchObject({ name: 'k' });
    expect((await reg.store.get('managed_key', 'root', 'k'))?.revision).toBe(before?.revision);
    const other = new ManagedKeys({ store: await openStore(path, { seal: TEST_SEAL }) });
    // Both read revision 1; one deletes, then the other's update must not resurrect it.
    const stale = await other.record('k');
    await keys.delete('k');
    await expect(
      other.store.transaction((tx) =>
        tx.update(
          { kind: 'managed_key', id: stale.uuid, revision: stale.revision },
          { attributes: {} },
        ),
      ),
    ).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await expect(other.update('k', { max_parallel: '2' })).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
    await expect(keys.read('k')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await other.store.close();
  });

  it('refuses --allow naming missing managed keys and a signing key over a key that cannot sign', async () => {
    await keys.create('awskms', 'enc', {
      kms_key: 'alias/e',
      key_type: 'RSA',
      usages: 'encrypt,decrypt',
      any_mount: 'true',
    });
    await keys.create('awskms', 'ok', { kms_key: 'alias/o', key_type: 'RSA' });
    const signing = new SigningKeys(keys);
    await expect(
      signing.create('s1', { managed_key: 'ok', allowed_managed_keys: ['ok', 'missing'] }),
    ).rejects.toMatchObject({ code: 'ERR_NOT_FOUND', field: 'allowed_managed_keys' });
    await expect(signing.create('s2', { managed_key: 'enc' })).rejects.toMatchObject({
      code: 'ERR_USAGE_NOT_ALLOWED',
      field: 'usages',
    });
    await expect(signing.list()).resolves.toEqual([]);
  });

  it('namespaces: the same name twice, lists per namespace, no managed key across namespaces', async () => {
    const team = keys.forNamespace('team-a/payments');
    await keys.create('awskms', 'shared', {
      kms_key: 'alias/root',
      key_type: 'RSA',
      any_mount: 'true',
    });
    await team.create('awskms', 'shared', { kms_key: 'alias/team', key_type: 'RSA' });
    await expect(team.read('shared')).resolves.toMatchObject({
      namespace: 'team-a/payments',
      kms_key: 'alias/team',
    });
    await expect(keys.read('shared')).resolves.toMatchObject({
      namespace: 'root',
      kms_key: 'alias/root',
    });
    await keys.create('awskms', 'only-root', {
      kms_key: 'alias/r',
      key_type: 'RSA',
      any_mount: 'true',
    });
    await expect(team.list()).resolves.toEqual(['shared']);
    await expect(
      new SigningKeys(team).create('s', { managed_key: 'only-root' }),
    ).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
      message: expect.stringContaining("namespace 'team-a/payments'") as string,
    });
    await team.delete('shared');
    await expect(keys.read('shared')).resolves.toMatchObject({ namespace: 'root' });
  });

  it('audits every change in the same transaction, failures with their error code', async () => {
    await keys.create('awskms', 'a', { kms_key: 'alias/a', key_type: 'RSA' });
    await expect(
      keys.create('awskms', 'a', { kms_key: 'alias/a', key_type: 'RSA' }),
    ).rejects.toMatchObject({
      code: 'ERR_ALREADY_EXISTS',
    });
    await keys.update('a', { region: 'eu-west-1' });
    await keys.delete('a');
    const entries = (await reg.store.auditEntries()).map((e) => [
      e.operation,
      e.target,
      e.outcome,
      e.errorCode,
    ]);
    expect(entries).toEqual([
      ['store.init', 'store', 'ok', null],
      ['managed-key.create', 'managed_key/a', 'ok', null],
      ['managed-key.create', 'managed_key/a', 'error', 'ERR_ALREADY_EXISTS'],
      ['managed-key.update', 'managed_key/a', 'ok', null],
      ['managed-key.delete', 'managed_key/a', 'ok', null],
    ]);
    await expect(reg.store.verifyAudit()).resolves.toMatchObject({ ok: true });
  });
});
