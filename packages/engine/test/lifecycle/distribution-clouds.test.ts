/**
 * One central key distributed to AWS KMS, Azure Key Vault, GCP Cloud KMS (the emulators, in
 * process) and a SoftHSM2 token through the real SDKs / pkcs11js, on a SQLite and on a PostgreSQL
 * store: identical public keys read back through each cloud's own GetPublicKey, rotation reaching
 * every cloud, min_enabled_version disabling v1 everywhere, undistribute, AWS symmetric rotation
 * with old ciphertext still decrypting, every compatibility refusal (data-driven from the table),
 * policy on distribute, crash between cloud import and store write adopted (no duplicate).
 */
import { DecryptCommand, EncryptCommand, ListKeyRotationsCommand } from '@aws-sdk/client-kms';
import {
  KEY_TYPE_NAMES,
  KMS_PROVIDERS,
  parsePolicy,
  publicKeyFingerprint,
  supportedKeyTypes,
} from '@keyplane/engine';
import { rejection } from '../support/rejection';
import { startTestClouds, type CloudName, type TestClouds } from './clouds';
import { describeEachStore, testLifecycle, type TestLifecycle } from './support';

jest.setTimeout(120_000);

describeEachStore('distribution to AWS, Azure, GCP and PKCS#11', (fixture) => {
  let t: TestLifecycle;
  let c: TestClouds;

  beforeAll(async () => {
    c = await startTestClouds('kp-lifecycle');
    t = await testLifecycle({}, fixture());
    await c.connect(t);
  });
  afterAll(async () => {
    await t.dispose();
    await c.close();
  });

  /** The public key each cloud serves for version `v` of the distribution, as a fingerprint. */
  async function cloudFingerprint(kms: CloudName, key: string, v?: number): Promise<string> {
    const d = await t.keys.distributions.read(kms, key);
    const held = v === undefined ? undefined : d.versions[String(v)];
    const ref =
      kms === 'hsm'
        ? { name: d.kms_key_name, id: held?.cloud_id }
        : { name: d.kms_key_name, version: held?.cloud_version };
    return publicKeyFingerprint(await c.readers[kms].getPublicKey(ref));
  }

  it('puts one key into every cloud with identical public keys, rotates everywhere, disables v1 everywhere', async () => {
    const created = await t.keys.create('shared-root', { type: 'rsa-2048' });
    const clouds = ['aws', 'azure', 'gcp', 'hsm'] as const;
    for (const kms of clouds) {
      const d = await t.keys.distributions.distribute(kms, 'shared-root', {
        purpose: 'sign,verify',
      });
      expect(Object.keys(d.versions)).toEqual(['1']);
      expect(await cloudFingerprint(kms, 'shared-root', 1)).toBe(
        created.versions['1']?.fingerprint,
      );
    }
    expect((await t.keys.read('shared-root')).distributions).toEqual([
      'aws',
      'azure',
      'gcp',
      'hsm',
    ]);
    // A repeated distribute is idempotent; a different purpose is refused (immutable).
    await t.keys.distributions.distribute('aws', 'shared-root', { purpose: ['verify', 'sign'] });
    expect(
      await rejection(t.keys.distributions.distribute('aws', 'shared-root', { purpose: 'verify' })),
    ).toMatchObject({ code: 'ERR_ALREADY_EXISTS', field: 'purpose' });

    const rotated = await t.keys.rotate('shared-root');
    const v2 = rotated.versions['2']?.fingerprint;
    for (const kms of clouds) {
      expect(Object.keys((await t.keys.distributions.read(kms, 'shared-root')).versions)).toEqual([
        '1',
        '2',
      ]);
      expect(await cloudFingerprint(kms, 'shared-root', 2)).toBe(v2);
    }
    // The current version each cloud resolves by name alone is the latest (AWS alias, Azure, GCP).
    for (const kms of ['aws', 'azure', 'gcp'] as const)
      expect(await cloudFingerprint(kms, 'shared-root')).toBe(v2);

    await t.keys.update('shared-root', { min_enabled_version: 2 });
    for (const kms of clouds) {
      const name = (await t.keys.distributions.read(kms, 'shared-root')).kms_key_name;
      const states = Object.fromEntries(
        (await c.readers[kms].listVersions({ name })).map((v) => [
          String(v.keyplaneVersion),
          v.state,
        ]),
      );
      expect(states).toEqual({ '1': 'disabled', '2': 'enabled' });
    }

    expect(await rejection(t.kms.delete('aws'))).toMatchObject({ code: 'ERR_IN_USE' });
    await t.keys.update('shared-root', { deletion_allowed: true });
    expect(await rejection(t.keys.delete('shared-root'))).toMatchObject({ code: 'ERR_IN_USE' });
    await t.keys.distributions.undistribute('gcp', 'shared-root');
    const gcpStates = (await c.readers.gcp.listVersions({ name: 'shared-root' })).map(
      (v) => v.state,
    );
    expect(gcpStates.every((s) => s === 'destroyed' || s === 'pending-deletion')).toBe(true);
    expect((await t.keys.read('shared-root')).distributions).toEqual(['aws', 'azure', 'hsm']);
    expect(await t.keys.distributions.keysIn('gcp')).toEqual([]);
  });

  it('AWS symmetric: one KMS key, new material per version (NEW_KEY_MATERIAL + RotateKeyOnDemand), old ciphertext still decrypts', async () => {
    await t.keys.create('data-key', { type: 'aes256-gcm96' });
    const d = await t.keys.distributions.distribute('aws', 'data-key', {
      purpose: 'encrypt,decrypt',
    });
    const plaintext = Buffer.from('customer record 42');
    const old = await c.aws.raw.send(
      new EncryptCommand({ KeyId: d.kms_key_name, Plaintext: plaintext }),
    );
    await t.keys.rotate('data-key');
    const after = await t.keys.distributions.read('aws', 'data-key');
    const arns = Object.values(after.versions).map((v) => v.cloud_id);
    expect(arns).toHaveLength(2);
    expect(new Set(arns).size).toBe(1);
    const rotations = await c.aws.raw.send(
      new ListKeyRotationsCommand({ KeyId: arns[0], IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
    );
    expect(
      (rotations.Rotations ?? []).map((r) => [r.KeyMaterialDescription, r.KeyMaterialState]),
    ).toEqual([
      ['keyplane-version=1', 'NON_CURRENT'],
      ['keyplane-version=2', 'CURRENT'],
    ]);
    const fresh = await c.aws.raw.send(
      new EncryptCommand({ KeyId: d.kms_key_name, Plaintext: plaintext }),
    );
    for (const blob of [old.CiphertextBlob, fresh.CiphertextBlob]) {
      const out = await c.aws.raw.send(new DecryptCommand({ CiphertextBlob: blob }));
      expect(Buffer.from(out.Plaintext ?? [])).toEqual(plaintext);
    }
    // A rerun (as after a crash) adopts both materials: still one key, still two materials.
    await t.keys.distributions.distribute('aws', 'data-key', { purpose: 'encrypt,decrypt' });
    const again = await c.aws.raw.send(
      new ListKeyRotationsCommand({ KeyId: arns[0], IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
    );
    expect(again.Rotations).toHaveLength(2);
  });

  it('refuses every combination the compatibility table does not allow, naming type, provider and allowed', async () => {
    for (const type of KEY_TYPE_NAMES) await t.keys.create(`c-${type}`, { type });
    const before = await t.keys.distributions.keysIn('aws');
    for (const [kms, provider] of [
      ['aws', 'awskms'],
      ['azure', 'azurekeyvault'],
      ['gcp', 'gcpckms'],
    ] as const) {
      const allowed = supportedKeyTypes(KMS_PROVIDERS[provider], 'vault');
      for (const type of KEY_TYPE_NAMES.filter((k) => !allowed.includes(k))) {
        const e = await rejection(
          t.keys.distributions.distribute(kms, `c-${type}`, { purpose: 'sign' }),
        );
        expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_TYPE', field: 'type', allowed });
        expect(e.message).toContain(type);
        expect(e.message).toContain(provider);
      }
    }
    expect(
      await rejection(t.keys.distributions.distribute('hsm', 'c-ed25519', { purpose: 'sign' })),
    ).toMatchObject({
      code: 'ERR_UNSUPPORTED_KEY_TYPE',
      field: 'type',
    });
    expect(
      await rejection(
        t.keys.distributions.distribute('aws', 'c-rsa-2048', { purpose: 'encrypt,sign' }),
      ),
    ).toMatchObject({ code: 'ERR_UNSUPPORTED_PURPOSE', field: 'purpose' });
    expect(
      await rejection(
        t.keys.distributions.distribute('aws', 'c-rsa-2048', {
          purpose: 'sign',
          protection: 'software',
        }),
      ),
    ).toMatchObject({ code: 'ERR_UNSUPPORTED_PROTECTION', field: 'protection', allowed: ['hsm'] });
    expect(
      await rejection(
        t.keys.distributions.distribute('aws', 'c-ecdsa-p256', { purpose: 'encrypt' }),
      ),
    ).toMatchObject({
      code: 'ERR_UNSUPPORTED_PURPOSE',
      field: 'purpose',
    });
    expect(
      await rejection(t.keys.distributions.distribute('aws', 'c-ecdsa-p256', { purpose: 'mac' })),
    ).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'purpose',
    });
    // Nothing was half-created.
    expect(await t.keys.distributions.keysIn('aws')).toEqual(before);
  });

  it('enforces the key policy on distribute', async () => {
    const policy = parsePolicy({
      version: 1,
      rules: { allowed_purposes: { awskms: ['encrypt', 'decrypt'] } },
    });
    await t.keys.create('policed', { type: 'ecdsa-p384' });
    const p = await t.second({ policy });
    try {
      expect(
        await rejection(
          p.keys.distributions.distribute('aws', 'policed', { purpose: 'sign,verify' }),
        ),
      ).toMatchObject({ code: 'ERR_POLICY_VIOLATION' });
      expect(await t.keys.distributions.keysIn('aws')).not.toContain('policed');
    } finally {
      await p.close();
    }
  });

  it('adopts the cloud key a crashed run imported before its store write (no duplicate)', async () => {
    await t.keys.create('crashy', { type: 'ecdsa-p256' });
    const crashing = await t.second({
      openBackend: async (config) => {
        const { createKmsBackend } = await import('@keyplane/engine');
        const real = await createKmsBackend(config);
        const importKeyVersion = real.importKeyVersion.bind(real);
        real.importKeyVersion = async (...args) => {
          await importKeyVersion(...args);
          throw new Error('simulated crash after the cloud import, before the store write');
        };
        return real;
      },
    });
    try {
      await expect(
        crashing.keys.distributions.distribute('aws', 'crashy', { purpose: 'sign' }),
      ).rejects.toThrow('simulated crash');
    } finally {
      await crashing.close();
    }
    const d = await t.keys.distributions.distribute('aws', 'crashy', { purpose: 'sign' });
    expect(Object.keys(d.versions)).toEqual(['1']);
    expect(await c.readers.aws.listVersions({ name: d.kms_key_name })).toHaveLength(1);
  });
});
