/**
 * Fixtures for the GCP KMS emulator tests: an emulator + real client + loopback guard per test
 * file, BYOK target keys made by the OpenSSL CLI, and blobs wrapped by the OpenSSL CLI from an
 * ImportJob's `public_key.pem` (an independent implementation of the import formats).
 */
import type { KeyManagementServiceClient, protos } from '@google-cloud/kms';
import {
  DEFAULT_IMPORT_SETTLE_MS,
  startGcpKmsEmulator,
  type GcpKmsEmulator,
  type GcpKmsEmulatorOptions,
} from '../../src/gcp-kms';
import { openssl, opensslWrap, type ByokFormat } from '../../../../test/support/openssl';
import { installLoopbackGuard, kmsClient, type LoopbackGuard } from './gcp-client';

type V1 = typeof protos.google.cloud.kms.v1;
export type ImportMethod = keyof V1['ImportJob']['ImportMethod'];
export type Algorithm = keyof V1['CryptoKeyVersion']['CryptoKeyVersionAlgorithm'];
export type Purpose = keyof V1['CryptoKey']['CryptoKeyPurpose'];

export const LOCATION = 'projects/keyplane-test/locations/us-east1';

export interface GcpHarness {
  emulator: GcpKmsEmulator;
  kms: KeyManagementServiceClient;
  guard: LoopbackGuard;
  /** Current emulator time; tests move it with `advance`. */
  clock: { now: number };
  advance(ms: number): void;
}

/** Starts an emulator for the test file (beforeAll) and checks hygiene on the way out. */
export function useGcpEmulator(options: GcpKmsEmulatorOptions = {}): GcpHarness {
  const harness = { clock: { now: Date.now() } } as GcpHarness;
  harness.advance = (ms) => {
    harness.clock.now += ms;
  };
  beforeAll(async () => {
    harness.guard = installLoopbackGuard();
    harness.emulator = await startGcpKmsEmulator({ now: () => harness.clock.now, ...options });
    harness.kms = kmsClient(harness.emulator.port);
  });
  afterAll(async () => {
    await harness.kms.close();
    await harness.emulator.close();
    harness.guard.restore();
    expect(harness.guard.violations).toEqual([]);
  });
  return harness;
}

let ringCounter = 0;

/** A fresh key ring name (one per test keeps tests independent). */
export async function newKeyRing(kms: KeyManagementServiceClient): Promise<string> {
  ringCounter += 1;
  const [ring] = await kms.createKeyRing({
    parent: LOCATION,
    keyRingId: `ring-${process.pid}-${ringCounter}`,
  });
  return ring.name ?? '';
}

export interface TargetKey {
  /** PKCS#8 DER, as `openssl pkcs8 -topk8 -nocrypt -outform DER` writes it. */
  readonly pkcs8: Buffer;
  /** SubjectPublicKeyInfo PEM from `openssl pkey -pubout`. */
  readonly publicPem: string;
}

/** Generates a private key with `openssl genpkey` (e.g. `['-algorithm', 'ED25519']`). */
export function opensslTargetKey(genpkeyArgs: readonly string[]): TargetKey {
  const pem = openssl(['genpkey', ...genpkeyArgs]);
  return {
    pkcs8: openssl(['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER'], pem),
    publicPem: openssl(['pkey', '-pubout'], pem).toString('utf8'),
  };
}

export const TARGETS = {
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  ed25519: ['-algorithm', 'ED25519'],
} as const;

export const HYBRID_METHODS = [
  'RSA_OAEP_3072_SHA1_AES_256',
  'RSA_OAEP_4096_SHA1_AES_256',
  'RSA_OAEP_3072_SHA256_AES_256',
  'RSA_OAEP_4096_SHA256_AES_256',
] as const;
export const DIRECT_METHODS = ['RSA_OAEP_3072_SHA256', 'RSA_OAEP_4096_SHA256'] as const;
export const ALL_METHODS = [...HYBRID_METHODS, ...DIRECT_METHODS] as const;

/** The opensslWrap format for an import method. */
export function formatOf(method: string): ByokFormat {
  return {
    scheme: method.endsWith('_AES_256') ? 'rsa-aes-key-wrap' : 'rsa-oaep',
    hash: method.includes('_SHA1_') ? 'sha1' : 'sha256',
  };
}

/** Creates an ImportJob and returns its name and wrapping public key PEM. */
export async function createImportJob(
  kms: KeyManagementServiceClient,
  keyRing: string,
  importMethod: ImportMethod,
  protectionLevel: 'SOFTWARE' | 'HSM' = 'SOFTWARE',
  id = importMethod.toLowerCase().replace(/_/g, '-'),
): Promise<{ name: string; pem: string }> {
  const [job] = await kms.createImportJob({
    parent: keyRing,
    importJobId: id,
    importJob: { importMethod, protectionLevel },
  });
  return { name: job.name ?? '', pem: job.publicKey?.pem ?? '' };
}

/** Wraps `material` for `job` with the OpenSSL CLI per the job's import method. */
export function wrapFor(material: Buffer, job: { pem: string }, method: string): Buffer {
  return opensslWrap(material, job.pem, formatOf(method));
}

/** Creates an import-only key with no versions, ready for ImportCryptoKeyVersion. */
export async function createImportOnlyKey(
  kms: KeyManagementServiceClient,
  keyRing: string,
  id: string,
  purpose: Purpose,
  algorithm: Algorithm,
  protectionLevel: 'SOFTWARE' | 'HSM' = 'SOFTWARE',
): Promise<string> {
  const [key] = await kms.createCryptoKey({
    parent: keyRing,
    cryptoKeyId: id,
    cryptoKey: { purpose, importOnly: true, versionTemplate: { algorithm, protectionLevel } },
    skipInitialVersionCreation: true,
  });
  return key.name ?? '';
}

type CryptoKeyVersion = protos.google.cloud.kms.v1.ICryptoKeyVersion;
type ImportRequest = protos.google.cloud.kms.v1.IImportCryptoKeyVersionRequest;

/**
 * ImportCryptoKeyVersion as the service does it: the answer is a PENDING_IMPORT version, which
 * settles once the (emulated) import delay has passed. Returns both views.
 */
export async function importSettled(
  h: GcpHarness,
  request: ImportRequest,
): Promise<{ pending: CryptoKeyVersion; settled: CryptoKeyVersion }> {
  const [pending] = await h.kms.importCryptoKeyVersion(request);
  expect(pending.state).toBe('PENDING_IMPORT');
  h.advance(DEFAULT_IMPORT_SETTLE_MS);
  const [settled] = await h.kms.getCryptoKeyVersion({ name: pending.name! });
  return { pending, settled };
}
