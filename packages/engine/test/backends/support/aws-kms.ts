/**
 * AWS KMS test setup: the project's emulator on 127.0.0.1:0, the backend pointed at it with
 * fake credentials, and a raw SDK client for arranging states the backend would not create.
 */
import { randomBytes } from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  startAwsKmsEmulator,
  type AwsKmsEmulator,
  type AwsKmsEmulatorOptions,
} from '@keyplane/emulators';
import { AwsKmsBackend } from '../../../src/backends/aws-kms';
import type { AwsKmsBackendConfig } from '../../../src/backends/configs';
import type { KeyRef } from '../../../src/backends/contract';
import type { ConformanceFixture } from '../conformance';

// Network hygiene: the SDK must never look for instance metadata.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

export const AWS_TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } as const;
export const AWS_TEST_REGION = 'us-east-1';

export interface AwsKmsTestEnv {
  readonly emulator: AwsKmsEmulator;
  readonly backend: AwsKmsBackend;
  /** The real SDK, for arranging keys directly (crash simulation, inspection). */
  readonly raw: KMSClient;
  newKeyRef(label: string): KeyRef;
  /** A second backend on the same emulator with other settings. */
  backendWith(extra: Partial<AwsKmsBackendConfig>): AwsKmsBackend;
  close(): Promise<void>;
}

let counter = 0;

export async function startAwsKmsTestEnv(
  options: AwsKmsEmulatorOptions = {},
): Promise<AwsKmsTestEnv> {
  const emulator = await startAwsKmsEmulator({
    port: 0,
    credentials: [AWS_TEST_CREDENTIALS],
    ...options,
  });
  const base: AwsKmsBackendConfig = {
    type: 'awskms',
    endpoint: emulator.url,
    region: AWS_TEST_REGION,
    credentials: AWS_TEST_CREDENTIALS,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  };
  const extras: AwsKmsBackend[] = [];
  const backend = new AwsKmsBackend(base);
  const raw = new KMSClient({
    endpoint: emulator.url,
    region: AWS_TEST_REGION,
    credentials: AWS_TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  return {
    emulator,
    backend,
    raw,
    newKeyRef: (label) => ({
      name: `alias/kp-${label}-${String(++counter)}-${randomBytes(4).toString('hex')}`,
    }),
    backendWith: (extra) => {
      const b = new AwsKmsBackend({ ...base, ...extra });
      extras.push(b);
      return b;
    },
    close: async () => {
      await Promise.all([backend.close(), ...extras.map((b) => b.close())]);
      raw.destroy();
      await emulator.close();
    },
  };
}

/** The conformance fixture: fault injection makes the emulator's Sign answer 500s. */
export async function awsKmsConformanceFixture(): Promise<ConformanceFixture> {
  const env = await startAwsKmsTestEnv();
  return {
    backend: env.backend,
    newKeyRef: (label) => env.newKeyRef(label),
    failNextSigns: (times) => {
      env.emulator.faults.configure(times > 0 ? { Sign: { errorRate: 1, times } } : {});
      return Promise.resolve();
    },
    close: () => env.close(),
  };
}
