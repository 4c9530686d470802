/**
 * Counting versions where they live, for the "no lost or duplicated version" checks: the store
 * (opened with the engine: key → key_version children, distribution → distribution_version
 * children) and the GCP Cloud KMS emulator through the real SDK (live versions per crypto key).
 */
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import { openStore, PassphraseSeal } from '@keyplane/engine';

export interface StoreCensus {
  /** Key name → its version numbers, sorted. */
  readonly keys: Record<string, number[]>;
  /** `kms/key` → the version numbers that distribution holds, sorted. */
  readonly distributions: Record<string, number[]>;
  /** Who wrote the audit entries, distinct, sorted. */
  readonly actors: string[];
}

const numbers = (names: readonly string[]): number[] => names.map(Number).sort((a, b) => a - b);

export async function storeCensus(
  url: string,
  passphrase: string,
  namespace = 'root',
): Promise<StoreCensus> {
  const store = await openStore(url, { seal: new PassphraseSeal(passphrase), init: false });
  try {
    const keys: Record<string, number[]> = {};
    const distributions: Record<string, number[]> = {};
    for (const key of await store.list('key', { namespace })) {
      const versions = await store.list('key_version', { namespace, parent: key.id });
      keys[key.name] = numbers(versions.map((v) => v.name));
      for (const d of await store.list('distribution', { namespace, parent: key.id })) {
        const held = await store.list('distribution_version', { namespace, parent: d.id });
        distributions[`${d.name}/${key.name}`] = numbers(held.map((v) => v.name));
      }
    }
    const actors = new Set((await store.auditEntries({ limit: 100_000 })).map((e) => e.actor));
    return { keys, distributions, actors: [...actors].sort() };
  } finally {
    await store.close();
  }
}

/**
 * Crypto key id → how many of its versions are live in the GCP key ring (any state but
 * DESTROYED / DESTROY_SCHEDULED): each Keyplane version is one GCP version, so a duplicated
 * import shows as a count above the Keyplane version count.
 */
export async function gcpLiveVersions(
  gcp: KeyManagementServiceClient,
  keyRing: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const [keys] = await gcp.listCryptoKeys({ parent: keyRing });
  for (const key of keys) {
    const [versions] = await gcp.listCryptoKeyVersions({ parent: key.name ?? '' });
    const live = versions.filter((v) => !String(v.state).startsWith('DESTROY'));
    counts[(key.name ?? '').split('/').pop() ?? ''] = live.length;
  }
  return counts;
}
