/**
 * Seed 000's managed-key walkthrough on the Azure Key Vault emulator, through the library:
 * create with allow_generate_key → read → test/sign (generates the RSA-HSM 4096 key) → a named
 * signing key over it (transit `type=managed_key`) → sign sha2-512 → verify.
 */
import { createPublicKey, verify as nodeVerify, constants } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { KeyClient } from '@azure/keyvault-keys';
import { CryptoClient, SigningKeys } from '@keyplane/engine';
import type { AzureKeyVaultEmulator } from '@keyplane/emulators';
import { fakeCredential, startAzureTestEmulator } from '../backends/support/azure-key-vault';
import { rejection } from '../support/rejection';
import { storeFilesContain, testRegistry, type TestRegistry } from './support';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.METADATA_SERVER_DETECTION = 'none';

const DATA = Buffer.from('This is a secret data\n');

describe('seed 000: Azure managed key, test/sign, transit-style sign/verify', () => {
  let emulator: AzureKeyVaultEmulator;
  let reg: TestRegistry;
  let caFile: string;
  const params = () => ({
    allow_generate_key: 'true',
    any_mount: 'true',
    usages: 'sign,verify',
    tenant_id: '00000000-0000-0000-0000-000000000001',
    client_id: 'keyplane-test-app',
    client_secret: 'sup3r-s3cret-client-value',
    vault_name: 'hc-vault-managed-keys',
    key_name: 'vault-managed-key',
    key_bits: '4096',
    key_type: 'RSA-HSM',
    endpoint: emulator.url,
    ca_file: caFile,
  });

  beforeAll(async () => {
    emulator = await startAzureTestEmulator('vault');
    caFile = join(tmpdir(), `kp-azure-ca-${String(process.pid)}.pem`);
    writeFileSync(caFile, emulator.caPem);
    reg = await testRegistry();
  });
  afterAll(async () => {
    await reg.dispose();
    await emulator.close();
  });

  it('walks through create, read, test/sign, sign and verify', async () => {
    const created = await reg.keys.create('azurekeyvault', 'azure-managed-key', params());
    expect(created).toMatchObject({
      vault_name: 'hc-vault-managed-keys',
      client_secret: 'redacted',
      key_bits: 4096,
    });
    expect(storeFilesContain(reg.path, 'sup3r-s3cret')).toBe(false);

    const first = await reg.keys.testSign('azure-managed-key', { hash_algorithm: 'sha2-256' });
    expect(first).toMatchObject({
      key_generated: true,
      hash_algorithm: 'sha2-256',
      use_pss: false,
    });
    const again = await reg.keys.testSign('azure-managed-key', {
      hash_algorithm: 'sha2-512',
      use_pss: true,
    });
    expect(again).toMatchObject({
      key_generated: false,
      key_version: first.key_version,
      use_pss: true,
    });

    // The key really is in the vault: RSA-HSM 4096, read with the raw SDK.
    const raw = new KeyClient(emulator.url, fakeCredential, {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca: emulator.caPem },
    });
    const inVault = await raw.getKey('vault-managed-key');
    expect(inVault.keyType).toBe('RSA-HSM');
    const publicKey = createPublicKey({
      key: {
        kty: 'RSA',
        n: Buffer.from(inVault.key?.n ?? []).toString('base64url'),
        e: Buffer.from(inVault.key?.e ?? []).toString('base64url'),
      },
      format: 'jwk',
    });
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);

    await new SigningKeys(reg.keys).create('signer-azure-key', {
      managed_key: 'azure-managed-key',
    });
    const client = new CryptoClient(reg.keys, 'signer-azure-key');
    const { signature, key_version } = await client.sign(DATA, { hash: 'sha2-512' });
    expect(key_version).toBe(1);
    expect(signature).toMatch(/^keyplane:v1:[A-Za-z0-9+/]+=*$/);
    const bytes = Buffer.from(signature.split(':')[2] ?? '', 'base64');
    expect(
      nodeVerify('sha512', DATA, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, bytes),
    ).toBe(true);

    await expect(client.verify(DATA, signature, { hash: 'sha2-512' })).resolves.toBe(true);
    await expect(
      client.verify(DATA, signature.replace('keyplane:', 'vault:'), { hash: 'sha2-512' }),
    ).resolves.toBe(true);
    await expect(
      client.verify(Buffer.from('tampered'), signature, { hash: 'sha2-512' }),
    ).resolves.toBe(false);
    await expect(client.verify(DATA, signature, { hash: 'sha2-256' })).resolves.toBe(false);
    expect(await rejection(client.verify(DATA, 'not-a-signature'))).toMatchObject({
      code: 'ERR_INVALID_SIGNATURE_ENCODING',
      field: 'signature',
    });
    expect(await rejection(client.verify(DATA, signature.replace(':v1:', ':v7:')))).toMatchObject({
      code: 'ERR_NOT_FOUND',
      field: 'version',
    });

    expect(await rejection(reg.keys.delete('azure-managed-key'))).toMatchObject({
      code: 'ERR_IN_USE',
    });
    await new SigningKeys(reg.keys).delete('signer-azure-key');
    await reg.keys.delete('azure-managed-key');
    await expect(reg.keys.list()).resolves.toEqual([]);
  });

  it('refuses to generate without allow_generate_key, naming the parameter', async () => {
    await reg.keys.create('azurekeyvault', 'no-generate', {
      ...params(),
      allow_generate_key: 'false',
      key_name: 'absent-key',
    });
    const e = await rejection(reg.keys.testSign('no-generate'));
    expect(e).toMatchObject({ code: 'ERR_NOT_FOUND', field: 'allow_generate_key' });
    expect(e.message).toContain('absent-key');
  });

  it('enforces usages and consumer permissions on every operation', async () => {
    await reg.keys.create('azurekeyvault', 'verify-only', {
      ...params(),
      usages: 'verify',
      key_name: 'verify-only-key',
    });
    expect(await rejection(reg.keys.testSign('verify-only'))).toMatchObject({
      code: 'ERR_USAGE_NOT_ALLOWED',
      field: 'usages',
      allowed: ['verify'],
    });

    await reg.keys.create('azurekeyvault', 'restricted', {
      ...params(),
      any_mount: 'false',
      key_name: 'restricted-key',
      key_bits: '2048',
    });
    const signing = new SigningKeys(reg.keys);
    expect(
      await rejection(signing.create('app-signer', { managed_key: 'restricted' })),
    ).toMatchObject({ code: 'ERR_NOT_PERMITTED', field: 'allowed_managed_keys' });
    await signing.create('app-signer', {
      managed_key: 'restricted',
      allowed_managed_keys: ['restricted'],
    });
    const client = new CryptoClient(reg.keys, 'app-signer');
    const { signature } = await client.sign(DATA);
    await expect(client.verify(DATA, signature)).resolves.toBe(true);
    // Removing `sign` from the managed key's usages takes effect at once.
    await reg.keys.update('restricted', { usages: 'verify' });
    expect(await rejection(client.sign(DATA))).toMatchObject({ code: 'ERR_USAGE_NOT_ALLOWED' });
    await expect(client.verify(DATA, signature)).resolves.toBe(true);
    expect(await rejection(reg.keys.delete('restricted'))).toMatchObject({ code: 'ERR_IN_USE' });
  });

  it('succeeds through throttling (429 + Retry-After) with the default retry policy', async () => {
    await reg.keys.create('azurekeyvault', 'throttled', {
      ...params(),
      key_name: 'throttled-key',
      key_bits: '2048',
    });
    await reg.keys.testSign('throttled');
    emulator.quotas.configure({ 'hsm-rsa-2048': { limit: 2, windowSeconds: 1 } });
    try {
      const results = await Promise.all([1, 2, 3].map(() => reg.keys.testSign('throttled')));
      expect(results.every((r) => !r.key_generated)).toBe(true);
    } finally {
      emulator.quotas.configure({});
    }
  });
});
