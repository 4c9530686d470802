/**
 * The PostgreSQL store over TLS, against a real PostgreSQL with ssl=on that accepts TCP clients
 * only over TLS (hostssl): certificates made with the openssl CLI (a test CA signing the server's
 * certificate for 127.0.0.1), `sslmode=verify-full` in the URL and the `tls` option both reach
 * `pg`, and a certificate from another CA is refused with a typed error, creating nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '@keyplane/emulators';
import { openStore, PassphraseSeal, StoreError, type KeyStore } from '@keyplane/engine';
import { makeTempDir, opensslOk, removeTempDir, writeFiles } from '../crypto-helpers/openssl-cli';

const seal = new PassphraseSeal('keyplane tls test passphrase');
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** A CA (ca.crt) and a server certificate it signed for 127.0.0.1 (server.crt / server.key). */
function makeCertificates(dir: string): void {
  opensslOk(
    ['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt'].concat([
      '-subj',
      '/CN=keyplane test CA',
      '-days',
      '1',
    ]),
    dir,
  );
  opensslOk(
    ['req', '-x509', ...EC, '-keyout', 'other-ca.key', '-out', 'other-ca.crt'].concat([
      '-subj',
      '/CN=some other CA',
      '-days',
      '1',
    ]),
    dir,
  );
  opensslOk(
    ['req', ...EC, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'],
    dir,
  );
  writeFiles(dir, { 'server.ext': 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' });
  opensslOk(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key'].concat([
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '1',
      '-extfile',
      'server.ext',
    ]),
    dir,
  );
}

/** Round trip through the store: one record written and read back. */
async function roundTrip(store: KeyStore): Promise<void> {
  await store.transaction((tx) =>
    tx.insert({ kind: 'key', namespace: 'root', name: 'k1', attributes: { type: 'aes-256' } }),
  );
  expect((await store.get('key', 'root', 'k1'))?.attributes).toEqual({ type: 'aes-256' });
}

describe('PostgreSQL store over TLS', () => {
  let dir: string;
  let server: PostgresServer;

  beforeAll(async () => {
    dir = makeTempDir();
    makeCertificates(dir);
    server = await startPostgres({
      tls: {
        cert: readFileSync(join(dir, 'server.crt'), 'utf8'),
        key: readFileSync(join(dir, 'server.key'), 'utf8'),
      },
    });
  });
  afterAll(() => {
    server.stop();
    removeTempDir(dir);
  });

  it('the server refuses clients without TLS (so the passing cases below did use it)', async () => {
    const client = new pg.Client({ connectionString: `${server.url}?sslmode=disable` });
    await expect(client.connect()).rejects.toThrow(/no encryption|pg_hba/);
  });

  it('sslmode=verify-full with sslrootcert in the URL', async () => {
    const ca = join(dir, 'ca.crt');
    const store = await openStore(
      `${server.url}?sslmode=verify-full&sslrootcert=${ca}&schema=tls_url`,
      { seal },
    );
    try {
      await roundTrip(store);
    } finally {
      await store.close();
    }
  });

  it('the tls option (CA as PEM, verification on)', async () => {
    const store = await openStore(`${server.url}?schema=tls_option`, {
      seal,
      tls: { ca: readFileSync(join(dir, 'ca.crt'), 'utf8'), rejectUnauthorized: true },
    });
    try {
      await roundTrip(store);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['the URL', (ca: string) => [`&sslmode=verify-full&sslrootcert=${ca}`, {}] as const],
    [
      'the tls option',
      (ca: string) =>
        ['', { tls: { ca: readFileSync(ca, 'utf8'), rejectUnauthorized: true } }] as const,
    ],
  ])(
    'a certificate from another CA (%s) is refused with ERR_STORE, nothing created',
    async (_, how) => {
      const [query, options] = how(join(dir, 'other-ca.crt'));
      const error = await openStore(`${server.url}?schema=tls_wrong${query}`, {
        seal,
        ...options,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreError);
      const e = error as StoreError;
      expect(e.code).toBe('ERR_STORE');
      expect(e.reason).toBe('tls');
      expect(e.field).toBe('store');
      expect(e.message).toMatch(/TLS certificate .* could not be verified/);
      expect(e.message).toMatch(/sslrootcert|tls\.ca/);
      const client = new pg.Client({
        connectionString: server.url,
        ssl: { ca: readFileSync(join(dir, 'ca.crt'), 'utf8') },
      });
      await client.connect();
      try {
        const r = await client.query(
          "select count(*)::int as n from information_schema.schemata where schema_name = 'tls_wrong'",
        );
        expect(r.rows[0]).toEqual({ n: 0 });
      } finally {
        await client.end();
      }
    },
  );
});
