/** A ManagedKeys over a temporary SQLite key store, sealed with a test passphrase. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedKeys, openStore, PassphraseSeal, type KeyStore } from '@keyplane/engine';
import type { GcpKmsTestEnv } from '../backends/support/gcp-kms';

export const TEST_SEAL = new PassphraseSeal('managed test passphrase');

export interface TestRegistry {
  readonly keys: ManagedKeys;
  readonly store: KeyStore;
  /** The SQLite file (its -wal beside it). */
  readonly path: string;
  dispose(): Promise<void>;
}

export async function testRegistry(namespace?: string): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-managed-'));
  const path = join(dir, 'keyplane.db');
  const store = await openStore(path, { seal: TEST_SEAL });
  const keys = new ManagedKeys({ store, ...(namespace === undefined ? {} : { namespace }) });
  return {
    keys,
    store,
    path,
    dispose: async () => {
      await keys.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether the SQLite file or its WAL contains `secret` (bytes, as stored). */
export function storeFilesContain(path: string, secret: string): boolean {
  return [path, `${path}-wal`].some(
    (p) => existsSync(p) && readFileSync(p).includes(Buffer.from(secret)),
  );
}

/** gcpckms managed-key parameters for a crypto key in the emulator's key ring. */
export function gcpManagedKeyParams(
  env: GcpKmsTestEnv,
  crypto_key: string,
  algorithm: string,
  generate = true,
): Record<string, string> {
  return {
    project: 'keyplane-test',
    region: 'us-east1',
    key_ring: env.config.keyRing,
    crypto_key,
    algorithm,
    endpoint: env.config.endpoint ?? '',
    insecure: 'true',
    allow_generate_key: String(generate),
  };
}
