/** A ManagedKeys over a temporary registry file, sealed with a test passphrase. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRegistryStore, ManagedKeys, PassphraseSeal } from '@keyplane/engine';

export interface TestRegistry {
  readonly keys: ManagedKeys;
  readonly path: string;
  dispose(): Promise<void>;
}

export function testRegistry(): TestRegistry {
  const dir = mkdtempSync(join(tmpdir(), 'kp-managed-'));
  const path = join(dir, 'registry.json');
  const keys = new ManagedKeys({
    store: new FileRegistryStore(path),
    seal: new PassphraseSeal('managed test passphrase'),
  });
  return {
    keys,
    path,
    dispose: async () => {
      await keys.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
