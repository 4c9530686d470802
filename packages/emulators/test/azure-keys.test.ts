/**
 * Azure Key Vault emulator, key lifecycle through the real `@azure/keyvault-keys` KeyClient:
 * wire quirks (401 challenge, api-version, trailing slash), create / get / list / versions /
 * update, soft delete → get deleted → recover / purge, service flavours, error shapes.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { KeyClient } from '@azure/keyvault-keys';
import { startAzureKeyVaultEmulator, type AzureKeyVaultEmulator } from '../src/azure-key-vault';
import { anyArray, keyClient, matching, rawRequest, restError } from './support/azure-sdk';

let kv: AzureKeyVaultEmulator;
let hsm: AzureKeyVaultEmulator;
let client: KeyClient;

beforeAll(async () => {
  [kv, hsm] = await Promise.all([
    startAzureKeyVaultEmulator({ service: 'vault' }),
    startAzureKeyVaultEmulator({ service: 'managed-hsm' }),
  ]);
  client = keyClient(kv);
});

afterAll(async () => {
  await Promise.all([kv.close(), hsm.close()]);
});

describe('wire protocol', () => {
  it('answers a request without a token with the 401 bearer challenge the SDK parses', async () => {
    const res = await rawRequest(kv, 'GET', '/keys?api-version=7.5', { token: null });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(
      /^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[0-9a-f-]+", resource="https:\/\/vault\.azure\.net"$/,
    );
    expect(res.json).toMatchObject({ error: { code: 'Unauthorized' } });
  });

  it('requires api-version and accepts it as api%2Dversion', async () => {
    const missing = await rawRequest(kv, 'GET', '/keys');
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({
      error: { code: 'BadParameter', message: matching(/api-version/) },
    });
    const encoded = await rawRequest(kv, 'GET', '/keys?api%2Dversion=7.4');
    expect(encoded.status).toBe(200);
    expect(encoded.json).toMatchObject({ value: anyArray() });
  });

  it('serves the latest version on /keys/{name}/ (trailing slash) and without it', async () => {
    const created = await client.createEcKey('trailing', { curve: 'P-256' });
    for (const path of ['/keys/trailing/?api-version=7.5', '/keys/TRAILING?api-version=7.5']) {
      const res = await rawRequest(kv, 'GET', path);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ key: { kid: created.id, kty: 'EC', crv: 'P-256' } });
    }
  });

  it('answers unknown paths and bad names with the service error shape', async () => {
    const unknown = await rawRequest(kv, 'GET', '/secrets/x?api-version=7.5');
    expect(unknown.status).toBe(404);
    const bad = await restError(client.createEcKey('bad_name!'));
    expect(bad).toMatchObject({ statusCode: 400, code: 'BadParameter' });
  });
});

describe('create, get, list, update', () => {
  it('creates software and HSM keys with key_ops, attributes and tags', async () => {
    const expiresOn = new Date(Math.floor(Date.now() / 1000 + 3600) * 1000);
    const rsa = await client.createRsaKey('rsa-soft', {
      keySize: 2048,
      keyOps: ['sign', 'verify'],
      tags: { team: 'keyplane' },
      expiresOn,
    });
    expect(rsa.keyType).toBe('RSA');
    expect(rsa.keyOperations).toEqual(['sign', 'verify']);
    expect(rsa.key?.n?.length).toBe(256);
    expect(rsa.properties).toMatchObject({ enabled: true, expiresOn, tags: { team: 'keyplane' } });
    expect(rsa.properties.recoveryLevel).toBe('Recoverable+Purgeable');
    expect(rsa.id).toMatch(new RegExp(`^${kv.url}/keys/rsa-soft/[0-9a-f]{32}$`));

    const ec = await client.createEcKey('ec-hsm', { curve: 'P-384', hsm: true, enabled: false });
    expect(ec).toMatchObject({ keyType: 'EC-HSM', keyOperations: ['sign', 'verify'] });
    expect(ec.key?.crv).toBe('P-384');
    expect(ec.properties.enabled).toBe(false);

    const kek = await client.createRsaKey('kek', { hsm: true, keySize: 2048, keyOps: ['import'] });
    expect(kek).toMatchObject({ keyType: 'RSA-HSM', keyOperations: ['import'] });
  });

  it('refuses invalid create parameters', async () => {
    expect(await restError(client.createRsaKey('rsa-1024', { keySize: 1024 }))).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
    });
    // byok-specification: a KEK is RSA-HSM with key_ops ["import"] only.
    expect(await restError(client.createRsaKey('kek-soft', { keyOps: ['import'] }))).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
    });
    expect(await restError(client.createOctKey('aes', { hsm: true }))).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
    });
  });

  it('gets a key by version, lists keys page by page and lists versions', async () => {
    const v1 = await client.createEcKey('versioned', { curve: 'P-256' });
    const v2 = await client.createEcKey('versioned', { curve: 'P-256' });
    expect(v2.properties.version).not.toBe(v1.properties.version);
    expect((await client.getKey('versioned')).id).toBe(v2.id);
    const old = await client.getKey('versioned', { version: v1.properties.version ?? '' });
    expect(old.id).toBe(v1.id);

    const versions: string[] = [];
    for await (const p of client.listPropertiesOfKeyVersions('versioned'))
      versions.push(p.version ?? '');
    expect(versions.sort()).toEqual([v1.properties.version, v2.properties.version].sort());

    await Promise.all(['page-a', 'page-b', 'page-c'].map((n) => client.createEcKey(n)));
    const pages: string[][] = [];
    for await (const page of client.listPropertiesOfKeys().byPage({ maxPageSize: 2 }))
      pages.push(page.map((p) => p.name));
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flat()).toEqual(
      expect.arrayContaining(['page-a', 'page-b', 'page-c', 'versioned']),
    );
  });

  it('updates enabled, expiry, tags and key_ops of a version', async () => {
    const key = await client.createEcKey('updatable', { curve: 'P-256' });
    const notBefore = new Date(Math.floor(Date.now() / 1000 - 60) * 1000);
    const updated = await client.updateKeyProperties('updatable', key.properties.version ?? '', {
      enabled: false,
      notBefore,
      tags: { stage: 'test' },
      keyOps: ['verify'],
    });
    expect(updated.properties).toMatchObject({
      enabled: false,
      notBefore,
      tags: { stage: 'test' },
    });
    expect(updated.keyOperations).toEqual(['verify']);
    expect((await client.getKey('updatable')).properties.enabled).toBe(false);
  });

  it('answers a missing key with 404 KeyNotFound', async () => {
    expect(await restError(client.getKey('does-not-exist'))).toMatchObject({
      statusCode: 404,
      code: 'KeyNotFound',
    });
    expect(await restError(client.getKey('versioned', { version: '0'.repeat(32) }))).toMatchObject({
      statusCode: 404,
      code: 'KeyNotFound',
    });
  });
});

describe('plain JWK import', () => {
  it('imports a private JWK as a software key, or as an HSM key when asked (Hsm: true)', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = privateKey.export({ format: 'jwk' });
    const bytes = (v: string | undefined): Uint8Array => Buffer.from(v ?? '', 'base64url');
    const key = { kty: 'EC', crv: 'P-256', x: bytes(jwk.x), y: bytes(jwk.y), d: bytes(jwk.d) };
    const soft = await client.importKey('plain-soft', key);
    expect(soft).toMatchObject({ keyType: 'EC', keyOperations: ['sign', 'verify'] });
    expect(Buffer.from(soft.key?.x ?? [])).toEqual(Buffer.from(bytes(jwk.x)));
    expect(soft.key?.d).toBeUndefined();
    const hard = await client.importKey('plain-hsm', key, { hardwareProtected: true });
    expect(hard.keyType).toBe('EC-HSM');
    // A Managed HSM holds HSM keys only.
    expect((await keyClient(hsm).importKey('plain', key)).keyType).toBe('EC-HSM');
  });
});

describe('soft delete', () => {
  it('deletes, shows the deleted key, blocks the name, recovers, deletes again and purges', async () => {
    const key = await client.createEcKey('doomed', { curve: 'P-256' });
    const poller = await client.beginDeleteKey('doomed', { intervalInMs: 10 });
    const deleted = await poller.pollUntilDone();
    expect(deleted.properties.recoveryId).toBe(`${kv.url}/deletedkeys/doomed`);
    expect(deleted.properties.scheduledPurgeDate?.getTime()).toBeGreaterThan(
      Date.now() + 89 * 86_400_000,
    );

    expect(await restError(client.getKey('doomed'))).toMatchObject({
      statusCode: 404,
      code: 'KeyNotFound',
    });
    expect((await client.getDeletedKey('doomed')).id).toBe(key.id);
    const names: string[] = [];
    for await (const d of client.listDeletedKeys()) names.push(d.name);
    expect(names).toContain('doomed');
    // The name stays taken while the key is recoverable.
    expect(await restError(client.createEcKey('doomed'))).toMatchObject({
      statusCode: 409,
      code: 'Conflict',
    });

    const recovered = await (
      await client.beginRecoverDeletedKey('doomed', { intervalInMs: 10 })
    ).pollUntilDone();
    expect(recovered.id).toBe(key.id);
    expect((await client.getKey('doomed')).id).toBe(key.id);

    await (await client.beginDeleteKey('doomed', { intervalInMs: 10 })).pollUntilDone();
    await client.purgeDeletedKey('doomed');
    expect(await restError(client.getDeletedKey('doomed'))).toMatchObject({
      statusCode: 404,
      code: 'KeyNotFound',
    });
    expect(await restError(client.purgeDeletedKey('doomed'))).toMatchObject({ statusCode: 404 });
    // Purged: the name is free again.
    await client.createEcKey('doomed');
  });
});

describe('Managed HSM', () => {
  it('creates HSM keys (oct-HSM too) and refuses software keys', async () => {
    const hsmClient = keyClient(hsm);
    const aes = await hsmClient.createOctKey('aes', { hsm: true, keySize: 256 });
    expect(aes).toMatchObject({
      keyType: 'oct-HSM',
      keyOperations: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
    });
    expect(aes.key?.k).toBeUndefined();
    expect((await hsmClient.createRsaKey('rsa', { hsm: true })).keyType).toBe('RSA-HSM');
    expect(await restError(hsmClient.createRsaKey('soft'))).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
    });
  });
});
