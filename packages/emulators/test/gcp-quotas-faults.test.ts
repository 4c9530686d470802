/**
 * Quotas (RESOURCE_EXHAUSTED, code 8) and fault injection (UNAVAILABLE, code 14; latency;
 * dropped calls) through the real client, configured at start and through the control URL.
 */
import { startGcpKmsEmulator } from '../src/gcp-kms';
import { REAL_QUOTAS } from '../src/gcp-kms/quotas';
import { grpcCode, grpcError, installLoopbackGuard, kmsClient } from './support/gcp-client';
import { LOCATION, newKeyRing, useGcpEmulator } from './support/gcp-fixtures';

const h = useGcpEmulator({
  quotas: {
    crypto_requests: { limit: 3, windowSeconds: 60 },
    hsm_asymmetric_requests: { limit: 1, windowSeconds: 60 },
  },
});
let ring = '';

beforeAll(async () => {
  ring = await newKeyRing(h.kms);
});

const put = async (path: string, body: unknown): Promise<unknown> => {
  const res = await fetch(`${h.emulator.controlUrl}/_keyplane/${path}`, {
    method: 'PUT',
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return await res.json();
};

describe('quotas', () => {
  test('crypto and HSM groups run out with RESOURCE_EXHAUSTED (8), not retried', async () => {
    const [hsm] = await h.kms.createCryptoKey({
      parent: ring,
      cryptoKeyId: 'hsm-sign',
      cryptoKey: {
        purpose: 'ASYMMETRIC_SIGN',
        versionTemplate: { algorithm: 'EC_SIGN_ED25519', protectionLevel: 'HSM' },
      },
    });
    const version = `${hsm.name ?? ''}/cryptoKeyVersions/1`;
    await h.kms.asymmetricSign({ name: version, data: Buffer.from('1') }); // crypto 1, HSM 1
    const hsmOut = await grpcError(h.kms.asymmetricSign({ name: version, data: Buffer.from('2') }));
    expect(hsmOut.code).toBe(8); // crypto 2, HSM over
    expect(hsmOut.details).toMatch(/hsm_asymmetric_requests/);
    // As the service does for quota errors, the status carries ErrorInfo and RetryInfo
    // (grpc-status-details-bin), which google-gax decodes into statusDetails.
    const details = (hsmOut as { statusDetails?: unknown[] }).statusDetails ?? [];
    expect(details).toContainEqual(
      expect.objectContaining({
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: {
          service: 'cloudkms.googleapis.com',
          quota_metric: 'cloudkms.googleapis.com/hsm_asymmetric_requests',
        },
      }),
    );
    const retry = details.find((d) => typeof d === 'object' && d !== null && 'retryDelay' in d) as
      { retryDelay: { seconds: unknown; nanos: number } } | undefined;
    const delayMs = Number(retry?.retryDelay.seconds) * 1000 + (retry?.retryDelay.nanos ?? 0) / 1e6;
    // The window is 60 s and began with the first call moments ago.
    expect(delayMs).toBeGreaterThan(50_000);
    expect(delayMs).toBeLessThanOrEqual(60_001);
    await h.kms.getPublicKey({ name: version }); // crypto 3
    const cryptoOut = await grpcError(h.kms.getPublicKey({ name: version }));
    expect(cryptoOut.code).toBe(8);
    expect(cryptoOut.details).toMatch(/crypto_requests/);
    // Other groups are unaffected.
    await h.kms.getCryptoKey({ name: hsm.name! });
  });

  test('quotas can be replaced through the control URL, per group or per RPC', async () => {
    const res = await fetch(`${h.emulator.controlUrl}/_keyplane/quotas`);
    expect(await res.json()).toMatchObject({ crypto_requests: { limit: 3 } });
    await put('quotas', { GetKeyRing: { limit: 1, windowSeconds: 60 } });
    await h.kms.getKeyRing({ name: ring });
    expect(await grpcCode(h.kms.getKeyRing({ name: ring }))).toBe(8);
    await put('quotas', {});
    await h.kms.getKeyRing({ name: ring });
  });

  test("quotas: 'real' loads the published per-minute defaults", async () => {
    const guard = installLoopbackGuard();
    const emulator = await startGcpKmsEmulator({ quotas: 'real' });
    try {
      expect(emulator.quotas.table).toEqual(REAL_QUOTAS);
      expect(REAL_QUOTAS.read_requests).toEqual({ limit: 300, windowSeconds: 60 });
      const kms = kmsClient(emulator.port);
      await kms.createKeyRing({ parent: LOCATION, keyRingId: 'real-quotas' });
      await kms.close();
    } finally {
      await emulator.close();
      guard.restore();
    }
    expect(guard.violations).toEqual([]);
  });
});

describe('faults', () => {
  afterEach(async () => {
    await put('faults', {});
  });

  test('UNAVAILABLE (14) on a non-retried RPC; the second call succeeds', async () => {
    const [key] = await h.kms.createCryptoKey({
      parent: ring,
      cryptoKeyId: 'faulty',
      cryptoKey: { purpose: 'ENCRYPT_DECRYPT' },
    });
    await put('faults', { CreateCryptoKeyVersion: { errorRate: 1, times: 1 } });
    const err = await grpcError(
      h.kms.createCryptoKeyVersion({ parent: key.name!, cryptoKeyVersion: {} }),
    );
    expect(err.code).toBe(14);
    const [version] = await h.kms.createCryptoKeyVersion({
      parent: key.name!,
      cryptoKeyVersion: {},
    });
    expect(version.name).toBe(`${key.name ?? ''}/cryptoKeyVersions/2`);
  });

  test('the client retries UNAVAILABLE on idempotent RPCs and succeeds', async () => {
    await put('faults', { GetKeyRing: { errorRate: 1, times: 2 } });
    const [got] = await h.kms.getKeyRing({ name: ring });
    expect(got.name).toBe(ring);
    // With the fault permanent, the retries give up at the call timeout.
    await put('faults', { GetKeyRing: { errorRate: 1 } });
    expect(await grpcCode(h.kms.getKeyRing({ name: ring }, { timeout: 400 }))).toBe(4);
  });

  test('dropped calls surface as UNAVAILABLE "Connection dropped"', async () => {
    await put('faults', { '*': { dropRate: 1, times: 1 } });
    const err = await grpcError(
      h.kms.importCryptoKeyVersion({ parent: `${ring}/cryptoKeys/x`, importJob: 'x' }),
    );
    expect(err.code).toBe(14);
    expect(err.details).toBe('Connection dropped');
  });

  test('latency is added before answering', async () => {
    await put('faults', { GetKeyRing: { latencyMs: 300 } });
    const started = Date.now();
    await h.kms.getKeyRing({ name: ring });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  test('faults can be set at start and through the emulator object', async () => {
    h.emulator.faults.configure({ ListKeyRings: { errorRate: 1, times: 1 } });
    const res = await fetch(`${h.emulator.controlUrl}/_keyplane/faults`);
    expect(await res.json()).toEqual({ ListKeyRings: { errorRate: 1, times: 1 } });
    const health = await fetch(`${h.emulator.controlUrl}/_keyplane/health`);
    expect(await health.json()).toEqual({ ok: true });
  });
});
