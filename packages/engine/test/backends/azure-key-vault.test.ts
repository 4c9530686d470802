/**
 * Azure Key Vault backend specifics beyond the shared conformance suite, through the real
 * `@azure/keyvault-keys` SDK against the local emulator: seed 000's shape (RSA-HSM 4096 signing
 * SHA-512), real 429 throttling from the emulator's quota table with Retry-After, per-version
 * "deletion" semantics and the mapping of key-state / key_ops / decryption failures to Keyplane error codes.
 */
import { constants, createHash, randomBytes, verify as nodeVerify } from 'node:crypto';
import { generateKeyMaterial } from '@keyplane/engine';
import type { AzureKeyVaultEmulator } from '@keyplane/emulators';
import { AzureKeyVaultBackend } from '../../src/backends/azure-key-vault';
import type { KeyRef } from '../../src/backends/contract';
import { backendConfig, newKeyName, startAzureTestEmulator } from './support/azure-key-vault';
import { rejection } from '../support/rejection';

// Belt and braces: no SDK may probe a cloud metadata service from these tests.
process.env.METADATA_SERVER_DETECTION = 'none';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const MESSAGE = Buffer.from('keyplane azure backend message');

let vault: AzureKeyVaultEmulator;
let hsm: AzureKeyVaultEmulator;
let backend: AzureKeyVaultBackend;
let hsmBackend: AzureKeyVaultBackend;

beforeAll(async () => {
  [vault, hsm] = await Promise.all([
    startAzureTestEmulator('vault'),
    startAzureTestEmulator('managed-hsm'),
  ]);
  backend = new AzureKeyVaultBackend(backendConfig(vault));
  hsmBackend = new AzureKeyVaultBackend(backendConfig(hsm));
});

afterAll(async () => {
  await Promise.all([backend.close(), hsmBackend.close()]);
  await Promise.all([vault.close(), hsm.close()]);
});

describe('seed 000: an RSA-HSM 4096 key signs SHA-512 (test/sign)', () => {
  it('generates, signs a message with sha2-512 and verifies it (node:crypto and the vault)', async () => {
    const ref = { name: newKeyName('seed000') };
    const key = await backend.generateKey(ref, { keyType: 'rsa-4096', usages: ['sign', 'verify'] });
    expect(key).toMatchObject({ keyType: 'rsa-4096', protection: 'hsm', enabled: true });
    expect(key.id).toBe(`${vault.url}/keys/${ref.name}/${key.version}`);
    expect(key.tags).toMatchObject({ 'keyplane-key': ref.name });
    const signature = await backend.sign(ref, MESSAGE, { hash: 'sha2-512' });
    const publicKey = await backend.getPublicKey(ref);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(
      nodeVerify(
        'sha512',
        MESSAGE,
        { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
        signature,
      ),
    ).toBe(true);
    await expect(backend.verify(ref, MESSAGE, signature, { hash: 'sha2-512' })).resolves.toBe(true);
    await expect(
      backend.verify(ref, MESSAGE, signature, { hash: 'sha2-512', pss: true }),
    ).resolves.toBe(false);
  });
});

describe('throttling (429 from the emulator quota table)', () => {
  afterEach(() => {
    vault.quotas.configure({});
  });

  it('honours Retry-After and succeeds after retries; fails fast when told to wait too long', async () => {
    const ref = { name: newKeyName('throttle') };
    await backend.generateKey(ref, {
      keyType: 'ecdsa-p256',
      usages: ['sign'],
      protection: 'software',
    });
    // One call per half second for software EC keys: the sign's own requests hit the limit and the
    // emulator answers 429 with Retry-After: 1 (its smallest unit).
    vault.quotas.configure({ 'software-ec': { limit: 1, windowSeconds: 0.5 } });

    const impatient = new AzureKeyVaultBackend(
      backendConfig(vault, { retry: { maxAttempts: 3, maxRetryAfterMs: 100 } }),
    );
    // The sign's key lookup is admitted; its next request gets 429 + Retry-After: 1.
    const first = await rejection(impatient.sign(ref, MESSAGE, { hash: 'sha2-256' }));
    expect(first).toMatchObject({ code: 'ERR_BACKEND_UNAVAILABLE', backendCode: '429 Throttled' });
    expect(first.message).toMatch(/retry after 1000 ms/);
    await impatient.close();

    await new Promise((r) => setTimeout(r, 600));
    const started = Date.now();
    const patient = new AzureKeyVaultBackend(
      backendConfig(vault, { retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5 } }),
    );
    const signature = await patient.sign(ref, MESSAGE, { hash: 'sha2-256' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const publicKey = await backend.getPublicKey(ref);
    expect(nodeVerify('sha256', MESSAGE, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(
      true,
    );
    await patient.close();
  });
});

describe('version deletion semantics (Azure cannot delete one version)', () => {
  it('disables and tags the version pending-deletion; it cannot sign or be re-enabled', async () => {
    const ref: KeyRef = { name: newKeyName('versions') };
    const base = { keyplaneKey: 'central-versions', usages: ['sign', 'verify'] as const };
    const v1 = await backend.importKeyVersion(ref, generateKeyMaterial('rsa-2048'), {
      ...base,
      usages: [...base.usages],
      keyplaneVersion: 1,
    });
    const v2 = await backend.importKeyVersion(ref, generateKeyMaterial('rsa-2048'), {
      ...base,
      usages: [...base.usages],
      keyplaneVersion: 2,
    });
    const at1 = { ...ref, version: v1.version };

    await expect(rejection(backend.scheduleVersionDeletion(ref))).resolves.toMatchObject({
      code: 'ERR_MISSING_PARAMETER',
      field: 'version',
    });
    const deleted = await backend.scheduleVersionDeletion(at1, { pendingWindowDays: 7 });
    expect(deleted).toMatchObject({
      state: 'pending-deletion',
      keyplaneKey: 'central-versions',
      keyplaneVersion: 1,
    });
    const key = await backend.getKey(at1);
    expect(key.enabled).toBe(false);
    expect(key.tags).toMatchObject({
      'keyplane-state': 'pending-deletion',
      'keyplane-version': '1',
    });

    await expect(
      rejection(backend.sign(at1, MESSAGE, { hash: 'sha2-256' })),
    ).resolves.toMatchObject({
      code: 'ERR_KEY_STATE',
    });
    await expect(rejection(backend.setVersionEnabled(at1, true))).resolves.toMatchObject({
      code: 'ERR_KEY_STATE',
    });
    // The latest version (v2) is untouched and is what a versionless ref uses.
    expect((await backend.getKey(ref)).version).toBe(v2.version);
    await expect(backend.sign(ref, MESSAGE, { hash: 'sha2-256' })).resolves.toBeInstanceOf(Buffer);
    const states = (await backend.listVersions(ref)).map((v) => [v.keyplaneVersion, v.state]);
    expect(states).toEqual([
      [1, 'pending-deletion'],
      [2, 'enabled'],
    ]);
  });
});

describe('error mapping', () => {
  it('lists the versions of a missing key as ERR_NOT_FOUND, though the vault answers an empty page', async () => {
    const ref: KeyRef = { name: newKeyName('missing') };
    await expect(rejection(backend.listVersions(ref))).resolves.toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
  });

  it('maps a disabled version to ERR_KEY_STATE for sign, verify and decrypt', async () => {
    const ref: KeyRef = { name: newKeyName('disabled') };
    const key = await backend.generateKey(ref, {
      keyType: 'rsa-2048',
      usages: ['sign', 'verify', 'decrypt', 'encrypt'],
    });
    const signature = await backend.sign(ref, MESSAGE, { hash: 'sha2-256' });
    const ciphertext = await backend.encrypt(ref, MESSAGE);
    const at = { ...ref, version: key.version };
    expect((await backend.setVersionEnabled(at, false)).state).toBe('disabled');
    for (const call of [
      backend.sign(at, MESSAGE, { hash: 'sha2-256' }),
      backend.verify(at, MESSAGE, signature, { hash: 'sha2-256' }),
      backend.decrypt(at, ciphertext),
    ]) {
      const e = await rejection(call);
      expect(e.code).toBe('ERR_KEY_STATE');
      expect(e.message).toContain(ref.name);
    }
    expect((await backend.setVersionEnabled(at, true)).state).toBe('enabled');
    await expect(backend.decrypt(at, ciphertext)).resolves.toEqual(MESSAGE);
  });

  it('maps key_ops refusals, bad ciphertext, bad names and unsupported protection', async () => {
    const ref: KeyRef = { name: newKeyName('encrypt-only') };
    await backend.generateKey(ref, { keyType: 'rsa-2048', usages: ['encrypt', 'decrypt'] });
    expect((await backend.getKey(ref)).signatures).toEqual([]);
    await expect(
      rejection(backend.sign(ref, MESSAGE, { hash: 'sha2-256' })),
    ).resolves.toMatchObject({
      code: 'ERR_UNSUPPORTED_OPERATION',
    });
    await expect(rejection(backend.decrypt(ref, randomBytes(256)))).resolves.toMatchObject({
      code: 'ERR_DECRYPTION_FAILED',
    });
    await expect(
      rejection(backend.encrypt(ref, MESSAGE, { algorithm: 'aes-256-gcm' })),
    ).resolves.toMatchObject({
      code: 'ERR_UNSUPPORTED_OPERATION',
      allowed: ['rsa-oaep-sha256', 'rsa-oaep-sha1'],
    });
    await expect(rejection(backend.getKey({ name: 'bad_name' }))).resolves.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'name',
    });
    await expect(
      rejection(
        hsmBackend.generateKey(
          { name: newKeyName('soft') },
          { keyType: 'rsa-2048', usages: ['sign'], protection: 'software' },
        ),
      ),
    ).resolves.toMatchObject({ code: 'ERR_UNSUPPORTED_PROTECTION', allowed: ['hsm'] });
    await expect(
      rejection(
        backend.generateKey({ name: newKeyName('mac') }, { keyType: 'rsa-2048', usages: ['mac'] }),
      ),
    ).resolves.toMatchObject({ code: 'ERR_UNSUPPORTED_PURPOSE', field: 'usages' });
  });
});

describe('Azure-specific operations', () => {
  it('wraps and unwraps with a Managed HSM AES key (A256KW); a corrupted blob fails as decryption', async () => {
    const ref = { name: newKeyName('aes-kw') };
    const key = await hsmBackend.generateKey(ref, {
      keyType: 'aes256-gcm96',
      usages: ['wrap', 'unwrap'],
    });
    expect(key).toMatchObject({
      keyType: 'aes256-gcm96',
      protection: 'hsm',
      usages: ['wrap', 'unwrap'],
      signatures: [],
    });
    const dataKey = randomBytes(32);
    const wrapped = await hsmBackend.wrapKey(ref, dataKey);
    expect(wrapped).toHaveLength(40);
    await expect(hsmBackend.unwrapKey(ref, wrapped)).resolves.toEqual(dataKey);
    wrapped[0] = (wrapped[0] ?? 0) ^ 1;
    await expect(rejection(hsmBackend.unwrapKey(ref, wrapped))).resolves.toMatchObject({
      code: 'ERR_DECRYPTION_FAILED',
    });
  });

  it('wraps with RSA-OAEP-256 and OAEP (SHA-1) on a vault RSA key', async () => {
    const ref = { name: newKeyName('rsa-wrap') };
    await backend.generateKey(ref, {
      keyType: 'rsa-3072',
      usages: ['wrap', 'unwrap'],
      protection: 'software',
    });
    const dataKey = randomBytes(32);
    for (const algorithm of ['rsa-oaep-sha256', 'rsa-oaep-sha1'] as const) {
      const wrapped = await backend.wrapKey(ref, dataKey, { algorithm });
      await expect(backend.unwrapKey(ref, wrapped, { algorithm })).resolves.toEqual(dataKey);
    }
    expect((await backend.getKey(ref)).protection).toBe('software');
  });

  it('imports software RSA as a plain JWK and EC (Managed HSM) through BYOK, reusing one KEK', async () => {
    const soft = { name: newKeyName('soft-import') };
    const material = generateKeyMaterial('rsa-2048');
    const v = await backend.importKeyVersion(soft, material, {
      keyplaneKey: 'k',
      keyplaneVersion: 1,
      usages: ['sign'],
      protection: 'software',
    });
    expect((await backend.getKey({ ...soft, version: v.version })).protection).toBe('software');

    const ecRef = { name: newKeyName('ec-import') };
    const ec = generateKeyMaterial('ecdsa-p384');
    const imported = await hsmBackend.importKeyVersion(ecRef, ec, {
      keyplaneKey: 'ec',
      keyplaneVersion: 3,
      usages: ['sign', 'verify'],
    });
    expect(imported).toMatchObject({ keyType: 'ecdsa-p384', keyplaneVersion: 3, state: 'enabled' });
    const digest = createHash('sha384').update(MESSAGE).digest();
    const signature = await hsmBackend.sign(ecRef, digest, { hash: 'sha2-384', input: 'digest' });
    expect(nodeVerify('sha384', MESSAGE, { key: ec.key, dsaEncoding: 'der' }, signature)).toBe(
      true,
    );
    await expect(
      hsmBackend.verify(ecRef, MESSAGE, Buffer.from('not der'), { hash: 'sha2-384' }),
    ).resolves.toBe(false);
    await expect(
      rejection(
        backend.importKeyVersion({ name: newKeyName('ec-vault') }, ec, {
          keyplaneKey: 'ec',
          keyplaneVersion: 1,
          usages: ['sign'],
        }),
      ),
    ).resolves.toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_TYPE' });

    // One KEK per vault, created once and tagged.
    const kek = await hsmBackend.getKey({ name: 'keyplane-kek-4096' });
    expect(kek).toMatchObject({
      keyType: 'rsa-4096',
      usages: [],
      tags: { 'keyplane-role': 'kek' },
    });
    await hsmBackend.importKeyVersion(ecRef, generateKeyMaterial('ecdsa-p384'), {
      keyplaneKey: 'ec',
      keyplaneVersion: 4,
      usages: ['sign'],
    });
    expect((await hsmBackend.getKey({ name: 'keyplane-kek-4096' })).version).toBe(kek.version);
  });
});
