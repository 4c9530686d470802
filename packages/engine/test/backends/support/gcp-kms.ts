/**
 * Google Cloud KMS test setup: the project's gRPC emulator on 127.0.0.1:0, a key ring created
 * once with the raw SDK (Keyplane never creates rings), the backend pointed at it with a fake
 * OAuth2 client, and a loopback guard recording any non-loopback connection or DNS lookup.
 */
import { randomBytes } from 'node:crypto';
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import {
  startGcpKmsEmulator,
  type GcpKmsEmulator,
  type GcpKmsEmulatorOptions,
} from '@keyplane/emulators';
import {
  fakeAuthClient,
  installLoopbackGuard,
  kmsClient,
  type LoopbackGuard,
} from '../../../../emulators/test/support/gcp-client';
import { GcpKmsBackend } from '../../../src/backends/gcp-kms';
import type { GcpKmsBackendConfig } from '../../../src/backends/configs';
import type { KeyRef } from '../../../src/backends/contract';
import type { ConformanceFixture } from '../conformance';

// Network hygiene: google-auth-library must never probe the metadata server.
process.env.METADATA_SERVER_DETECTION = 'none';

export const GCP_TEST_PROJECT = 'keyplane-test';
export const GCP_TEST_LOCATION = 'us-east1';

export interface GcpKmsTestEnv {
  readonly emulator: GcpKmsEmulator;
  readonly backend: GcpKmsBackend;
  /** The real SDK, for arranging states the backend would not create (crash simulation). */
  readonly raw: KeyManagementServiceClient;
  readonly guard: LoopbackGuard;
  /** `projects/…/keyRings/<ring>` */
  readonly keyRingName: string;
  readonly config: GcpKmsBackendConfig;
  newKeyRef(label: string): KeyRef;
  /** A second backend on the same emulator with other settings. */
  backendWith(extra: Partial<GcpKmsBackendConfig>): GcpKmsBackend;
  /** PUT /_keyplane/faults on the emulator's control endpoint. */
  setFaults(table: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

export async function startGcpKmsTestEnv(
  options: GcpKmsEmulatorOptions = {},
): Promise<GcpKmsTestEnv> {
  const guard = installLoopbackGuard();
  const emulator = await startGcpKmsEmulator({ port: 0, ...options });
  const raw = kmsClient(emulator.port);
  const keyRing = `ring-${String(process.pid)}-${randomBytes(3).toString('hex')}`;
  const parent = `projects/${GCP_TEST_PROJECT}/locations/${GCP_TEST_LOCATION}`;
  await raw.createKeyRing({ parent, keyRingId: keyRing });
  const config: GcpKmsBackendConfig = {
    type: 'gcpckms',
    project: GCP_TEST_PROJECT,
    location: GCP_TEST_LOCATION,
    keyRing,
    endpoint: `127.0.0.1:${String(emulator.port)}`,
    insecure: true,
    authClient: fakeAuthClient(),
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  };
  const backend = new GcpKmsBackend(config);
  const extras: GcpKmsBackend[] = [];
  return {
    emulator,
    backend,
    raw,
    guard,
    keyRingName: `${parent}/keyRings/${keyRing}`,
    config,
    newKeyRef: (label) => ({
      name: `kp-${label}-${String(++counter)}-${randomBytes(3).toString('hex')}`,
    }),
    backendWith: (extra) => {
      const b = new GcpKmsBackend({ ...config, ...extra });
      extras.push(b);
      return b;
    },
    setFaults: async (table) => {
      const res = await fetch(`${emulator.controlUrl}/_keyplane/faults`, {
        method: 'PUT',
        body: JSON.stringify(table),
      });
      if (res.status !== 200) throw new Error(`faults control answered ${String(res.status)}`);
    },
    close: async () => {
      await Promise.all([backend.close(), ...extras.map((b) => b.close())]);
      await raw.close();
      await emulator.close();
      guard.restore();
    },
  };
}

/** The conformance fixture: fault injection makes AsymmetricSign answer UNAVAILABLE. */
export async function gcpKmsConformanceFixture(): Promise<ConformanceFixture> {
  const env = await startGcpKmsTestEnv();
  return {
    backend: env.backend,
    newKeyRef: (label) => env.newKeyRef(label),
    failNextSigns: async (times) => {
      await env.setFaults(times > 0 ? { AsymmetricSign: { errorRate: 1, times } } : {});
    },
    close: async () => {
      await env.close();
      if (env.guard.violations.length > 0) {
        throw new Error(`non-loopback traffic: ${env.guard.violations.join(', ')}`);
      }
    },
  };
}
