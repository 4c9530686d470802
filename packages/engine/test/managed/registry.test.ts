import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRegistryStore, ManagedKeys, PassphraseSeal, SigningKeys } from '@keyplane/engine';

const PKCS11 = {
  library: '/usr/lib/softhsm/libsofthsm2.so',
  token_label: 'keyplane-test',
  pin: '987654',
  key_label: 'hsm-key1',
  mechanism: '0x1041',
  curve: 'P256',
};

describe('managed key registry (file store, no backend calls)', () => {
  let dir: string;
  let path: string;
  let keys: ManagedKeys;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kp-registry-'));
    path = join(dir, 'registry.json');
    keys = new ManagedKeys({
      store: new FileRegistryStore(path),
      seal: new PassphraseSeal('test passphrase 123'),
    });
  });
  afterEach(async () => {
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
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
    const file = readFileSync(path);
    expect(file.includes(Buffer.from('987654'))).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
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

  it('needs KEYPLANE_SEAL_PASSPHRASE to store secrets', async () => {
    const saved = process.env.KEYPLANE_SEAL_PASSPHRASE;
    delete process.env.KEYPLANE_SEAL_PASSPHRASE;
    try {
      const unsealed = new ManagedKeys({ store: new FileRegistryStore(path) });
      await expect(unsealed.create('pkcs11', 'k', PKCS11)).rejects.toMatchObject({
        code: 'ERR_MISSING_PARAMETER',
        field: 'KEYPLANE_SEAL_PASSPHRASE',
      });
      await expect(
        unsealed.create('awskms', 'a', { kms_key: 'alias/a', key_type: 'RSA' }),
      ).resolves.toMatchObject({ name: 'a' });
    } finally {
      if (saved !== undefined) process.env.KEYPLANE_SEAL_PASSPHRASE = saved;
    }
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

  it('serializes concurrent writers (lock file): no update is lost', async () => {
    const others = Array.from(
      { length: 3 },
      () => new ManagedKeys({ store: new FileRegistryStore(path) }),
    );
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (others[i % 3] ?? keys).create('awskms', `k${String(i)}`, {
          kms_key: `alias/k${String(i)}`,
          key_type: 'RSA',
        }),
      ),
    );
    await expect(keys.list()).resolves.toHaveLength(12);
  });
});
