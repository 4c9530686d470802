/**
 * Zero plaintext secrets at rest: known secrets (a PIN, a client secret, AWS keys, key version
 * material) written through the store, then the SQLite file and its WAL, and a pg_dump of the
 * PostgreSQL store, searched for them. Non-secret values written alongside are found, which
 * shows the search itself works.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedKeys, openStore, PassphraseSeal, type KeyStore } from '@keyplane/engine';
import { startPostgres, type PostgresServer } from '@keyplane/emulators';

const SECRETS = {
  pin: 'pin-7f3a9c1e',
  client_secret: 'client-secret-5b2d8e4f',
  access_key: 'AKIA5SECRET9ACCESS',
  secret_key: 'aws-secret-key-c0ffee1234',
  material: 'key-material-deadbeef0042',
} as const;
const VISIBLE = 'visible-vault-name-9q8w';
const seal = new PassphraseSeal('at rest test passphrase');

async function writeSecrets(store: KeyStore): Promise<void> {
  const keys = new ManagedKeys({ store, namespace: 'team-a' });
  await keys.create('azurekeyvault', 'azure', {
    tenant_id: 't',
    client_id: 'c',
    client_secret: SECRETS.client_secret,
    vault_name: VISIBLE,
    key_name: 'k',
    key_type: 'RSA-HSM',
  });
  await keys.create('awskms', 'aws', {
    kms_key: 'alias/k',
    key_type: 'RSA',
    access_key: SECRETS.access_key,
    secret_key: SECRETS.secret_key,
  });
  await keys.create('pkcs11', 'hsm', {
    library: '/usr/lib/softhsm/libsofthsm2.so',
    token_label: 't',
    pin: SECRETS.pin,
    key_label: 'k',
    mechanism: '0x1041',
  });
  await keys.update('hsm', { pin: `${SECRETS.pin}-2` });
  await store.transaction(async (tx) => {
    const key = await tx.insert({
      kind: 'key',
      namespace: 'team-a',
      name: 'central',
      attributes: {},
    });
    await tx.insert({
      kind: 'key_version',
      namespace: 'team-a',
      name: '1',
      parent: key.id,
      attributes: {},
      secrets: { material: Buffer.from(SECRETS.material) },
    });
  });
  await keys.close();
}

function expectClean(bytes: Buffer, what: string): void {
  expect({ what, visible: bytes.includes(VISIBLE) }).toEqual({ what, visible: true });
  for (const [name, value] of Object.entries(SECRETS)) {
    expect({ what, name, found: bytes.includes(value) }).toEqual({ what, name, found: false });
  }
}

it('SQLite: neither the database file nor its WAL holds a secret', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kp-at-rest-'));
  try {
    const path = join(dir, 'keyplane.db');
    const store = await openStore(path, { seal });
    await writeSecrets(store);
    // While open, everything sits in the WAL; after close it is checkpointed into the file.
    const wal = `${path}-wal`;
    expect(existsSync(wal)).toBe(true);
    expectClean(Buffer.concat([readFileSync(path), readFileSync(wal)]), 'open: db + wal');
    await store.close();
    expectClean(
      Buffer.concat([readFileSync(path), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)]),
      'closed: db + wal',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => {
    server.stop();
  });

  it('a pg_dump of the store holds no secret', async () => {
    const url = `${server.url}?schema=at_rest`;
    const store = await openStore(url, { seal });
    await writeSecrets(store);
    await store.close();
    const dump = execFileSync(server.bin('pg_dump'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(server.port),
      '-U',
      'postgres',
      '-n',
      'at_rest',
      'postgres',
    ]);
    expectClean(dump, 'pg_dump');
  });
});
