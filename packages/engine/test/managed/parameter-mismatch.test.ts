/**
 * Parameters that name a key type or a signature algorithm are checked against the key the
 * backend actually holds (issue 8 item 6): a `curve=P384` entry over a P-256 PKCS#11 key, a GCP
 * `algorithm=EC_SIGN_P384_SHA384` entry over a P-256 key version, or a PSS algorithm over a
 * PKCS#1 key are refused naming the parameter — on SoftHSM2 and the GCP emulator.
 */
import type { SoftHsmToken } from '@keyplane/emulators';
import { createTestToken } from '../backends/support/pkcs11-token';
import { startGcpKmsTestEnv, type GcpKmsTestEnv } from '../backends/support/gcp-kms';
import { rejection } from '../support/rejection';
import { gcpManagedKeyParams, testRegistry, type TestRegistry } from './support';

process.env.METADATA_SERVER_DETECTION = 'none';

let reg: TestRegistry;
beforeAll(async () => {
  reg = await testRegistry();
});
afterAll(async () => {
  await reg.dispose();
});

describe('pkcs11: curve and key_bits against the key found', () => {
  let token: SoftHsmToken;
  const hsm = (key_label: string, extra: Record<string, string>) => ({
    library: token.module,
    token_label: token.label,
    pin: token.pin,
    key_label,
    ...extra,
  });
  beforeAll(async () => {
    token = await createTestToken('kp-mismatch');
  });
  afterAll(async () => {
    await token.dispose();
  });

  it('refuses curve=P384 over a P-256 key, naming curve; the matching curve signs', async () => {
    await reg.keys.create(
      'pkcs11',
      'ec-gen',
      hsm('ec1', { mechanism: '0x1041', curve: 'P256', allow_generate_key: 'true' }),
    );
    await expect(reg.keys.testSign('ec-gen')).resolves.toMatchObject({ key_generated: true });
    await reg.keys.create('pkcs11', 'ec-p384', hsm('ec1', { mechanism: '0x1041', curve: 'P384' }));
    const e = await rejection(reg.keys.testSign('ec-p384'));
    expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_TYPE', field: 'curve' });
    expect(e.message).toBe(
      "managed key 'ec-p384': curve 'P384' does not match the key in pkcs11, which is ecdsa-p256",
    );
    await reg.keys.create('pkcs11', 'ec-any', hsm('ec1', { mechanism: '0x1041' }));
    await expect(reg.keys.testSign('ec-any')).resolves.toMatchObject({ key_generated: false });
  });
});

describe('gcpckms: algorithm against the key version found', () => {
  let env: GcpKmsTestEnv;
  const gcp = (crypto_key: string, algorithm: string, generate: boolean) =>
    gcpManagedKeyParams(env, crypto_key, algorithm, generate);
  beforeAll(async () => {
    env = await startGcpKmsTestEnv();
  });
  afterAll(async () => {
    await env.close();
    expect(env.guard.violations).toEqual([]);
  });

  it('refuses EC_SIGN_P384_SHA384 over a P-256 key version, naming algorithm', async () => {
    await reg.keys.create('gcpckms', 'g-p256', gcp('g-ec', 'EC_SIGN_P256_SHA256', true));
    await expect(reg.keys.testSign('g-p256')).resolves.toMatchObject({ key_generated: true });
    await reg.keys.create('gcpckms', 'g-p384', gcp('g-ec', 'EC_SIGN_P384_SHA384', false));
    const e = await rejection(reg.keys.testSign('g-p384'));
    expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_TYPE', field: 'algorithm' });
    expect(e.message).toContain(
      "algorithm 'EC_SIGN_P384_SHA384' does not match the key in gcpckms",
    );
  });

  it('refuses a PSS algorithm over a PKCS#1 key of the same size, naming algorithm', async () => {
    await reg.keys.create('gcpckms', 'g-pkcs1', gcp('g-rsa', 'RSA_SIGN_PKCS1_2048_SHA256', true));
    await expect(reg.keys.testSign('g-pkcs1')).resolves.toMatchObject({ use_pss: false });
    await reg.keys.create('gcpckms', 'g-pss', gcp('g-rsa', 'RSA_SIGN_PSS_2048_SHA256', false));
    const e = await rejection(reg.keys.testSign('g-pss'));
    expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_TYPE', field: 'algorithm' });
    expect(e.message).toBe(
      "managed key 'g-pss': algorithm 'RSA_SIGN_PSS_2048_SHA256' does not match the key in gcpckms, which is rsa-2048 signing with sha2-256",
    );
  });
});
