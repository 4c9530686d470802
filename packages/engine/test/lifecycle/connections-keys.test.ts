/**
 * KMS connections and central keys on the sealed store: typed refusals naming the field and the
 * allowed values, sealed credentials (read shows names only; not in the SQLite file), immutable
 * fields, per-version public metadata cross-checked with the openssl CLI, rotation,
 * min_enabled_version, rotation_due / rotateDue (idempotent), deletion rules, key policy.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { parsePolicy } from '@keyplane/engine';
import { storeFilesContain } from '../managed/support';
import { rejection } from '../support/rejection';
import { testLifecycle, type TestLifecycle } from './support';

describe('KMS connections', () => {
  let t: TestLifecycle;
  beforeAll(async () => {
    t = await testLifecycle();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('creates, reads (credential names only), lists, updates and deletes', async () => {
    const secret = 'azure-client-secret-7f3a9';
    const created = await t.kms.create('azure-kms-kv-2', {
      provider: 'azurekeyvault',
      key_collection: 'hc-vault-managed-keys-2',
      credentials: { client_id: 'app-1', client_secret: secret, tenant_id: 'tenant-1' },
      options: { environment: 'AZUREPUBLICCLOUD' },
    });
    expect(created).toMatchObject({
      name: 'azure-kms-kv-2',
      provider: 'azurekeyvault',
      key_collection: 'hc-vault-managed-keys-2',
      credentials: ['client_id', 'client_secret', 'tenant_id'],
      options: { environment: 'AZUREPUBLICCLOUD' },
    });
    expect(JSON.stringify(await t.kms.read('azure-kms-kv-2'))).not.toContain(secret);
    await t.store.flushAudit();
    expect(storeFilesContain(t.url, secret)).toBe(false);
    expect(await t.kms.list()).toEqual(['azure-kms-kv-2']);

    const updated = await t.kms.update('azure-kms-kv-2', {
      options: { resource: 'vault.azure.net' },
    });
    expect(updated.options).toEqual({
      environment: 'AZUREPUBLICCLOUD',
      resource: 'vault.azure.net',
    });
    expect(updated.credentials).toEqual(['client_id', 'client_secret', 'tenant_id']);
    for (const field of ['provider', 'key_collection'] as const) {
      const other = field === 'provider' ? 'gcpckms' : 'another-vault';
      expect(await rejection(t.kms.update('azure-kms-kv-2', { [field]: other }))).toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
        field,
      });
    }
    await t.kms.delete('azure-kms-kv-2');
    expect(await t.kms.list()).toEqual([]);
  });

  it('refuses bad input naming the field and the allowed values, creating nothing', async () => {
    expect(
      await rejection(t.kms.create('k1', { provider: 'vault', key_collection: 'x' })),
    ).toMatchObject({
      code: 'ERR_UNSUPPORTED_TARGET',
      field: 'provider',
      allowed: ['pkcs11', 'awskms', 'azurekeyvault', 'gcpckms'],
    });
    expect(
      await rejection(
        t.kms.create('k1', {
          provider: 'awskms',
          key_collection: 'us-east-1',
          credentials: { password: 'p' },
        }),
      ),
    ).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'credentials.password',
      allowed: ['credentials.access_key', 'credentials.secret_key', 'credentials.session_token'],
    });
    expect(
      await rejection(t.kms.create('k1', { provider: 'gcpckms', key_collection: 'my-ring' })),
    ).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'key_collection',
      message: expect.stringContaining('projects/<p>/locations/<l>/keyRings/<r>') as unknown,
    });
    expect(
      await rejection(
        t.kms.create('bad name', { provider: 'awskms', key_collection: 'us-east-1' }),
      ),
    ).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'name',
    });
    expect(await t.kms.list()).toEqual([]);
  });
});

describe('central keys', () => {
  let t: TestLifecycle;
  let now = new Date('2026-01-01T00:00:00Z');
  beforeAll(async () => {
    t = await testLifecycle({ now: () => now });
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('creates every type with sealed material and per-version public metadata', async () => {
    for (const type of [
      'aes256-gcm96',
      'rsa-2048',
      'ecdsa-p256',
      'ecdsa-p384',
      'ecdsa-p521',
      'ed25519',
    ]) {
      const view = await t.keys.create(`k-${type}`, { type });
      expect(view).toMatchObject({
        type,
        latest_version: 1,
        min_enabled_version: 0,
        deletion_allowed: false,
      });
      const v1 = view.versions['1'];
      expect(v1?.state).toBe('enabled');
      if (type === 'aes256-gcm96') {
        expect(v1?.public_key_pem).toBe('');
        continue;
      }
      // The fingerprint is SHA-256 of the SPKI DER as the openssl CLI writes it.
      const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], {
        input: v1?.public_key_pem,
      });
      expect(v1?.fingerprint).toBe(`sha256:${createHash('sha256').update(der).digest('hex')}`);
    }
    await t.store.flushAudit();
    // No private key PEM/DER header ever reaches the file in clear.
    expect(storeFilesContain(t.url, 'PRIVATE KEY')).toBe(false);
    expect(await rejection(t.keys.create('k-x', { type: 'rsa-1024' }))).toMatchObject({
      code: 'ERR_UNSUPPORTED_KEY_TYPE',
      field: 'type',
      allowed: expect.arrayContaining(['rsa-4096', 'ed25519']) as unknown,
    });
    expect(await rejection(t.keys.create('k-rsa-2048', { type: 'rsa-2048' }))).toMatchObject({
      code: 'ERR_ALREADY_EXISTS',
    });
  });

  it('rotates, keeps type immutable, disables below min_enabled_version', async () => {
    const before = await t.keys.read('k-rsa-2048');
    const after = await t.keys.rotate('k-rsa-2048');
    expect(after.latest_version).toBe(2);
    expect(after.versions['2']?.fingerprint).not.toBe(before.versions['1']?.fingerprint);
    expect(after.versions['1']).toEqual(before.versions['1']);
    const updated = await t.keys.update('k-rsa-2048', { min_enabled_version: 2 });
    expect(updated.versions['1']?.state).toBe('disabled');
    expect(updated.versions['2']?.state).toBe('enabled');
    expect(await rejection(t.keys.update('k-rsa-2048', { min_enabled_version: 3 }))).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'min_enabled_version',
    });
    expect(await rejection(t.keys.update('k-rsa-2048', { type: 'rsa-4096' }))).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'type',
    });
  });

  it('reports rotation_due with the instant it became due; rotateDue rotates once', async () => {
    now = new Date('2026-01-01T00:00:00Z');
    await t.keys.create('periodic', { type: 'ecdsa-p256', rotation_period: '24h' });
    expect(await t.keys.read('periodic')).toMatchObject({
      rotation_due: false,
      rotation_due_at: '2026-01-02T00:00:00.000Z',
    });
    now = new Date('2026-01-02T00:00:01Z');
    expect(await t.keys.read('periodic')).toMatchObject({
      rotation_due: true,
      rotation_due_at: '2026-01-02T00:00:00.000Z',
    });
    const runs = await Promise.all([t.keys.rotateDue(), t.keys.rotateDue()]);
    const rotated = runs.flatMap((r) => r.rotated);
    expect(rotated).toEqual([{ name: 'periodic', version: 2, due_at: '2026-01-02T00:00:00.000Z' }]);
    expect((await t.keys.rotateDue()).rotated).toEqual([]);
    expect(await t.keys.read('periodic')).toMatchObject({ latest_version: 2, rotation_due: false });
    expect(
      await rejection(t.keys.update('periodic', { rotation_period: 'monthly' })),
    ).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'rotation_period',
    });
  });

  it('rotateDue rotates a fleet of due keys `concurrency` at a time, each once', async () => {
    now = new Date('2026-03-01T00:00:00Z');
    const fleet = Array.from({ length: 12 }, (_, i) => `fleet-${String(i).padStart(2, '0')}`);
    for (const name of fleet) await t.keys.create(name, { type: 'ed25519', rotation_period: '1h' });
    now = new Date('2026-03-01T01:00:01Z');
    const runs = await Promise.all([
      t.keys.rotateDue({ concurrency: 4 }),
      t.keys.rotateDue({ concurrency: 3 }),
    ]);
    const rotated = runs
      .flatMap((r) => r.rotated.map((x) => x.name))
      .filter((n) => n.startsWith('fleet-'));
    expect(rotated.sort()).toEqual(fleet);
    for (const name of fleet) expect((await t.keys.read(name)).latest_version).toBe(2);
    for (const concurrency of [0, 1.5])
      expect(await rejection(t.keys.rotateDue({ concurrency }))).toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
        field: 'concurrency',
      });
  });

  it('deletes only with deletion_allowed', async () => {
    expect(await rejection(t.keys.delete('k-ed25519'))).toMatchObject({
      code: 'ERR_NOT_PERMITTED',
      field: 'deletion_allowed',
    });
    await t.keys.update('k-ed25519', { deletion_allowed: true });
    await t.keys.delete('k-ed25519');
    expect(await t.keys.list()).not.toContain('k-ed25519');
  });

  it('enforces the key policy on create and update', async () => {
    const policy = parsePolicy({
      version: 1,
      rules: { min_rsa_bits: 3072, allowed_key_collections: { awskms: ['eu-*'] } },
    });
    const p = await t.second({ policy });
    try {
      expect(await rejection(p.keys.create('weak', { type: 'rsa-2048' }))).toMatchObject({
        code: 'ERR_POLICY_VIOLATION',
      });
      await expect(p.keys.create('strong', { type: 'rsa-3072' })).resolves.toMatchObject({
        type: 'rsa-3072',
      });
      expect(
        await rejection(
          p.kms.create('aws-us', { provider: 'awskms', key_collection: 'us-east-1' }),
        ),
      ).toMatchObject({
        code: 'ERR_POLICY_VIOLATION',
      });
      expect(await t.keys.list()).not.toContain('weak');
    } finally {
      await p.close();
    }
  });
});
