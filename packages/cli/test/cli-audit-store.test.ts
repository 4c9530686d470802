/**
 * `keyplane audit tail --follow` and `keyplane store import-registry` through the executable, on
 * a real SQLite store: the follower prints entries committed by another process while it runs
 * and exits 0 on SIGINT without noise; an old-format registry.json is converted and its managed
 * key, secret and signing key are usable afterwards; `store status` names the seal once.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openStore, PassphraseSeal } from '@keyplane/engine';
import { cliSandbox, type CliSandbox } from './support/cli';

const BIN = resolve(__dirname, '../bin/keyplane.js');
const PASSPHRASE = 'cli audit test passphrase';

let sandbox: CliSandbox;
let env: Record<string, string>;
beforeAll(() => {
  sandbox = cliSandbox();
  env = {
    KEYPLANE_STORE: sandbox.path('keyplane.db'),
    KEYPLANE_SEAL_PASSPHRASE: PASSPHRASE,
    KEYPLANE_ACTOR: 'cli-test',
  };
});
afterAll(() => {
  sandbox.dispose();
});

it('audit tail --follow prints entries committed elsewhere while it runs, and stops on SIGINT', async () => {
  const store = await openStore(env.KEYPLANE_STORE ?? '', {
    seal: new PassphraseSeal(PASSPHRASE),
    actor: 'other-process',
  });
  const child = spawn(process.execPath, [BIN, 'audit', 'tail', '--follow', '--json'], {
    cwd: sandbox.path(''),
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((done) => child.on('close', done));
  const lineWith = async (text: string) => {
    for (let i = 0; i < 200 && !stdout.includes(text); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return stdout.split('\n').find((l) => l.includes(text));
  };
  try {
    expect(await lineWith('"store.init"')).toBeDefined();
    await store.appendAudit({
      namespace: 'root',
      operation: 'managed-key.create',
      target: 'managed_key/followed',
      outcome: 'ok',
    });
    const followed = await lineWith('managed_key/followed');
    expect(JSON.parse(followed ?? '{}')).toMatchObject({
      seq: 2,
      actor: 'other-process',
      operation: 'managed-key.create',
    });
  } finally {
    child.kill('SIGINT');
    await store.close();
  }
  expect(await exited).toBe(0);
  expect(stderr).not.toMatch(/Error|at .*\.js:\d+/);
  expect(stdout.trim().split('\n')).toHaveLength(2);
});

it('store import-registry converts an old registry.json; its keys work afterwards', async () => {
  const legacy = new PassphraseSeal('old registry passphrase');
  const uuid = '0b7e2c44-9a1d-4f3e-8c55-6d2a1f0e9b31';
  writeFileSync(
    sandbox.path('registry.json'),
    JSON.stringify({
      format: 1,
      managed_keys: {
        'aws-key': {
          uuid,
          name: 'aws-key',
          type: 'awskms',
          allow_generate_key: false,
          allow_replace_key: false,
          allow_store_key: false,
          any_mount: true,
          usages: ['sign', 'verify'],
          params: { kms_key: 'alias/release', key_type: 'RSA', region: 'eu-west-1' },
          secret_names: ['secret_key'],
          sealed_secrets: legacy.seal(
            Buffer.from(JSON.stringify({ secret_key: 'old-secret-key-value' })),
            `managed-key:${uuid}`,
          ),
          created_at: '2026-11-01T10:00:00.000Z',
          updated_at: '2026-11-01T10:00:00.000Z',
        },
      },
      signing_keys: {},
    }),
  );
  const run = (args: string[], extra: Record<string, string> = {}) =>
    sandbox.runAsync(args, { env: { ...env, ...extra } });
  const imported = await run(['store', 'import-registry', 'registry.json', '--namespace', 'ops'], {
    KEYPLANE_REGISTRY_PASSPHRASE: 'old registry passphrase',
  });
  expect(imported.stdout).toContain(
    'Imported 1 managed key(s) and 0 signing key(s) into namespace ops',
  );
  expect(imported.status).toBe(0);
  const read = await run(['managed-key', 'read', 'aws-key', '--json'], {
    KEYPLANE_NAMESPACE: 'ops',
  });
  expect(JSON.parse(read.stdout)).toMatchObject({
    UUID: uuid,
    namespace: 'ops',
    kms_key: 'alias/release',
    secret_key: 'redacted',
  });
  const again = await run(['store', 'import-registry', 'registry.json', '--namespace', 'ops'], {
    KEYPLANE_REGISTRY_PASSPHRASE: 'old registry passphrase',
  });
  expect(again.status).toBe(1);
  expect(again.stderr).toContain('[ERR_ALREADY_EXISTS]');
  expect(again.stderr).not.toContain('old-secret-key-value');
});

it('store status names the seal once, warning that the passphrase seal is for development', async () => {
  const own = { ...env, KEYPLANE_STORE: sandbox.path('status.db') };
  expect((await sandbox.runAsync(['store', 'init'], { env: own })).status).toBe(0);
  const status = await sandbox.runAsync(['store', 'status'], { env: own });
  expect(status.status).toBe(0);
  expect(status.stdout).toMatch(/^seal +passphrase \(scrypt\)$/m);
  expect(status.stderr).toMatch(/^warning: the passphrase seal is for development only/);
});

it('audit verify accepts a chain of audit-worker groups interleaved with state changes', async () => {
  const own = { ...env, KEYPLANE_STORE: sandbox.path('interleaved.db') };
  const store = await openStore(own.KEYPLANE_STORE, {
    seal: new PassphraseSeal(PASSPHRASE),
    actor: 'other-process',
  });
  try {
    const changes: Promise<void>[] = [];
    for (let round = 0; round < 4; round++) {
      // A full group goes to the SQLite audit worker; the state change commits on the store's
      // own connection while that group is in flight.
      for (let i = 0; i < 300; i++) {
        store.queueAudit({ namespace: 'root', operation: 'sign', target: 's', outcome: 'ok' });
      }
      changes.push(
        store.appendAudit({
          namespace: 'root',
          operation: 'managed-key.create',
          target: `managed_key/k${String(round)}`,
          outcome: 'ok',
        }),
      );
    }
    await Promise.all(changes);
  } finally {
    await store.close();
  }
  const verify = await sandbox.runAsync(['audit', 'verify', '--json'], { env: own });
  expect(verify.status).toBe(0);
  expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, entries: 1 + 4 * 300 + 4 });
});
