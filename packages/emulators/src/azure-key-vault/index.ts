/**
 * Local Azure Key Vault / Managed HSM emulator: the keys REST API over HTTPS on 127.0.0.1, with
 * BYOK (`key_hsm`) import that really unwraps the transfer blob, soft delete, quotas modelled on
 * the service's throttling limits, and fault injection.
 *
 * ```ts
 * const kv = await startAzureKeyVaultEmulator({ service: 'vault' });
 * const client = new KeyClient(kv.url, credential, {
 *   tlsOptions: { ca: kv.caPem },              // trust the emulator's own CA, per client
 *   disableChallengeResourceVerification: true, // the challenge names vault.azure.net
 * });
 * ```
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { FaultInjector, type FaultTable } from '../common/faults';
import { AZURE_KEY_VAULT_OPERATION_NAMES } from './routes';
import { RateLimiter } from '../common/rate-limiter';
import type { Service } from './context';
import { quotaTable, type QuotaOption } from './quotas';
import { createVaultServer } from './server';
import { KeyStore } from './store';
import { createTlsMaterial } from './tls';

export type { Service as AzureKeyVaultService } from './context';
export { REAL_QUOTAS as AZURE_REAL_QUOTAS } from './quotas';
export { AZURE_KEY_VAULT_OPERATION_NAMES } from './routes';

export interface AzureKeyVaultEmulatorOptions {
  /** `vault` (default; software + HSM keys, like the Premium SKU) or `managed-hsm`. */
  readonly service?: Service;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Also write the CA certificate PEM to this file (for tools that take a CA file path). */
  readonly caFile?: string;
  /** Persist keys here (JSON, mode 0600, written atomically) and reload them at start. */
  readonly stateFile?: string;
  /** `real` = the service's published limits; a table of groups; `off`/absent = unlimited. */
  readonly quotas?: QuotaOption;
  /** Initial fault rules per operation name (`Sign`, `CreateKey`, … or `*`). */
  readonly faults?: FaultTable;
  /** Tenant id in the 401 challenge (default: a fixed all-zero GUID). */
  readonly tenantId?: string;
  /**
   * Soft delete's eventual consistency, in ms (default 0 = off): for this long after a DELETE
   * the key is not yet under /deletedkeys — GET answers 404 "Deleted Key not found", as the
   * service does for a moment — so clients must poll (the SDK's delete poller does).
   */
  readonly consistencyDelayMs?: number;
}

export interface AzureKeyVaultEmulator {
  /** `https://127.0.0.1:<port>`: the vault URL to give the SDK. */
  readonly url: string;
  readonly port: number;
  readonly service: Service;
  /** PEM of the CA that issued the server certificate; pass it as the client's only trust. */
  readonly caPem: string;
  /** Fault rules, changeable at run time (also via `PUT <url>/_keyplane/faults`). */
  readonly faults: FaultInjector;
  /** Quota rules, changeable at run time (also via `PUT <url>/_keyplane/quotas`). */
  readonly quotas: RateLimiter;
  /** Stops listening and drops open keep-alive connections. */
  close(): Promise<void>;
}

export async function startAzureKeyVaultEmulator(
  options: AzureKeyVaultEmulatorOptions = {},
): Promise<AzureKeyVaultEmulator> {
  const service = options.service ?? 'vault';
  const tls = createTlsMaterial();
  if (options.caFile !== undefined) writeFileSync(options.caFile, tls.caPem, { mode: 0o644 });
  const consistencyDelayMs = options.consistencyDelayMs ?? 0;
  if (!Number.isFinite(consistencyDelayMs) || consistencyDelayMs < 0)
    throw new Error(
      `consistencyDelayMs must be a number of milliseconds ≥ 0, got ${String(options.consistencyDelayMs)}`,
    );
  const store = new KeyStore({
    ...(options.stateFile === undefined ? {} : { stateFile: options.stateFile }),
    consistencyDelayMs,
  });
  const faults = new FaultInjector(options.faults ?? {}, AZURE_KEY_VAULT_OPERATION_NAMES);
  const quotas = new RateLimiter(quotaTable(options.quotas));
  let boundPort = 0;
  const server = createVaultServer({
    store,
    service,
    controls: { faults, quotas },
    tls,
    tenantId: options.tenantId ?? '00000000-0000-0000-0000-000000000000',
    port: () => boundPort,
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => {
      reject(
        new Error(
          `Azure Key Vault emulator could not listen on 127.0.0.1:${options.port ?? 0}: ${e.message}`,
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;

  return {
    url: `https://127.0.0.1:${boundPort}`,
    port: boundPort,
    service,
    caPem: tls.caPem,
    faults,
    quotas,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => {
          if (e) reject(e);
          else resolve();
        });
        // SDK clients keep connections alive; without this close() would wait for them.
        server.closeAllConnections();
      }),
  };
}
