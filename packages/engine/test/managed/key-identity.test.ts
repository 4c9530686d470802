/**
 * Issue 8, high 1: a signing-key version pins its backend key (CKA_ID + public key SHA-256).
 * Changing a key-identifying parameter of a managed key in use is refused (old signatures keep
 * verifying); a key replaced behind Keyplane's back (same label, made with pkcs11-tool) is
 * refused when signing with the old version, and `rotate` pins the new key as v2.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { CryptoClient, ManagedKeys, SigningKeys } from '@keyplane/engine';
import type { SoftHsmToken } from '@keyplane/emulators';
import { pkcs11Tool } from '../../../emulators/test/support/pkcs11-tool';
import { createTestToken } from '../backends/support/pkcs11-token';
import { rejection } from '../support/rejection';
import { testRegistry, type TestRegistry } from './support';

const MESSAGE = Buffer.from('release 2.0.0');

describe('signing-key versions pin the managed key identity (SoftHSM2)', () => {
  let token: SoftHsmToken;
  let reg: TestRegistry;
  const base = () => ({
    library: token.module,
    token_label: token.label,
    pin: token.pin,
    mechanism: '0x1041',
    curve: 'P256',
    allow_generate_key: 'true',
  });
  /** pkcs11-tool (OpenSC) on the same token: a change made outside Keyplane. */
  const tool = (...args: string[]) => pkcs11Tool(token, args);

  beforeAll(async () => {
    token = await createTestToken('keyplane-identity');
    reg = await testRegistry();
    await reg.keys.create('pkcs11', 'hsm1', { ...base(), key_label: 'one', any_mount: 'true' });
    await reg.keys.create('pkcs11', 'hsm-other', { ...base(), key_label: 'other' });
    await reg.keys.testSign('hsm1');
    await reg.keys.testSign('hsm-other');
  });
  afterAll(async () => {
    await reg.dispose();
    await token.dispose();
  });

  it('refuses changing which key or scheme a managed key in use designates; old signatures keep verifying', async () => {
    const signing = new SigningKeys(reg.keys);
    const created = await signing.create('s-hsm', { managed_key: 'hsm1' });
    const pinned = created.versions['1'];
    const one = await reg.keys.resolve('hsm1');
    const spki = (await one.backend.getPublicKey(one.key)).export({ type: 'spki', format: 'der' });
    expect(pinned).toMatchObject({
      backend_key_id: one.key.id,
      public_key_sha256: createHash('sha256').update(spki).digest('hex'),
    });
    const client = new CryptoClient(reg.keys, 's-hsm');
    const old = await client.sign(MESSAGE);

    const changes: [string, Record<string, string>][] = [
      ['key_label', { key_label: 'other' }],
      ['token_label', { token_label: 'elsewhere' }],
      ['mechanism', { mechanism: '0x0001', key_bits: '2048' }],
    ];
    for (const [field, change] of changes) {
      const e = await rejection(reg.keys.update('hsm1', change));
      expect(e).toMatchObject({ code: 'ERR_IN_USE', field });
      expect(e.message).toContain('signing key(s) s-hsm');
    }
    expect((await reg.keys.read('hsm1')).key_label).toBe('one');
    // Parameters that do not pick the key may change.
    await expect(reg.keys.update('hsm1', { max_parallel: '2' })).resolves.toMatchObject({
      max_parallel: 2,
    });
    await expect(client.verify(MESSAGE, old.signature)).resolves.toBe(true);
    const der = Buffer.from(old.signature.split(':')[2] ?? '', 'base64');
    expect(
      nodeVerify(
        'sha256',
        MESSAGE,
        createPublicKey({ key: spki, format: 'der', type: 'spki' }),
        der,
      ),
    ).toBe(true);

    // Without consumers the same change is allowed (nothing pinned the key).
    await reg.keys.update('hsm-other', { key_label: 'other2' });
    await reg.keys.update('hsm-other', { key_label: 'other' });
  });

  it('refuses signing with a version whose key was replaced under the same label; rotate pins the new key', async () => {
    const signing = new SigningKeys(reg.keys);
    await signing.create('s-replaced', { managed_key: 'hsm1' });
    tool('--delete-object', '--type', 'privkey', '--label', 'one');
    tool('--delete-object', '--type', 'pubkey', '--label', 'one');
    tool('--keypairgen', '--key-type', 'EC:prime256v1', '--label', 'one', '--id', '0a0b');

    // A fresh client, as the next CLI process would be.
    const fresh = new ManagedKeys({ store: reg.store });
    try {
      const e = await rejection(new CryptoClient(fresh, 's-replaced').sign(MESSAGE));
      expect(e).toMatchObject({ code: 'ERR_INTEGRITY', field: 'version' });
      expect(e.message).toContain('not the key this signing key pinned');
      const rotated = await new SigningKeys(fresh).rotate('s-replaced');
      expect(rotated.latest_version).toBe(2);
      expect(rotated.versions['2']?.backend_key_id).toBe('0a0b');
      const signed = await new CryptoClient(fresh, 's-replaced').sign(MESSAGE);
      expect(signed.signature).toMatch(/^keyplane:v2:/);
    } finally {
      await fresh.close();
    }
  });
});
