/**
 * One central key distributed to AWS KMS, Azure Key Vault, GCP Cloud KMS (the emulators, in
 * process) and a SoftHSM2 token through the real SDKs / pkcs11js: identical public keys read back
 * through each cloud's own GetPublicKey, rotation reaching every cloud, min_enabled_version
 * disabling v1 everywhere, undistribute, AWS symmetric rotation with old ciphertext still
 * decrypting, every compatibility refusal (data-driven from the table), policy on distribute,
 * crash between cloud import and store write adopted (no duplicate), concurrent rotations from
 * two store connections (no duplicate version).
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import {
  KEY_TYPE_NAMES,
  KEYPLANE_TAGS,
  KMS_PROVIDERS,
  parsePolicy,
  publicKeyFingerprint,
  supportedKeyTypes,
  type KmsBackend,
} from '@keyplane/engine';
import type { AzureKeyVaultEmulator, SoftHsmToken } from '@keyplane/emulators';
import { AzureKeyVaultBackend } from '../../src/backends/azure-key-vault';
import { Pkcs11Backend } from '../../src/backends/pkcs11';
import { startAwsKmsTestEnv, type AwsKmsTestEnv } from '../backends/support/aws-kms';
import {
  backendConfig as azureConfig,
  startAzureTestEmulator,
} from '../backends/support/azure-key-vault';
import { startGcpKmsTestEnv, type GcpKmsTestEnv } from '../backends/support/gcp-kms';
import { backendConfig as pkcs11Config, createTestToken } from '../backends/support/pkcs11-token';
import { rejection } from '../support/rejection';
import { connectAzure, connectGcp, testLifecycle, type TestLifecycle } from './support';

const execFileAsync = promisify(execFile);

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.METADATA_SERVER_DETECTION = 'none';

jest.setTimeout(120_000);

describe('distribution to AWS, Azure, GCP and PKCS#11', () => {
  let t: TestLifecycle;
  let aws: AwsKmsTestEnv;
  let azure: AzureKeyVaultEmulator;
  let gcp: GcpKmsTestEnv;
  let token: SoftHsmToken;
  /** Independent backends (not the lifecycle's) for reading what reached each cloud. */
  let readers: Record<'aws' | 'azure' | 'gcp' | 'hsm', KmsBackend>;

  beforeAll(async () => {
    [aws, azure, gcp, token] = await Promise.all([
      startAwsKmsTestEnv(),
      startAzureTestEmulator('vault'),
      startGcpKmsTestEnv(),
      createTestToken('kp-lifecycle'),
    ]);
    t = await testLifecycle();
    await t.kms.create('aws', {
      provider: 'awskms',
      key_collection: 'us-east-1',
      credentials: { access_key: 'AKIDTEST', secret_key: 'test' },
      options: { endpoint: aws.emulator.url },
    });
    await connectAzure(t, 'azure', azure, 'keyplane-vault');
    await connectGcp(t, 'gcp', gcp);
    await t.kms.create('hsm', {
      provider: 'pkcs11',
      key_collection: token.label,
      credentials: { pin: token.pin },
      options: { library: token.module },
    });
    readers = {
      aws: aws.backend,
      azure: new AzureKeyVaultBackend(azureConfig(azure)),
      gcp: gcp.backend,
      hsm: new Pkcs11Backend(pkcs11Config(token)),
    };
  });
  afterAll(async () => {
    await t.dispose();
    await Promise.all([readers.azure.close(), readers.hsm.close()]);
    await Promise.all([aws.close(), azure.close(), gcp.close(), token.dispose()]);
  });

  /** The public key each cloud serves for version `v` of the distribution, as a fingerprint. */
  async function cloudFingerprint(
    kms: 'aws' | 'azure' | 'gcp' | 'hsm',
    key: string,
    v?: number,
  ): Promise<string> {
    const d = await t.keys.distributions.read(kms, key);
    const held = v === undefined ? undefined : d.versions[String(v)];
    const ref =
      kms === 'hsm'
        ? { name: d.kms_key_name, id: held?.cloud_id }
        : { name: d.kms_key_name, version: held?.cloud_version };
    return publicKeyFingerprint(await readers[kms].getPublicKey(ref));
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
        (await readers[kms].listVersions({ name })).map((v) => [
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
    const gcpStates = (await readers.gcp.listVersions({ name: 'shared-root' })).map((v) => v.state);
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
    const old = await aws.raw.send(
      new EncryptCommand({ KeyId: d.kms_key_name, Plaintext: plaintext }),
    );
    await t.keys.rotate('data-key');
    const after = await t.keys.distributions.read('aws', 'data-key');
    const arns = Object.values(after.versions).map((v) => v.cloud_id);
    expect(arns).toHaveLength(2);
    expect(new Set(arns).size).toBe(1);
    const rotations = await aws.raw.send(
      new ListKeyRotationsCommand({ KeyId: arns[0], IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
    );
    expect(
      (rotations.Rotations ?? []).map((r) => [r.KeyMaterialDescription, r.KeyMaterialState]),
    ).toEqual([
      ['keyplane-version=1', 'NON_CURRENT'],
      ['keyplane-version=2', 'CURRENT'],
    ]);
    const fresh = await aws.raw.send(
      new EncryptCommand({ KeyId: d.kms_key_name, Plaintext: plaintext }),
    );
    for (const blob of [old.CiphertextBlob, fresh.CiphertextBlob]) {
      const out = await aws.raw.send(new DecryptCommand({ CiphertextBlob: blob }));
      expect(Buffer.from(out.Plaintext ?? [])).toEqual(plaintext);
    }
    // A rerun (as after a crash) adopts both materials: still one key, still two materials.
    await t.keys.distributions.distribute('aws', 'data-key', { purpose: 'encrypt,decrypt' });
    const again = await aws.raw.send(
      new ListKeyRotationsCommand({ KeyId: arns[0], IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
    );
    expect(again.Rotations).toHaveLength(2);
  });

  it('refuses every combination the compatibility table does not allow, naming type, provider and allowed', async () => {
    for (const type of KEY_TYPE_NAMES) await t.keys.create(`c-${type}`, { type });
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
    expect(await t.keys.distributions.keysIn('aws')).toEqual(['data-key', 'shared-root']);
  });

  it('enforces the key policy on distribute', async () => {
    const policy = parsePolicy({
      version: 1,
      rules: { allowed_purposes: { awskms: ['encrypt', 'decrypt'] } },
    });
    const p = await t.second({ policy });
    try {
      expect(
        await rejection(
          p.keys.distributions.distribute('aws', 'c-ecdsa-p384', { purpose: 'sign,verify' }),
        ),
      ).toMatchObject({ code: 'ERR_POLICY_VIOLATION' });
      expect(await t.keys.distributions.keysIn('aws')).not.toContain('c-ecdsa-p384');
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
    expect(await readers.aws.listVersions({ name: d.kms_key_name })).toHaveLength(1);
  });

  it('two processes rotating one key at once create distinct versions, each once per cloud', async () => {
    await t.keys.create('contended', { type: 'rsa-2048' });
    await t.keys.distributions.distribute('azure', 'contended', { purpose: 'sign,verify' });
    await t.keys.distributions.distribute('aws', 'contended', { purpose: 'sign,verify' });
    const outputs = await Promise.all([
      rotateInChild(t.path, 'contended'),
      rotateInChild(t.path, 'contended'),
    ]);
    expect(outputs.map(Number).sort()).toEqual([2, 3]);
    const view = await t.keys.read('contended');
    expect(Object.keys(view.versions)).toEqual(['1', '2', '3']);
    expect(new Set(Object.values(view.versions).map((v) => v.fingerprint)).size).toBe(3);
    for (const kms of ['azure', 'aws'] as const) {
      const name = (await t.keys.distributions.read(kms, 'contended')).kms_key_name;
      const versions = (await readers[kms].listVersions({ name })).map((v) => v.keyplaneVersion);
      expect(versions.sort()).toEqual([1, 2, 3]);
    }
  });
  describe('kill -9 at each step, every cloud: the next run completes with no duplicate', () => {
    const clouds = ['aws', 'azure', 'gcp', 'hsm'] as const;
    const points = ['before-import', 'after-import'] as const;
    it.each(clouds.flatMap((kms) => points.map((point) => [kms, point] as const)))(
      '%s, killed %s',
      async (kms, point) => {
        const key = `crash-${kms}-${point}`;
        await t.keys.create(key, { type: 'rsa-2048' });
        expect(await killedChild(t.path, ['distribute', kms, key, 'sign,verify', point])).toBe(
          'SIGKILL',
        );
        const first = await t.keys.distributions.distribute(kms, key, { purpose: 'sign,verify' });
        expect(Object.keys(first.versions)).toEqual(['1']);
        // The rotation is killed while pushing v2; rerunning the distribution completes it.
        expect(await killedChild(t.path, ['rotate', kms, key, '-', point])).toBe('SIGKILL');
        const done = await t.keys.distributions.distribute(kms, key, { purpose: 'sign,verify' });
        expect(Object.keys(done.versions)).toEqual(['1', '2']);
        const inCloud = await readers[kms].listVersions({ name: done.kms_key_name });
        expect(inCloud.map((v) => v.keyplaneVersion).sort()).toEqual([1, 2]);
        expect((await t.keys.read(key)).latest_version).toBe(2);
      },
    );

    // AWS symmetric (one KMS key, material rotated): also killed between its SDK steps.
    const symmetricSteps = [
      ['before-import', 'before-import'],
      ['after:CreateKey', 'after:ImportKeyMaterial'],
      ['after-import', 'after-import'],
    ] as const;
    it.each(symmetricSteps)(
      'aws symmetric, distribute killed %s, rotation killed %s',
      async (distributePoint, rotatePoint) => {
        const key = `crash-aes-${distributePoint.replace(/\W/g, '-')}`;
        await t.keys.create(key, { type: 'aes256-gcm96' });
        const purpose = 'encrypt,decrypt';
        expect(
          await killedChild(t.path, ['distribute', 'aws', key, purpose, distributePoint]),
        ).toBe('SIGKILL');
        const first = await t.keys.distributions.distribute('aws', key, { purpose });
        expect(Object.keys(first.versions)).toEqual(['1']);
        expect(await killedChild(t.path, ['rotate', 'aws', key, '-', rotatePoint])).toBe('SIGKILL');
        const done = await t.keys.distributions.distribute('aws', key, { purpose });
        expect(Object.keys(done.versions)).toEqual(['1', '2']);
        const arn = done.versions['1']?.cloud_id;
        expect(done.versions['2']?.cloud_id).toBe(arn);
        const id = (await t.store.get('key', 'root', key))?.id ?? 'key record missing';
        expect(await awsKeysTagged(aws, id)).toEqual([arn]);
        const rotations = await aws.raw.send(
          new ListKeyRotationsCommand({ KeyId: arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
        );
        expect(
          (rotations.Rotations ?? []).map((r) => [r.KeyMaterialDescription, r.KeyMaterialState]),
        ).toEqual([
          ['keyplane-version=1', 'NON_CURRENT'],
          ['keyplane-version=2', 'CURRENT'],
        ]);
      },
    );
  });
});

/** ARNs of the emulator's KMS keys tagged for Keyplane key `id`, not pending deletion. */
async function awsKeysTagged(aws: AwsKmsTestEnv, id: string): Promise<string[]> {
  const arns: string[] = [];
  const keys = await aws.raw.send(new ListKeysCommand({}));
  for (const k of keys.Keys ?? []) {
    const tags = await aws.raw.send(new ListResourceTagsCommand({ KeyId: k.KeyId }));
    const meta = await aws.raw.send(new DescribeKeyCommand({ KeyId: k.KeyId }));
    const mine = (tags.Tags ?? []).some((g) => g.TagKey === KEYPLANE_TAGS.key && g.TagValue === id);
    if (mine && meta.KeyMetadata?.KeyState !== 'PendingDeletion')
      arns.push(meta.KeyMetadata?.Arn ?? '');
  }
  return arns;
}

/** Runs child/crash-worker.js and returns the signal that ended it. */
async function killedChild(path: string, args: readonly string[]): Promise<NodeJS.Signals | null> {
  const child = spawn(
    process.execPath,
    [join(__dirname, 'child', 'crash-worker.js'), path, ...args],
    {
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none' },
      stdio: 'ignore',
    },
  );
  return await new Promise((resolve) =>
    child.on('exit', (_code, signal) => {
      resolve(signal);
    }),
  );
}

/** Runs child/rotate-worker.js (a real second process on the same store); its stdout. */
async function rotateInChild(path: string, key: string): Promise<string> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [join(__dirname, 'child', 'rotate-worker.js'), path, key],
    {
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none' },
    },
  );
  return stdout.trim();
}
