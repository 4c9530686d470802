/**
 * Azure Key Vault backend configuration, resolved in the constructor without any I/O: the Azure
 * cloud (`environment`) table, vault URL construction, service inference and credential
 * settings. Ready credentials only: nothing here reaches a network.
 */
import type { TokenCredential } from '@azure/core-auth';
import { AzureKeyVaultBackend } from '../../src/backends/azure-key-vault';
import { isLoopbackHost } from '../../src/backends/common/loopback';

const credential: TokenCredential = { getToken: () => Promise.resolve(null) };

describe('configuration', () => {
  it('refuses an unknown Azure environment, naming the allowed clouds', () => {
    let error: unknown;
    try {
      new AzureKeyVaultBackend({
        type: 'azurekeyvault',
        vaultName: 'v',
        environment: 'AZUREGERMANCLOUD',
        credential,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'environment',
      allowed: ['AZUREPUBLICCLOUD', 'AZURECHINACLOUD', 'AZUREUSGOVERNMENTCLOUD'],
    });
    expect((error as Error).message).toContain('AZUREGERMANCLOUD');
  });

  it('builds the vault URL from the environment table and infers the service', () => {
    const china = new AzureKeyVaultBackend({
      type: 'azurekeyvault',
      vaultName: 'v1',
      environment: 'AZURECHINACLOUD',
      credential,
    });
    expect(china.vaultUrl).toBe('https://v1.vault.azure.cn');
    expect(china.service).toBe('vault');
    expect(china.capabilities.protections).toEqual(['hsm', 'software']);

    const hsmByUrl = new AzureKeyVaultBackend({
      type: 'azurekeyvault',
      vaultUrl: 'https://h1.managedhsm.azure.net/',
      credential,
    });
    expect(hsmByUrl.service).toBe('managed-hsm');
    expect(hsmByUrl.capabilities.protections).toEqual(['hsm']);
    expect(hsmByUrl.capabilities.generate['aes256-gcm96']).toEqual(['wrap', 'unwrap']);
    expect(hsmByUrl.capabilities.import).toEqual(
      expect.arrayContaining(['rsa-2048', 'ecdsa-p256']) as string[],
    );

    const hsmByResource = new AzureKeyVaultBackend({
      type: 'azurekeyvault',
      vaultName: 'h2',
      resource: 'managedhsm.azure.net',
      credential,
    });
    expect(hsmByResource.service).toBe('managed-hsm');
    expect(hsmByResource.vaultUrl).toBe('https://h2.managedhsm.azure.net');

    const explicit = new AzureKeyVaultBackend({
      type: 'azurekeyvault',
      vaultName: 'h3',
      service: 'managed-hsm',
      environment: 'AZUREUSGOVERNMENTCLOUD',
      credential,
    });
    expect(explicit.vaultUrl).toBe('https://h3.managedhsm.usgovcloudapi.net');
    expect(
      new AzureKeyVaultBackend({ type: 'azurekeyvault', vaultName: 'v2', credential }).capabilities
        .import,
    ).toEqual(['rsa-2048', 'rsa-3072', 'rsa-4096']);
  });

  it('refuses incomplete client-secret settings without echoing the secret', () => {
    let error: unknown;
    try {
      new AzureKeyVaultBackend({
        type: 'azurekeyvault',
        vaultName: 'v',
        clientId: 'app',
        clientSecret: 's3cr3t-value',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ERR_MISSING_PARAMETER', field: 'tenantId' });
    expect((error as Error).message).not.toContain('s3cr3t-value');
    expect(() => new AzureKeyVaultBackend({ type: 'azurekeyvault' })).toThrow(/vaultName/);
  });
});

describe('challenge resource verification', () => {
  it('is only relaxed for loopback vault hosts (emulators), never for real vaults', () => {
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '127.1.2.3', 'kv.localhost'])
      expect({ host, loopback: isLoopbackHost(host) }).toEqual({ host, loopback: true });
    for (const host of [
      'myvault.vault.azure.net',
      '10.0.0.1',
      'localhost.evil.example',
      '128.0.0.1',
    ])
      expect({ host, loopback: isLoopbackHost(host) }).toEqual({ host, loopback: false });
  });
});
