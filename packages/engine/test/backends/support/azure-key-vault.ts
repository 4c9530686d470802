/**
 * Test plumbing for the Azure Key Vault backend: the emulator (vault or Managed HSM flavour) on
 * 127.0.0.1 with its own CA, a TokenCredential that never leaves the process (never
 * DefaultAzureCredential: it probes IMDS), and the conformance fixture.
 */
import { randomBytes } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import { startAzureKeyVaultEmulator, type AzureKeyVaultEmulator } from '@keyplane/emulators';
import type { AzureKeyVaultBackendConfig } from '../../../src/backends/configs';
import { AzureKeyVaultBackend } from '../../../src/backends/azure-key-vault';
import type { ConformanceFixture } from '../conformance';

export type AzureService = 'vault' | 'managed-hsm';

export const fakeCredential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/**
 * Every engine test runs against an eventually consistent soft delete, as the service's is
 * (emulator `consistencyDelayMs`): Keyplane must cope with it.
 */
export const AZURE_CONSISTENCY_DELAY_MS = 250;

/** The emulator as the engine tests use it. */
export const startAzureTestEmulator = (service: AzureService): Promise<AzureKeyVaultEmulator> =>
  startAzureKeyVaultEmulator({ service, port: 0, consistencyDelayMs: AZURE_CONSISTENCY_DELAY_MS });

/** The conformance suite's retry policy: fast, three attempts. */
export const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } as const;

export function backendConfig(
  emulator: AzureKeyVaultEmulator,
  extra: Partial<AzureKeyVaultBackendConfig> = {},
): AzureKeyVaultBackendConfig {
  return {
    type: 'azurekeyvault',
    vaultUrl: emulator.url,
    service: emulator.service,
    caPem: emulator.caPem,
    credential: fakeCredential,
    retry: FAST_RETRY,
    ...extra,
  };
}

let counter = 0;

/** A fresh Azure-valid key name (Azure names: 0-9, a-z, A-Z, -). */
export function newKeyName(label: string): string {
  counter += 1;
  const safe = label.replace(/[^0-9a-zA-Z-]/g, '-');
  return `kp-${safe}-${String(counter)}-${randomBytes(3).toString('hex')}`;
}

export function azureConformanceFixture(service: AzureService): () => Promise<ConformanceFixture> {
  return async () => {
    const emulator = await startAzureTestEmulator(service);
    const backend = new AzureKeyVaultBackend(backendConfig(emulator));
    return {
      backend,
      newKeyRef: (label) => ({ name: newKeyName(label) }),
      failNextSigns: (times) => {
        // `Sign` is the emulator's operation name for POST /keys/{name}/{version}/sign (routes.ts).
        emulator.faults.configure(times === 0 ? {} : { Sign: { errorRate: 1, times } });
        return Promise.resolve();
      },
      close: async () => {
        await backend.close();
        await emulator.close();
      },
    };
  };
}
