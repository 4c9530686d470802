/** A KeyClient + KmsConnectionClient over a temporary SQLite store, sealed with a test passphrase. */
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

export const TEST_SEAL = new PassphraseSeal('lifecycle test passphrase');

export interface TestLifecycle {
  readonly keys: KeyClient;
  readonly kms: KmsConnectionClient;
  readonly store: KeyStore;
  readonly path: string;
  readonly dir: string;
  /** Another client set on the same store file (a second process's view). */
  second(
    options?: Partial<LifecycleOptions>,
  ): Promise<{ keys: KeyClient; kms: KmsConnectionClient; close(): Promise<void> }>;
  dispose(): Promise<void>;
}

export async function testLifecycle(
  options: Partial<LifecycleOptions> = {},
): Promise<TestLifecycle> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-lifecycle-'));
  const path = join(dir, 'keyplane.db');
  const store = await openStore(path, { seal: TEST_SEAL });
  const context = new LifecycleContext({ store, ...options });
  const extra: (() => Promise<void>)[] = [];
  return {
    keys: new KeyClient(context),
    kms: new KmsConnectionClient(context),
    store,
    path,
    dir,
    second: async (more = {}) => {
      const other = await openStore(path, { seal: TEST_SEAL });
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

/** Registers the Azure emulator (its CA in a file beside the store) as KMS connection `name`. */
export async function connectAzure(
  t: TestLifecycle,
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
  t: TestLifecycle,
  name: string,
  env: { readonly keyRingName: string; readonly emulator: { readonly port: number } },
): Promise<void> {
  await t.kms.create(name, {
    provider: 'gcpckms',
    key_collection: env.keyRingName,
    options: { endpoint: `127.0.0.1:${String(env.emulator.port)}` },
  });
}
