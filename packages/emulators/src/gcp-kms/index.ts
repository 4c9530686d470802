/**
 * Local Google Cloud KMS emulator: `google.cloud.kms.v1.KeyManagementService` over gRPC on
 * 127.0.0.1, with BYOK import jobs that really unwrap, quotas, fault injection and an optional
 * state file. Point the real client at it with
 * `new KeyManagementServiceClient({ apiEndpoint: '127.0.0.1', port, sslCreds:
 * grpc.credentials.createInsecure(), authClient })` (the @google-cloud/kms client's `sslCreds` / `authClient` options).
 *
 * @module
 */
import { FaultInjector, type FaultTable } from '../common/faults';
import { RateLimiter, type QuotaTable } from '../common/rate-limiter';
import { startControlServer } from './control-server';
import { cryptoOperations } from './operations-crypto';
import { importOperations } from './operations-import';
import { keyOperations } from './operations-keys';
import { symmetricOperations } from './operations-symmetric';
import { versionOperations } from './operations-versions';
import { kmsServiceDefinition } from './proto';
import { resolveQuotas } from './quotas';
import { bindLoopback, Server, serviceImplementation } from './server';
import { Store } from './store';

export { QUOTA_GROUPS as GCP_KMS_QUOTA_GROUPS, REAL_QUOTAS as GCP_KMS_REAL_QUOTAS } from './quotas';

export interface GcpKmsEmulatorOptions {
  /** gRPC port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Control endpoint (HTTP) port on 127.0.0.1; 0 (default) picks a free one. */
  readonly controlPort?: number;
  /** `'real'` for the published per-minute defaults, a table, or nothing for no quotas. */
  readonly quotas?: 'real' | QuotaTable;
  readonly faults?: FaultTable;
  /** JSON file holding all state (private keys included; written 0600) across restarts. */
  readonly stateFile?: string;
  /** Clock for resource times, destroy schedules and import job expiry (tests move it). */
  readonly now?: () => number;
  /**
   * How long an imported version stays PENDING_IMPORT before it becomes ENABLED or
   * IMPORT_FAILED, in ms of the emulator clock (default {@link DEFAULT_IMPORT_SETTLE_MS}).
   * The service imports asynchronously, so clients must poll; 0 settles before answering.
   */
  readonly importSettleMs?: number;
  /** Key rings (full resource names) that exist from the start; kept if the state file has them. */
  readonly keyRings?: readonly string[];
}

/** Short, but long enough that a client which does not wait for PENDING_IMPORT fails. */
export const DEFAULT_IMPORT_SETTLE_MS = 200;

export interface GcpKmsEmulator {
  /** gRPC port on 127.0.0.1. */
  readonly port: number;
  /** `http://127.0.0.1:<controlPort>`; control paths are under `/_keyplane/`. */
  readonly controlUrl: string;
  readonly faults: FaultInjector;
  readonly quotas: RateLimiter;
  close(): Promise<void>;
}

export const GCP_KMS_OPERATIONS = {
  ...keyOperations,
  ...versionOperations,
  ...importOperations,
  ...cryptoOperations,
  ...symmetricOperations,
};

/** The operation names fault rules may name (the gRPC method names). */
export const GCP_KMS_OPERATION_NAMES: readonly string[] = Object.keys(GCP_KMS_OPERATIONS);

function importSettleMs(value: number | undefined): number {
  const ms = value ?? DEFAULT_IMPORT_SETTLE_MS;
  if (!Number.isFinite(ms) || ms < 0)
    throw new Error(`importSettleMs must be a number of milliseconds ≥ 0, got ${String(value)}`);
  return ms;
}

export async function startGcpKmsEmulator(
  options: GcpKmsEmulatorOptions = {},
): Promise<GcpKmsEmulator> {
  const store = new Store(options.now ?? Date.now, options.stateFile);
  for (const name of options.keyRings ?? []) store.ensureKeyRing(name);
  const faults = new FaultInjector(options.faults ?? {}, GCP_KMS_OPERATION_NAMES);
  const quotas = new RateLimiter(resolveQuotas(options.quotas));
  const server = new Server();
  server.addService(
    kmsServiceDefinition(),
    serviceImplementation({
      store,
      faults,
      quotas,
      importSettleMs: importSettleMs(options.importSettleMs),
      operations: GCP_KMS_OPERATIONS,
    }),
  );
  const port = await bindLoopback(server, options.port ?? 0);
  let control: Awaited<ReturnType<typeof startControlServer>>;
  try {
    control = await startControlServer(options.controlPort ?? 0, { faults, quotas });
  } catch (e) {
    server.forceShutdown();
    throw e;
  }
  return {
    port,
    controlUrl: `http://127.0.0.1:${control.port}`,
    faults,
    quotas,
    close: async () => {
      store.flush();
      control.server.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => {
          // Graceful first so in-flight calls finish; force after a short grace period.
          // forceShutdown does not run tryShutdown's callback, so resolve here too.
          const timer = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, 1000);
          server.tryShutdown(() => {
            clearTimeout(timer);
            resolve();
          });
        }),
        new Promise<void>((resolve) =>
          control.server.close(() => {
            resolve();
          }),
        ),
      ]);
    },
  };
}
