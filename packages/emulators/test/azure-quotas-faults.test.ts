/**
 * Azure Key Vault emulator, reliability features through the real SDK: throttling as the
 * service does it (429 + Retry-After, code "Throttled") with the 'real' preset and with a table
 * set through the control endpoint, and fault injection (503, dropped connection, latency) that
 * the SDK's retry policy rides out.
 */
import { createHash } from 'node:crypto';
import { startAzureKeyVaultEmulator, type AzureKeyVaultEmulator } from '../src/azure-key-vault';
import {
  FAST_RETRY,
  control,
  cryptoClient,
  keyClient,
  rawRequest,
  restError,
} from './support/azure-sdk';

let real: AzureKeyVaultEmulator;
let kv: AzureKeyVaultEmulator;

beforeAll(async () => {
  [real, kv] = await Promise.all([
    startAzureKeyVaultEmulator({ quotas: 'real' }),
    startAzureKeyVaultEmulator(),
  ]);
});

afterAll(async () => {
  await Promise.all([real.close(), kv.close()]);
});

describe('quotas', () => {
  it("throttles the 11th HSM key creation in 10 s under the 'real' preset", async () => {
    const client = keyClient(real);
    for (let i = 0; i < 10; i++) await client.createEcKey(`hsm-${i}`, { hsm: true });
    const error = await restError(client.createEcKey('hsm-10', { hsm: true }));
    expect(error).toMatchObject({ statusCode: 429, code: 'Throttled' });
    // Software keys have their own budget (20 per 10 s).
    expect((await client.createEcKey('software-0')).keyType).toBe('EC');

    const raw = await rawRequest(real, 'POST', '/keys/hsm-11/create?api-version=7.5', {
      body: { kty: 'EC-HSM' },
    });
    expect(raw.status).toBe(429);
    const retryAfter = Number(raw.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
  });

  it('surfaces 429 without retries and succeeds when the SDK honours Retry-After', async () => {
    await control(kv, 'quotas', { 'software-create': { limit: 1, windowSeconds: 1 } });
    try {
      await keyClient(kv).createEcKey('quota-1');
      expect(await restError(keyClient(kv).createEcKey('quota-2'))).toMatchObject({
        statusCode: 429,
        code: 'Throttled',
      });
      const started = Date.now();
      const created = await keyClient(kv, { maxRetries: 2 }).createEcKey('quota-3');
      expect(created.name).toBe('quota-3');
      expect(Date.now() - started).toBeGreaterThanOrEqual(900); // waited Retry-After: 1
    } finally {
      await control(kv, 'quotas', {});
    }
  });
});

describe('fault injection', () => {
  afterEach(async () => {
    await control(kv, 'faults', {});
  });

  it('answers 503 ServiceUnavailable, which the SDK retries until it succeeds', async () => {
    const key = await keyClient(kv).createRsaKey('faulty', { keySize: 2048 });
    const digest = createHash('sha256').update('x').digest();

    await control(kv, 'faults', { Sign: { errorRate: 1, times: 1 } });
    expect(await restError(cryptoClient(kv, key.id ?? '').sign('RS256', digest))).toMatchObject({
      statusCode: 503,
      code: 'ServiceUnavailable',
    });

    await control(kv, 'faults', { Sign: { errorRate: 1, times: 2 } });
    const { result } = await cryptoClient(kv, key.id ?? '', FAST_RETRY).sign('RS256', digest);
    expect(result).toHaveLength(256);
  });

  it('drops the connection, and the SDK retries on the reset', async () => {
    await keyClient(kv).createEcKey('dropped');
    await control(kv, 'faults', { GetKey: { dropRate: 1, times: 1 } });
    expect(await restError(keyClient(kv).getKey('dropped'))).toMatchObject({ code: 'ECONNRESET' });
    await control(kv, 'faults', { GetKey: { dropRate: 1, times: 1 } });
    expect((await keyClient(kv, FAST_RETRY).getKey('dropped')).name).toBe('dropped');
  });

  it('adds latency', async () => {
    await keyClient(kv).createEcKey('slow');
    kv.faults.configure({ GetKey: { latencyMs: 300, times: 1 } });
    const started = Date.now();
    await keyClient(kv).getKey('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('serves health on the control endpoint without a token', async () => {
    const res = await rawRequest(kv, 'GET', '/_keyplane/health', { token: null });
    expect(res).toMatchObject({ status: 200, json: { ok: true } });
  });
});
