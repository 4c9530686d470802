/**
 * AWS KMS and GCP Cloud KMS managed keys (seed 003 parameters) against the emulators:
 * generate on first test/sign, sign through a signing key, typed refusals, and throttling
 * absorbed by the retry policy.
 */
import { CryptoClient, SigningKeys } from '@keyplane/engine';
import { startAwsKmsEmulator, type AwsKmsEmulator } from '@keyplane/emulators';
import { startGcpKmsTestEnv, type GcpKmsTestEnv } from '../backends/support/gcp-kms';
import { rejection } from '../support/rejection';
import { gcpManagedKeyParams, testRegistry, type TestRegistry } from './support';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.METADATA_SERVER_DETECTION = 'none';

describe('awskms managed keys', () => {
  let emulator: AwsKmsEmulator;
  let reg: TestRegistry;
  const params = (extra: Record<string, string>) => ({
    endpoint: emulator.url,
    region: 'eu-west-1',
    access_key: 'AKIDMANAGEDTEST',
    secret_key: 'managed-test-secret',
    allow_generate_key: 'true',
    any_mount: 'true',
    ...extra,
  });
  beforeAll(async () => {
    emulator = await startAwsKmsEmulator({
      port: 0,
      region: 'eu-west-1',
      credentials: [{ accessKeyId: 'AKIDMANAGEDTEST', secretAccessKey: 'managed-test-secret' }],
    });
    reg = await testRegistry();
  });
  afterAll(async () => {
    await reg.dispose();
    await emulator.close();
  });

  it('generates ECDSA P-384 and RSA-3072 keys behind aliases and signs with them', async () => {
    await reg.keys.create(
      'awskms',
      'aws-ec',
      params({ kms_key: 'alias/keyplane-ec', key_type: 'ecdsa', curve: 'P384' }),
    );
    await expect(
      reg.keys.testSign('aws-ec', { hash_algorithm: 'sha2-384' }),
    ).resolves.toMatchObject({ key_generated: true });
    await reg.keys.create(
      'awskms',
      'aws-rsa',
      params({ kms_key: 'alias/keyplane-rsa', key_type: 'RSA', key_bits: '3072' }),
    );
    for (const use_pss of [false, true]) {
      await expect(
        reg.keys.testSign('aws-rsa', { hash_algorithm: 'sha2-512', use_pss }),
      ).resolves.toMatchObject({ use_pss });
    }
    expect(await rejection(reg.keys.testSign('aws-rsa', { hash_algorithm: 'sha1' }))).toMatchObject(
      {
        code: 'ERR_UNSUPPORTED_HASH_ALGORITHM',
        allowed: expect.arrayContaining(['sha2-256']) as unknown,
      },
    );
    await new SigningKeys(reg.keys).create('aws-signer', { managed_key: 'aws-rsa' });
    const client = new CryptoClient(reg.keys, 'aws-signer');
    const { signature } = await client.sign(Buffer.from('release.tar.gz'), {
      hash: 'sha2-256',
      pss: true,
    });
    await expect(
      client.verify(Buffer.from('release.tar.gz'), signature, { hash: 'sha2-256', pss: true }),
    ).resolves.toBe(true);
  });

  it('signs through a signing key with one KMS request per operation once warm', async () => {
    const client = new CryptoClient(reg.keys, 'aws-signer');
    await client.sign(Buffer.from('warm-up'));
    // A spy calls through: the emulator behaves as ever, the test only reads operation names.
    const decide = jest.spyOn(emulator.faults, 'decide');
    try {
      for (let i = 0; i < 3; i++) await client.sign(Buffer.from(`artifact ${String(i)}`));
      expect(decide.mock.calls.map(([operation]) => operation)).toEqual(['Sign', 'Sign', 'Sign']);
    } finally {
      decide.mockRestore();
    }
  });

  it('refuses a key whose type contradicts key_type, and generation under a bare key id', async () => {
    await reg.keys.create(
      'awskms',
      'aws-mismatch',
      params({ kms_key: 'alias/keyplane-ec', key_type: 'RSA', key_bits: '2048' }),
    );
    expect(await rejection(reg.keys.testSign('aws-mismatch'))).toMatchObject({
      code: 'ERR_UNSUPPORTED_KEY_TYPE',
      field: 'key_type',
    });
    await reg.keys.create(
      'awskms',
      'aws-bare-id',
      params({ kms_key: '11111111-2222-3333-4444-555555555555', key_type: 'ECDSA', curve: 'P256' }),
    );
    expect(await rejection(reg.keys.testSign('aws-bare-id'))).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
  });

  it('absorbs Sign throttling (ThrottlingException) with retries', async () => {
    emulator.quotas.configure({ Sign: { limit: 2, windowSeconds: 0.2 } });
    try {
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map(() => reg.keys.testSign('aws-ec', { hash_algorithm: 'sha2-384' })),
      );
      expect(results).toHaveLength(5);
    } finally {
      emulator.quotas.configure({});
    }
  });
});

describe('gcpckms managed keys', () => {
  let env: GcpKmsTestEnv;
  let reg: TestRegistry;
  const params = (crypto_key: string, algorithm: string) =>
    gcpManagedKeyParams(env, crypto_key, algorithm);
  beforeAll(async () => {
    env = await startGcpKmsTestEnv();
    reg = await testRegistry();
  });
  afterAll(async () => {
    await reg.dispose();
    await env.close();
    expect(env.guard.violations).toEqual([]);
  });

  it('generates with the fixed algorithm and test-signs with its hash and padding', async () => {
    await reg.keys.create('gcpckms', 'gcp-pss', params('gcp-pss', 'RSA_SIGN_PSS_2048_SHA256'));
    await expect(reg.keys.testSign('gcp-pss')).resolves.toMatchObject({
      key_generated: true,
      use_pss: true,
      key_version: '1',
    });
    expect(
      await rejection(reg.keys.testSign('gcp-pss', { hash_algorithm: 'sha2-512' })),
    ).toMatchObject({
      code: 'ERR_UNSUPPORTED_HASH_ALGORITHM',
      allowed: ['sha2-256'],
    });
    await reg.keys.create('gcpckms', 'gcp-ec', params('gcp-ec', 'EC_SIGN_P384_SHA384'));
    await expect(reg.keys.testSign('gcp-ec')).resolves.toMatchObject({
      hash_algorithm: 'sha2-384',
      use_pss: false,
    });
  });

  it('absorbs RESOURCE_EXHAUSTED with retries', async () => {
    env.emulator.quotas.configure({ AsymmetricSign: { limit: 1, windowSeconds: 0.2 } });
    try {
      const results = await Promise.all([1, 2, 3].map(() => reg.keys.testSign('gcp-ec')));
      expect(results).toHaveLength(3);
    } finally {
      env.emulator.quotas.configure({});
    }
  });
});
