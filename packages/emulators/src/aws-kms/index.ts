/**
 * Local AWS KMS emulator: the JSON 1.1 API `@aws-sdk/client-kms` speaks, including BYOK import
 * (GetParametersForImport / ImportKeyMaterial with real unwrapping), signing, encryption, MACs,
 * quotas and fault injection. Listens on 127.0.0.1 only.
 *
 * ```ts
 * const kms = await startAwsKmsEmulator({ port: 0 });
 * const client = new KMSClient({ endpoint: kms.url, region: 'us-east-1',
 *   credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
 * ```
 *
 * @module
 */
import type { AddressInfo } from 'node:net';
import { FaultInjector, type FaultTable } from '../common/faults';
import { RateLimiter, type QuotaTable } from '../common/rate-limiter';
import { REAL_AWS_KMS_QUOTAS } from './quotas';
import { AWS_KMS_OPERATION_NAMES, createKmsServer } from './server';
import type { AwsCredentials } from './sigv4';
import { loadState, saveState } from './state-file';
import { KmsStore } from './store';

export { REAL_AWS_KMS_QUOTAS } from './quotas';
export { AWS_KMS_OPERATION_NAMES } from './server';
export type { AwsCredentials } from './sigv4';

/** The fake credentials `keyplane dev` hands out: accepted by the emulator, useless elsewhere. */
export const DEV_AWS_CREDENTIALS: AwsCredentials = {
  accessKeyId: 'keyplane-dev',
  secretAccessKey: 'keyplane-dev',
};

export interface AwsKmsEmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Region in ARNs (default us-east-1). Requests for other regions' ARNs are NotFound. */
  readonly region?: string;
  /** Account id in ARNs (default 111122223333, AWS's documentation account). */
  readonly accountId?: string;
  /** `'real'` = AWS's published defaults; a table = custom; omitted/`'off'` = no throttling. */
  readonly quotas?: 'real' | 'off' | QuotaTable;
  /** Initial fault rules (also settable at run time via `PUT /_keyplane/faults`). */
  readonly faults?: FaultTable;
  /**
   * JSON file holding keys, aliases and import tokens across restarts (mode 0600). It contains
   * key material in the clear: development use only.
   */
  readonly stateFile?: string;
  /**
   * The credentials whose SigV4 signatures are accepted (default: {@link DEV_AWS_CREDENTIALS}).
   * Any other access key is UnrecognizedClientException, a wrong secret
   * InvalidSignatureException, as in AWS.
   */
  readonly credentials?: readonly AwsCredentials[];
  /**
   * Emulated clock in ms since the epoch (default Date.now). Import-token expiry, ValidTo,
   * deletion windows and quota windows all use it, so tests can move time forward.
   */
  readonly clock?: () => number;
}

export interface AwsKmsEmulator {
  /** `http://127.0.0.1:<port>`: pass as the SDK's `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultInjector;
  readonly quotas: RateLimiter;
  close(): Promise<void>;
}

function quotaTable(option: AwsKmsEmulatorOptions['quotas']): QuotaTable {
  if (option === undefined || option === 'off') return {};
  return option === 'real' ? REAL_AWS_KMS_QUOTAS : option;
}

export async function startAwsKmsEmulator(
  options: AwsKmsEmulatorOptions = {},
): Promise<AwsKmsEmulator> {
  const clock = options.clock ?? Date.now;
  const stateFile = options.stateFile;
  const store = new KmsStore({
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '111122223333',
    now: clock,
    persist:
      stateFile === undefined
        ? undefined
        : (s) => {
            saveState(stateFile, s);
          },
  });
  if (stateFile !== undefined) loadState(stateFile, store);
  const faults = new FaultInjector(options.faults ?? {}, AWS_KMS_OPERATION_NAMES);
  const quotas = new RateLimiter(quotaTable(options.quotas), clock);
  const credentials = new Map(
    (options.credentials ?? [DEV_AWS_CREDENTIALS]).map((c) => [c.accessKeyId, c.secretAccessKey]),
  );
  if (credentials.size === 0) throw new Error('credentials: give at least one access key');
  const server = createKmsServer({ store, faults, quotas, credentials });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    quotas,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
        // SDK clients keep connections alive; without this close() waits for their timeout.
        server.closeAllConnections();
      }),
  };
}
