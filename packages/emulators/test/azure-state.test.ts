/**
 * Azure Key Vault emulator, persistence and start options: the optional state file (mode 0600,
 * survives a restart on another port with keys, versions and soft-deleted keys intact), the CA
 * file, and the port option.
 */
import { constants, createHash, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzureKeyVaultEmulator } from '../src/azure-key-vault';
import { cryptoClient, keyClient, publicKeyOf, restError } from './support/azure-sdk';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyplane-azure-state-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('keeps keys, versions and deleted keys across a restart', async () => {
  const stateFile = join(dir, 'vault.json');
  const first = await startAzureKeyVaultEmulator({ stateFile, service: 'managed-hsm' });
  const client = keyClient(first);
  const key = await client.createRsaKey('persisted', { hsm: true, keySize: 2048 });
  await client.createRsaKey('persisted', { hsm: true, keySize: 2048, tags: { v: '2' } });
  await client.createOctKey('aes', { hsm: true });
  await client.createEcKey('gone', { hsm: true });
  await (await client.beginDeleteKey('gone', { intervalInMs: 10 })).pollUntilDone();
  await first.close();

  expect(statSync(stateFile).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

  const second = await startAzureKeyVaultEmulator({ stateFile, service: 'managed-hsm' });
  try {
    const again = keyClient(second);
    const versions: string[] = [];
    for await (const p of again.listPropertiesOfKeyVersions('persisted'))
      versions.push(p.version ?? '');
    expect(versions).toHaveLength(2);
    const old = await again.getKey('persisted', { version: key.properties.version ?? '' });
    // kids follow the new address; the key material is the same.
    expect(old.id).toBe(`${second.url}/keys/persisted/${key.properties.version ?? ''}`);
    const digest = createHash('sha256').update('after restart').digest();
    const { result } = await cryptoClient(second, old.id ?? '').sign('RS256', digest);
    const publicKey = publicKeyOf(key.key ?? {});
    expect(
      verify(
        'sha256',
        Buffer.from('after restart'),
        { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
        result,
      ),
    ).toBe(true);
    expect((await again.getKey('aes')).keyType).toBe('oct-HSM');
    expect((await again.getDeletedKey('gone')).name).toBe('gone');
    expect(await restError(again.getKey('gone'))).toMatchObject({ statusCode: 404 });
  } finally {
    await second.close();
  }
});

it('writes the CA to caFile and listens on the requested port', async () => {
  const probe = await startAzureKeyVaultEmulator();
  const port = probe.port;
  await probe.close();
  const caFile = join(dir, 'ca.pem');
  const kv = await startAzureKeyVaultEmulator({ port, caFile });
  try {
    expect(kv.url).toBe(`https://127.0.0.1:${port}`);
    expect(readFileSync(caFile, 'utf8')).toBe(kv.caPem);
    expect(kv.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    await expect(startAzureKeyVaultEmulator({ port })).rejects.toThrow(
      /could not listen on 127\.0\.0\.1/,
    );
  } finally {
    await kv.close();
  }
});
