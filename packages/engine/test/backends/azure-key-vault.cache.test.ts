/**
 * The Azure Key Vault backend's key metadata cache, through the real SDK against the emulator:
 * a warm sign / verify sends exactly one request (counted at the emulator, which names every
 * authenticated request's operation to its fault injector — observed, never altered), enabled
 * state is never served from the cache, and versions added here are used at once.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { KeyClient } from '@azure/keyvault-keys';
import { generateKeyMaterial } from '@keyplane/engine';
import type { AzureKeyVaultEmulator } from '@keyplane/emulators';
import { AzureKeyVaultBackend } from '../../src/backends/azure-key-vault';
import type { ImportOptions, KeyRef } from '../../src/backends/contract';
import {
  backendConfig,
  fakeCredential,
  newKeyName,
  startAzureTestEmulator,
} from './support/azure-key-vault';
import { rejectionCode } from '../support/rejection';

process.env.METADATA_SERVER_DETECTION = 'none';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const MESSAGE = Buffer.from('keyplane azure cache message');
const SHA256 = { hash: 'sha2-256' } as const;

let vault: AzureKeyVaultEmulator;
let backend: AzureKeyVaultBackend;
/** "Another process": the raw SDK on the same vault. */
let raw: KeyClient;
let decide: jest.SpiedFunction<AzureKeyVaultEmulator['faults']['decide']>;

/** Operation names of the requests the emulator received since the last `take()`. */
function take(): string[] {
  const seen = decide.mock.calls.map(([operation]) => operation);
  decide.mockClear();
  return seen;
}

beforeAll(async () => {
  vault = await startAzureTestEmulator('vault');
  backend = new AzureKeyVaultBackend(backendConfig(vault));
  raw = new KeyClient(vault.url, fakeCredential, {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: vault.caPem },
    retryOptions: { maxRetries: 0 },
  });
  // A spy calls through: the emulator behaves as ever, the test only reads the names.
  decide = jest.spyOn(vault.faults, 'decide');
});

afterAll(async () => {
  decide.mockRestore();
  await backend.close();
  await vault.close();
});

async function signingKey(label: string): Promise<{ ref: KeyRef; version: string }> {
  const ref = { name: newKeyName(label) };
  const key = await backend.generateKey(ref, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
  take();
  return { ref, version: key.version };
}

describe('AzureKeyVaultBackend metadata cache (emulator)', () => {
  it('a warm sign (latest or a given version) sends exactly one request: the Sign', async () => {
    const { ref, version } = await signingKey('warm');
    await backend.sign(ref, MESSAGE, SHA256);
    // Cold: the bundle for the cache, the CryptographyClient's own first read, the Sign.
    expect(take()).toEqual(['GetKey', 'GetKey', 'Sign']);
    for (let i = 0; i < 5; i++) await backend.sign(ref, MESSAGE, SHA256);
    expect(take()).toEqual(Array<string>(5).fill('Sign'));

    const at = { ...ref, version };
    const signature = await backend.sign(at, MESSAGE, SHA256);
    // Same version as the latest: its metadata and CryptographyClient are already warm.
    expect(take()).toEqual(['Sign']);
    await expect(backend.verify(at, MESSAGE, signature, SHA256)).resolves.toBe(true);
    expect(take()).toEqual(['Verify']);
  });

  it('checks the hash against cached metadata: a refused hash sends no request', async () => {
    const { ref } = await signingKey('hash');
    await backend.sign(ref, MESSAGE, SHA256);
    take();
    await expect(rejectionCode(backend.sign(ref, MESSAGE, { hash: 'sha2-384' }))).resolves.toBe(
      'ERR_UNSUPPORTED_HASH_ALGORITHM',
    );
    expect(take()).toEqual([]);
  });

  it('never serves enabled state from the cache: disabled here or elsewhere → ERR_KEY_STATE', async () => {
    const { ref, version } = await signingKey('state');
    const at = { ...ref, version };
    await backend.sign(ref, MESSAGE, SHA256);

    expect((await backend.setVersionEnabled(at, false)).state).toBe('disabled');
    await expect(rejectionCode(backend.sign(ref, MESSAGE, SHA256))).resolves.toBe('ERR_KEY_STATE');
    await expect(rejectionCode(backend.sign(at, MESSAGE, SHA256))).resolves.toBe('ERR_KEY_STATE');
    expect((await backend.getKey(at)).enabled).toBe(false);
    expect((await backend.setVersionEnabled(at, true)).state).toBe('enabled');
    await expect(backend.sign(ref, MESSAGE, SHA256)).resolves.toBeInstanceOf(Buffer);

    // Disabled by another process while everything is cached: refused by the service.
    await raw.updateKeyProperties(ref.name, version, { enabled: false });
    take();
    await expect(rejectionCode(backend.sign(ref, MESSAGE, SHA256))).resolves.toBe('ERR_KEY_STATE');
    expect(take()).toEqual(['Sign']);
    await raw.updateKeyProperties(ref.name, version, { enabled: true });
    await expect(backend.sign(ref, MESSAGE, SHA256)).resolves.toBeInstanceOf(Buffer);
  });

  it('a version imported here is the one a versionless sign uses next', async () => {
    const ref = { name: newKeyName('new-version') };
    const m1 = generateKeyMaterial('rsa-2048');
    const m2 = generateKeyMaterial('rsa-2048');
    const options: Omit<ImportOptions, 'keyplaneVersion'> = {
      keyplaneKey: 'central',
      usages: ['sign', 'verify'],
      protection: 'software',
    };
    await backend.importKeyVersion(ref, m1, { ...options, keyplaneVersion: 1 });
    const s1 = await backend.sign(ref, MESSAGE, SHA256);
    expect(nodeVerify('sha256', MESSAGE, createPublicKey(m1.key), s1)).toBe(true);
    await backend.importKeyVersion(ref, m2, { ...options, keyplaneVersion: 2 });
    const s2 = await backend.sign(ref, MESSAGE, SHA256);
    expect(nodeVerify('sha256', MESSAGE, createPublicKey(m2.key), s2)).toBe(true);
  });
});
