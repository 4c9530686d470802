/**
 * `import-registry`: a pre-store registry.json, written in the old FileRegistryStore format (the
 * managed key's secrets sealed with the passphrase seal, AAD `managed-key:<uuid>`), converted into
 * a real SQLite store once — UUIDs, parameters, secrets and signing-key versions kept; a second
 * import, a wrong passphrase or a dangling reference imports nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  importRegistry,
  ManagedKeys,
  openStore,
  PassphraseSeal,
  SigningKeys,
  type KeyStore,
} from '@keyplane/engine';

const LEGACY_PASSPHRASE = 'the old registry passphrase';
const UUID = '6f1c9a52-3b7e-4d0a-9c61-2f8e5b4d7a10';
const PIN = 'legacy-pin-4711';

function legacyRegistry(options: { signingManagedKey?: string } = {}) {
  const seal = new PassphraseSeal(LEGACY_PASSPHRASE);
  const now = '2026-11-01T10:00:00.000Z';
  return {
    format: 1,
    managed_keys: {
      'hsm-key1': {
        uuid: UUID,
        name: 'hsm-key1',
        type: 'pkcs11',
        allow_generate_key: true,
        allow_replace_key: false,
        allow_store_key: false,
        any_mount: false,
        usages: ['sign', 'verify'],
        params: {
          library: '/usr/lib/softhsm/libsofthsm2.so',
          token_label: 'keyplane-test',
          key_label: 'hsm-key1',
          mechanism: '0x1041',
          curve: 'P256',
        },
        secret_names: ['pin'],
        sealed_secrets: seal.seal(Buffer.from(JSON.stringify({ pin: PIN })), `managed-key:${UUID}`),
        created_at: now,
        updated_at: now,
      },
    },
    signing_keys: {
      'release-signer': {
        name: 'release-signer',
        managed_key: options.signingManagedKey ?? 'hsm-key1',
        allowed_managed_keys: ['hsm-key1'],
        latest_version: 2,
        versions: {
          '1': { backend_version: '1', created_at: now },
          '2': { backend_version: '2', created_at: now },
        },
        created_at: now,
      },
    },
  };
}

let dir: string;
let store: KeyStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-import-'));
  store = await openStore(join(dir, 'keyplane.db'), {
    seal: new PassphraseSeal('the new store passphrase'),
  });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeRegistry(data: unknown, name = 'registry.json'): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}

const recordCounts = async () =>
  ({
    managed: (await store.list('managed_key')).length,
    signing: (await store.list('signing_key')).length,
  }) as const;

it('imports managed keys (uuid, parameters, sealed secrets) and signing keys with their versions', async () => {
  const file = writeRegistry(legacyRegistry());
  const result = await importRegistry(store, file, 'team-a', new PassphraseSeal(LEGACY_PASSPHRASE));
  expect(result).toEqual({
    namespace: 'team-a',
    managed_keys: ['hsm-key1'],
    signing_keys: ['release-signer'],
  });
  const keys = new ManagedKeys({ store, namespace: 'team-a' });
  await expect(keys.read('hsm-key1')).resolves.toMatchObject({
    UUID,
    namespace: 'team-a',
    library: '/usr/lib/softhsm/libsofthsm2.so',
    pin: 'redacted',
  });
  const record = await store.get('managed_key', 'team-a', 'hsm-key1');
  expect(record === undefined ? '' : store.secret(record, 'pin').toString()).toBe(PIN);
  const signer = await new SigningKeys(keys).get('release-signer');
  expect(signer).toMatchObject({ managed_key: 'hsm-key1', latest_version: 2 });
  expect(Object.keys(signer.versions).sort()).toEqual(['1', '2']);
  const audit = (await store.auditEntries()).at(-1);
  expect(audit).toMatchObject({ operation: 'store.import-registry', namespace: 'team-a' });
  expect(JSON.stringify(audit)).not.toContain(PIN);
});

it('imports nothing on a second run, a wrong passphrase, or a signing key over a missing managed key', async () => {
  const file = writeRegistry(legacyRegistry());
  await expect(
    importRegistry(store, file, 'root', new PassphraseSeal('not the old passphrase')),
  ).rejects.toMatchObject({ code: 'ERR_DECRYPTION_FAILED' });
  await expect(recordCounts()).resolves.toEqual({ managed: 0, signing: 0 });
  await expect(importRegistry(store, file, 'root', undefined)).rejects.toMatchObject({
    code: 'ERR_INVALID_ARGUMENT',
    field: 'KEYPLANE_REGISTRY_PASSPHRASE',
  });

  const dangling = writeRegistry(
    legacyRegistry({ signingManagedKey: 'gone-key' }),
    'dangling.json',
  );
  await expect(
    importRegistry(store, dangling, 'root', new PassphraseSeal(LEGACY_PASSPHRASE)),
  ).rejects.toMatchObject({
    code: 'ERR_NOT_FOUND',
    field: 'signing_keys.release-signer.managed_key',
    message: expect.stringContaining("'gone-key'") as string,
  });
  await expect(recordCounts()).resolves.toEqual({ managed: 0, signing: 0 });

  await importRegistry(store, file, 'root', new PassphraseSeal(LEGACY_PASSPHRASE));
  await expect(
    importRegistry(store, file, 'root', new PassphraseSeal(LEGACY_PASSPHRASE)),
  ).rejects.toMatchObject({ code: 'ERR_ALREADY_EXISTS' });
  await expect(recordCounts()).resolves.toEqual({ managed: 1, signing: 1 });
});

it('refuses a file that is not a format-1 registry, naming the file', async () => {
  const file = writeRegistry({ format: 2, keys: [] });
  await expect(importRegistry(store, file, 'root', undefined)).rejects.toMatchObject({
    code: 'ERR_INVALID_ARGUMENT',
    field: 'file',
    message: expect.stringContaining('is not a Keyplane registry (format 1)') as string,
  });
});
