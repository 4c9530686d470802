/**
 * A KeyClient + KmsConnectionClient over a fresh store sealed with a test passphrase: a temporary
 * SQLite file, or a fresh schema on a real PostgreSQL (`describeEachStore` runs a suite on both,
 * like the store contract suite).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KeyClient,
  KmsConnectionClient,
  LifecycleContext,
  openStore,
  PassphraseSeal,
  type KeyStore,
  type LifecycleOptions,
} from '@keyplane/engine';
import { postgresFixture, sqliteFixture, type StoreFixture } from '../store/fixtures';

export const TEST_SEAL = new PassphraseSeal('lifecycle test passphrase');

export interface TestLifecycle {
  readonly keys: KeyClient;
  readonly kms: KmsConnectionClient;
  readonly store: KeyStore;
  /** The store's location for openStore (a SQLite file path, or a PostgreSQL URL + schema). */
  readonly url: string;
  /** A scratch directory (CA files) removed by dispose. */
  readonly dir: string;
  /** Another client set on the same store (a second process's view). */
  second(
    options?: Partial<LifecycleOptions>,
  ): Promise<{ keys: KeyClient; kms: KmsConnectionClient; close(): Promise<void> }>;
  dispose(): Promise<void>;
}

/** On `fixture`'s store (a fresh schema / file), else on a SQLite file in the scratch dir. */
export async function testLifecycle(
  options: Partial<LifecycleOptions> = {},
  fixture?: StoreFixture,
): Promise<TestLifecycle> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-lifecycle-'));
  const url = fixture?.newUrl() ?? join(dir, 'keyplane.db');
  const store = await openStore(url, { seal: TEST_SEAL });
  const context = new LifecycleContext({ store, ...options });
  const extra: (() => Promise<void>)[] = [];
  return {
    keys: new KeyClient(context),
    kms: new KmsConnectionClient(context),
    store,
    url,
    dir,
    second: async (more = {}) => {
      const other = await openStore(url, { seal: TEST_SEAL });
      const ctx = new LifecycleContext({ store: other, ...options, ...more });
      const close = async () => {
        await ctx.close();
        await other.close();
      };
      extra.push(close);
      return { keys: new KeyClient(ctx), kms: new KmsConnectionClient(ctx), close };
    },
    dispose: async () => {
      await Promise.all(extra.map((c) => c().catch(() => undefined)));
      await context.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const STORE_FIXTURES = {
  sqlite: () => Promise.resolve(sqliteFixture()),
  postgres: postgresFixture,
} as const;

/** Defines `body` once per store kind (SQLite, a real PostgreSQL started for the file). */
export function describeEachStore(title: string, body: (fixture: () => StoreFixture) => void) {
  describe.each(Object.keys(STORE_FIXTURES) as (keyof typeof STORE_FIXTURES)[])(
    `${title} (%s store)`,
    (kind) => {
      let fixture: StoreFixture;
      beforeAll(async () => {
        fixture = await STORE_FIXTURES[kind]();
      });
      afterAll(async () => {
        await fixture.close();
      });
      body(() => fixture);
    },
  );
}

/** Registers the Azure emulator (its CA in a file beside the store) as KMS connection `name`. */
export async function connectAzure(
  t: Pick<TestLifecycle, 'kms' | 'dir'>,
  name: string,
  emulator: { readonly url: string; readonly caPem: string },
  vault: string,
): Promise<void> {
  const caFile = join(t.dir, `${name}-ca.pem`);
  writeFileSync(caFile, emulator.caPem);
  await t.kms.create(name, {
    provider: 'azurekeyvault',
    key_collection: vault,
    options: { endpoint: emulator.url, ca_file: caFile },
  });
}

/** Registers a GCP emulator key ring as KMS connection `name`. */
export async function connectGcp(
  t: Pick<TestLifecycle, 'kms'>,
  name: string,
  env: { readonly keyRingName: string; readonly emulator: { readonly port: number } },
): Promise<void> {
  await t.kms.create(name, {
    provider: 'gcpckms',
    key_collection: env.keyRingName,
    options: { endpoint: `127.0.0.1:${String(env.emulator.port)}` },
  });
}
