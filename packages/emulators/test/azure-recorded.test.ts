/**
 * Azure Key Vault / Managed HSM emulator: behaviours and messages recorded from the real
 * services, through the real `@azure/keyvault-keys` clients — empty version pages for missing
 * keys, Managed HSM oct-HSM key_ops and its own challenge resource, the error wordings code
 * matches on, the RSA-HSM exponent encoding — and soft delete's eventual consistency
 * (`consistencyDelayMs`), which the SDK's delete poller rides out.
 */
import { KeyClient } from '@azure/keyvault-keys';
import { startAzureKeyVaultEmulator, type AzureKeyVaultEmulator } from '../src/azure-key-vault';
import { clientOptions, keyClient, rawRequest, restError } from './support/azure-sdk';

let kv: AzureKeyVaultEmulator;
let hsm: AzureKeyVaultEmulator;
let eventual: AzureKeyVaultEmulator;
let client: KeyClient;

const DELAY_MS = 400;

beforeAll(async () => {
  [kv, hsm, eventual] = await Promise.all([
    startAzureKeyVaultEmulator({ service: 'vault' }),
    startAzureKeyVaultEmulator({ service: 'managed-hsm' }),
    startAzureKeyVaultEmulator({ service: 'vault', consistencyDelayMs: DELAY_MS }),
  ]);
  client = keyClient(kv);
});

afterAll(async () => {
  await Promise.all([kv.close(), hsm.close(), eventual.close()]);
});

test('listing the versions of a key that does not exist yields nothing (200, empty page)', async () => {
  const seen: unknown[] = [];
  for await (const v of client.listPropertiesOfKeyVersions('never-created')) seen.push(v);
  expect(seen).toEqual([]);
  const raw = await rawRequest(kv, 'GET', '/keys/never-created/versions?api-version=7.5');
  expect(raw).toMatchObject({ status: 200, json: { value: [], nextLink: null } });
});

describe('Managed HSM', () => {
  test('creates oct-HSM keys with deriveKey and every other op the service grants', async () => {
    const ops = ['deriveKey', 'wrapKey', 'verify', 'sign', 'unwrapKey', 'encrypt', 'decrypt'];
    const key = await keyClient(hsm).createOctKey('aes-all-ops', {
      hsm: true,
      keySize: 256,
      keyOps: ops,
    });
    expect(key.keyType).toBe('oct-HSM');
    expect([...(key.keyOperations ?? [])].sort()).toEqual([...ops].sort());
    const plain = await keyClient(hsm).createOctKey('aes-default-ops', { hsm: true });
    expect(plain.keyOperations).toEqual(['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
  });

  test('challenges with resource="https://managedhsm.azure.net" and an empty body; the SDK asks for that scope', async () => {
    const raw = await rawRequest(hsm, 'GET', '/keys?api-version=7.5', { token: null });
    expect(raw.status).toBe(401);
    expect(raw.headers['www-authenticate']).toMatch(/resource="https:\/\/managedhsm\.azure\.net"$/);
    expect(raw.json).toBeUndefined();
    const scopes: string[][] = [];
    const recording = new KeyClient(
      hsm.url,
      {
        getToken: (scope) => {
          scopes.push(Array.isArray(scope) ? scope : [scope]);
          return Promise.resolve({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 });
        },
      },
      clientOptions(hsm),
    );
    const listed: string[] = [];
    for await (const k of recording.listPropertiesOfKeys()) listed.push(k.name);
    expect(listed).toContain('aes-all-ops'); // created by the test above
    expect(scopes).toEqual([['https://managedhsm.azure.net/.default']]);
  });
});

describe('error wordings', () => {
  test('a vault 401 says AKV10000', async () => {
    const raw = await rawRequest(kv, 'GET', '/keys?api-version=7.5', { token: null });
    expect(raw.json).toEqual({
      error: {
        code: 'Unauthorized',
        message: 'AKV10000: Request is missing a Bearer or PoP token.',
      },
    });
  });

  test('an empty key name is 400 BadParameter "Operation not specified"', async () => {
    const raw = await rawRequest(kv, 'POST', '/keys//create?api-version=7.5', {
      body: { kty: 'RSA' },
    });
    expect(raw).toMatchObject({
      status: 400,
      json: { error: { code: 'BadParameter', message: 'Operation not specified' } },
    });
  });

  test('recovering a key that is not deleted: 404 KeyNotFound with the live-key wording', async () => {
    const e = await restError(client.beginRecoverDeletedKey('not-deleted'));
    expect(e).toMatchObject({ statusCode: 404, code: 'KeyNotFound' });
    expect(e.message).toMatch(
      /^A key with \(name\/id\) not-deleted was not found in this key vault\./,
    );
  });

  test('an exportable key without a release policy: AKV.SKR.1004', async () => {
    const e = await restError(client.createRsaKey('exportable', { exportable: true }));
    expect(e).toMatchObject({ statusCode: 400, code: 'BadParameter' });
    expect(e.message).toBe('AKV.SKR.1004: Exportable keys must have release policy.');
  });
});

test('RSA-HSM keys carry e = AAEAAQ (4 bytes); software RSA keys AQAB', async () => {
  const [hsmKey, softKey] = await Promise.all([
    client.createRsaKey('rsa-hsm-e', { hsm: true, keySize: 2048 }),
    client.createRsaKey('rsa-soft-e', { keySize: 2048 }),
  ]);
  expect(Buffer.from(hsmKey.key?.e ?? []).toString('base64url')).toBe('AAEAAQ');
  expect(Buffer.from(softKey.key?.e ?? []).toString('base64url')).toBe('AQAB');
  const raw = await rawRequest(kv, 'GET', `/keys/rsa-hsm-e/?api-version=7.5`);
  expect(raw.json).toMatchObject({ key: { e: 'AAEAAQ' } });
});

describe('soft delete is eventually consistent (consistencyDelayMs)', () => {
  test('right after DELETE the deleted key is "not found" for a moment; the SDK poller waits it out', async () => {
    const eventualClient = keyClient(eventual);
    await eventualClient.createEcKey('eventual', { curve: 'P-256' });
    const deleted = await rawRequest(eventual, 'DELETE', '/keys/eventual?api-version=7.5');
    expect(deleted.status).toBe(200);
    const early = await rawRequest(eventual, 'GET', '/deletedkeys/eventual?api-version=7.5');
    expect(early).toMatchObject({
      status: 404,
      json: { error: { code: 'KeyNotFound', message: 'Deleted Key not found: eventual' } },
    });
    expect(
      (await rawRequest(eventual, 'DELETE', '/deletedkeys/eventual?api-version=7.5')).status,
    ).toBe(404);
    // The name is still taken meanwhile.
    expect((await restError(eventualClient.createEcKey('eventual'))).statusCode).toBe(409);

    await eventualClient.createEcKey('polled', { curve: 'P-256' });
    const poller = await eventualClient.beginDeleteKey('polled', { intervalInMs: 50 });
    const result = await poller.pollUntilDone();
    expect(result.name).toBe('polled');
    expect((await eventualClient.getDeletedKey('polled')).name).toBe('polled');
    await eventualClient.purgeDeletedKey('polled');
  });
});
