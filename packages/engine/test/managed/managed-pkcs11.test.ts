/**
 * PKCS#11 managed keys on SoftHSM2 (seed 003): each listed mechanism, generation by
 * curve / key_bits, test/sign across hashes, and the typed refusals (bad PIN, wrong slot,
 * wrong mechanism for the key, missing key without allow_generate_key).
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import {
  CryptoClient,
  HASH_ALGORITHM_NAMES,
  SigningKeys,
  generateKeyMaterial,
} from '@keyplane/engine';
import type { SoftHsmToken } from '@keyplane/emulators';
import { createTestToken } from '../backends/support/pkcs11-token';
import { rejection } from '../support/rejection';
import { testRegistry, type TestRegistry } from './support';

const MESSAGE = Buffer.from('release 1.2.3');

describe('pkcs11 managed keys on SoftHSM2', () => {
  let token: SoftHsmToken;
  let reg: TestRegistry;
  const base = () => ({ library: token.module, token_label: token.label, pin: token.pin });

  beforeAll(async () => {
    token = await createTestToken('keyplane-managed');
    reg = await testRegistry();
  });
  afterAll(async () => {
    await reg.dispose();
    await token.dispose();
  });

  // Runs first: SoftHSM only checks a PIN while nothing in the process is logged in.
  it('refuses a bad PIN and a wrong slot with typed errors', async () => {
    await reg.keys.create('pkcs11', 'bad-pin', {
      ...base(),
      pin: '0000',
      key_label: 'x',
      mechanism: '0x1041',
    });
    const e = await rejection(reg.keys.testSign('bad-pin'));
    expect(e).toMatchObject({ code: 'ERR_AUTHENTICATION_FAILED', field: 'pin' });
    expect(e.message).not.toContain('0000');
    await reg.keys.delete('bad-pin');

    const noLabel = { library: token.module, pin: token.pin };
    await reg.keys.create('pkcs11', 'wrong-slot', {
      ...noLabel,
      slot: '4242',
      key_label: 'x',
      mechanism: '0x1041',
    });
    expect(await rejection(reg.keys.testSign('wrong-slot'))).toMatchObject({
      code: 'ERR_NOT_FOUND',
      field: 'slot',
      allowed: expect.arrayContaining([token.label]) as unknown,
    });
  });

  it.each(['P256', 'P384', 'P521'])(
    'CKM_ECDSA (0x1041) generates a %s key and test-signs with all nine hashes',
    async (curve) => {
      const name = `ec-${curve.toLowerCase()}`;
      await reg.keys.create('pkcs11', name, {
        ...base(),
        key_label: name,
        mechanism: '0x1041',
        curve,
        allow_generate_key: 'true',
      });
      const first = await reg.keys.testSign(name);
      expect(first).toMatchObject({
        key_generated: true,
        hash_algorithm: 'sha2-256',
        use_pss: false,
      });
      for (const hash of HASH_ALGORITHM_NAMES) {
        await expect(reg.keys.testSign(name, { hash_algorithm: hash })).resolves.toMatchObject({
          key_generated: false,
          hash_algorithm: hash,
        });
      }
    },
  );

  it('CKM_RSA_PKCS (0x0001) signs with all nine hashes; PSS is refused as contradicting the mechanism', async () => {
    await reg.keys.create('pkcs11', 'rsa-pkcs1', {
      ...base(),
      key_label: 'rsa-pkcs1',
      mechanism: '0x0001',
      key_bits: '2048',
      allow_generate_key: 'true',
    });
    for (const hash of HASH_ALGORITHM_NAMES) {
      await expect(reg.keys.testSign('rsa-pkcs1', { hash_algorithm: hash })).resolves.toMatchObject(
        { use_pss: false },
      );
    }
    expect(await rejection(reg.keys.testSign('rsa-pkcs1', { use_pss: true }))).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'use_pss',
    });
  });

  it('CKM_RSA_PKCS_PSS (0x000D) signs with PSS by default; SHA-3 is refused naming the allowed hashes', async () => {
    await reg.keys.create('pkcs11', 'rsa-pss', {
      ...base(),
      key_label: 'rsa-pss',
      mechanism: '0x000d',
      key_bits: '3072',
      allow_generate_key: 'true',
    });
    await expect(reg.keys.testSign('rsa-pss')).resolves.toMatchObject({
      use_pss: true,
      key_generated: true,
    });
    for (const hash of ['sha1', 'sha2-224', 'sha2-384', 'sha2-512']) {
      await expect(reg.keys.testSign('rsa-pss', { hash_algorithm: hash })).resolves.toMatchObject({
        use_pss: true,
      });
    }
    const e = await rejection(reg.keys.testSign('rsa-pss', { hash_algorithm: 'sha3-256' }));
    expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_HASH_ALGORITHM', field: 'hash_algorithm' });
    expect(await rejection(reg.keys.testSign('rsa-pss', { use_pss: false }))).toMatchObject({
      field: 'use_pss',
    });
  });

  it('CKM_RSA_PKCS_OAEP (0x0009) keys cannot sign: ERR_UNSUPPORTED_OPERATION naming the mechanism', async () => {
    await reg.keys.create('pkcs11', 'rsa-oaep', {
      ...base(),
      key_label: 'rsa-oaep',
      mechanism: '0x0009',
      key_bits: '2048',
      allow_generate_key: 'true',
      usages: 'sign,verify,encrypt,decrypt',
    });
    const e = await rejection(reg.keys.testSign('rsa-oaep'));
    expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_OPERATION', field: 'mechanism' });
    expect(e.allowed).toEqual(['0x000D (CKM_RSA_PKCS_PSS)', '0x0001 (CKM_RSA_PKCS)']);
  });

  it('refuses a mechanism that does not fit the key found, and a missing key without allow_generate_key', async () => {
    // ec-p256's key exists (generated above); CKM_RSA_PKCS cannot use it.
    await reg.keys.create('pkcs11', 'wrong-mech', {
      ...base(),
      key_label: 'ec-p256',
      mechanism: '0x0001',
    });
    const e = await rejection(reg.keys.testSign('wrong-mech'));
    expect(e).toMatchObject({
      code: 'ERR_UNSUPPORTED_KEY_TYPE',
      field: 'mechanism',
      allowed: ['0x1041 (CKM_ECDSA)'],
    });

    await reg.keys.create('pkcs11', 'absent', {
      ...base(),
      key_label: 'does-not-exist',
      mechanism: '0x1041',
      curve: 'P256',
    });
    expect(await rejection(reg.keys.testSign('absent'))).toMatchObject({
      code: 'ERR_NOT_FOUND',
      field: 'allow_generate_key',
    });
  });

  it('imports a key only with allow_store_key, over an existing one only with allow_replace_key', async () => {
    const material = generateKeyMaterial('ecdsa-p256');
    const params = { ...base(), key_label: 'stored', mechanism: '0x1041', curve: 'P256' };
    await reg.keys.create('pkcs11', 'stored', params);
    expect(await rejection(reg.keys.storeKey('stored', material))).toMatchObject({
      code: 'ERR_NOT_PERMITTED',
      field: 'allow_store_key',
    });
    await reg.keys.update('stored', { allow_store_key: 'true', any_mount: 'true' });
    const first = await reg.keys.storeKey('stored', material);
    expect(first.keyType).toBe('ecdsa-p256');
    // The key in the token is the imported material: its public key is the material's.
    const stored = await reg.keys.resolve('stored');
    const publicDer = (k: KeyObject) => k.export({ format: 'der', type: 'spki' });
    expect(publicDer(await stored.backend.getPublicKey(stored.key))).toEqual(
      publicDer(createPublicKey(material.key)),
    );
    expect(
      await rejection(reg.keys.storeKey('stored', generateKeyMaterial('ecdsa-p256'))),
    ).toMatchObject({ code: 'ERR_NOT_PERMITTED', field: 'allow_replace_key' });

    // Replacing: a signing key pinned to v1 keeps verifying v1 signatures after rotating to v2.
    const signing = new SigningKeys(reg.keys);
    await signing.create('stored-signer', { managed_key: 'stored' });
    const client = new CryptoClient(reg.keys, 'stored-signer');
    const v1 = await client.sign(MESSAGE);
    await reg.keys.update('stored', { allow_replace_key: 'true' });
    const replacement = generateKeyMaterial('ecdsa-p256');
    const second = await reg.keys.storeKey('stored', replacement);
    expect(second.version).not.toBe(first.version);
    expect((await signing.rotate('stored-signer')).latest_version).toBe(2);
    const v2 = await client.sign(MESSAGE);
    expect(v2.signature).toMatch(/^keyplane:v2:/);
    const der = Buffer.from(v2.signature.split(':')[2] ?? '', 'base64');
    expect(nodeVerify('sha256', MESSAGE, createPublicKey(replacement.key), der)).toBe(true);
    await expect(client.verify(MESSAGE, v1.signature)).resolves.toBe(true);
    await expect(client.verify(MESSAGE, v2.signature)).resolves.toBe(true);
  });

  it('finds an existing key by slot (decimal) and key_id, as Vault configures it', async () => {
    const generated = await reg.keys.resolve('ec-p384');
    const noLabel = { library: token.module, pin: token.pin };
    await reg.keys.create('pkcs11', 'by-id', {
      ...noLabel,
      slot: token.slot,
      key_id: generated.key.id,
      mechanism: '0x1041',
    });
    await expect(reg.keys.testSign('by-id', { hash_algorithm: 'sha2-384' })).resolves.toMatchObject(
      { key_generated: false },
    );
  });
});
