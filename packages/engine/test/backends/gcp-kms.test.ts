/**
 * Google Cloud KMS specifics beyond the conformance suite, through the real SDK and the gRPC
 * emulator: every signing algorithm Keyplane maps, throttling and fault handling with gax's
 * retries off, crash adoption through the crypto key's labels, refusals before any request,
 * the key ring check, and network hygiene.
 */
import { createHash } from 'node:crypto';
import { generateKeyMaterial } from '@keyplane/engine';
import { wrapForGcp } from '../../src/byok/gcp';
import { GcpKmsBackend } from '../../src/backends/gcp-kms';
import { crc32c } from '../../src/backends/gcp-kms/crc32c';
import type { GcpKmsBackendConfig } from '../../src/backends/configs';
import type { BackendKey, BackendKeyType, KeyRef, KeyUsage } from '../../src/backends/contract';
import { nodeVerifies } from './conformance';
import { startGcpKmsTestEnv, type GcpKmsTestEnv } from './support/gcp-kms';

process.env.METADATA_SERVER_DETECTION = 'none';

const MESSAGE = Buffer.from('keyplane gcp message');

let env: GcpKmsTestEnv;

beforeAll(async () => {
  env = await startGcpKmsTestEnv();
});

afterAll(async () => {
  await env.close();
  // Nothing — SDK, auth library or backend — tried to reach beyond 127.0.0.1.
  expect(env.guard.violations).toEqual([]);
});

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Record<string, unknown>;
}

describe('signing algorithms chosen by spec.algorithm', () => {
  const CASES: readonly [string, BackendKeyType, string, boolean][] = [
    ['EC_SIGN_P256_SHA256', 'ecdsa-p256', 'sha2-256', false],
    ['EC_SIGN_P384_SHA384', 'ecdsa-p384', 'sha2-384', false],
    ['RSA_SIGN_PSS_2048_SHA256', 'rsa-2048', 'sha2-256', true],
    ['RSA_SIGN_PSS_3072_SHA256', 'rsa-3072', 'sha2-256', true],
    ['RSA_SIGN_PSS_4096_SHA256', 'rsa-4096', 'sha2-256', true],
    ['RSA_SIGN_PSS_4096_SHA512', 'rsa-4096', 'sha2-512', true],
    ['RSA_SIGN_PKCS1_2048_SHA256', 'rsa-2048', 'sha2-256', false],
    ['RSA_SIGN_PKCS1_3072_SHA256', 'rsa-3072', 'sha2-256', false],
    ['RSA_SIGN_PKCS1_4096_SHA256', 'rsa-4096', 'sha2-256', false],
    ['RSA_SIGN_PKCS1_4096_SHA512', 'rsa-4096', 'sha2-512', false],
  ];

  const keys = new Map<string, { ref: KeyRef; key: BackendKey }>();

  // Generated concurrently: the emulator makes RSA keys off its event loop.
  beforeAll(async () => {
    await Promise.all(
      CASES.map(async ([algorithm, keyType]) => {
        const ref = env.newKeyRef(algorithm.toLowerCase().replace(/_/g, '-').slice(0, 20));
        const key = await env.backend.generateKey(ref, {
          keyType,
          usages: ['sign', 'verify'],
          algorithm,
        });
        keys.set(algorithm, { ref, key });
      }),
    );
  });

  it.each(CASES)(
    '%s: one scheme, signs; node:crypto verifies',
    async (algorithm, keyType, hash, pss) => {
      const generated = keys.get(algorithm);
      if (generated === undefined) throw new Error(`${algorithm} was not generated`);
      const { ref, key } = generated;
      expect(key.signatures).toEqual([{ hash, pss, digestInput: true }]);
      const scheme = key.signatures[0];
      if (scheme === undefined) throw new Error('no scheme');
      const publicKey = await env.backend.getPublicKey(ref);
      const signature = await env.backend.sign(ref, MESSAGE, { hash: scheme.hash, pss });
      expect(nodeVerifies(publicKey, keyType, scheme, MESSAGE, signature)).toBe(true);
      await expect(
        env.backend.verify(ref, MESSAGE, signature, { hash: scheme.hash, pss }),
      ).resolves.toBe(true);
      // The other padding is not this key's scheme.
      const e = await failure(env.backend.sign(ref, MESSAGE, { hash: scheme.hash, pss: !pss }));
      expect(e.code).toBe('ERR_UNSUPPORTED_HASH_ALGORITHM');
    },
  );

  it('refuses a digest for Ed25519 (GCP signs its data only)', async () => {
    const ref = env.newKeyRef('ed');
    await env.backend.generateKey(ref, { keyType: 'ed25519', usages: ['sign'] });
    const digest = createHash('sha256').update(MESSAGE).digest();
    const e = await failure(env.backend.sign(ref, digest, { input: 'digest' }));
    expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_OPERATION', field: 'input' });
  });
});

describe('refusals before any request', () => {
  it('refuses an algorithm that does not fit the key type or usages, naming the allowed ones', async () => {
    const attempts: [BackendKeyType, KeyUsage[], string][] = [
      ['rsa-2048', ['sign'], 'RSA_SIGN_PSS_4096_SHA512'],
      ['rsa-2048', ['sign'], 'EC_SIGN_P256_SHA256'],
      ['rsa-2048', ['sign', 'verify'], 'RSA_DECRYPT_OAEP_2048_SHA256'],
      ['ecdsa-p256', ['sign'], 'NOT_AN_ALGORITHM'],
    ];
    for (const [keyType, usages, algorithm] of attempts) {
      const ref = env.newKeyRef('badalg');
      const e = await failure(env.backend.generateKey(ref, { keyType, usages, algorithm }));
      expect(e).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'algorithm' });
      expect(e.message).toContain(algorithm);
      await expect(env.backend.findKey(ref)).resolves.toBeUndefined();
    }
    const e = await failure(
      env.backend.generateKey(env.newKeyRef('badalg'), {
        keyType: 'rsa-2048',
        usages: ['sign'],
        algorithm: 'RSA_SIGN_PSS_4096_SHA512',
      }),
    );
    expect(e.allowed).toEqual(['RSA_SIGN_PKCS1_2048_SHA256', 'RSA_SIGN_PSS_2048_SHA256']);
  });

  it('refuses usages spanning two CryptoKey purposes', async () => {
    const e = await failure(
      env.backend.generateKey(env.newKeyRef('mixed'), {
        keyType: 'rsa-2048',
        usages: ['sign', 'decrypt'],
      }),
    );
    expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_PURPOSE', field: 'usages' });
  });

  it('refuses an OAEP hash the key algorithm does not fix; encrypts locally with its own', async () => {
    const ref = env.newKeyRef('oaep');
    const key = await env.backend.generateKey(ref, {
      keyType: 'rsa-2048',
      usages: ['encrypt', 'decrypt'],
    });
    expect(key.usages).toEqual(['encrypt', 'decrypt']);
    expect(key.signatures).toEqual([]);
    const e = await failure(env.backend.encrypt(ref, MESSAGE, { algorithm: 'rsa-oaep-sha1' }));
    expect(e).toMatchObject({
      code: 'ERR_UNSUPPORTED_OPERATION',
      field: 'algorithm',
      allowed: ['rsa-oaep-sha256'],
    });
    const ct = await env.backend.encrypt(ref, MESSAGE);
    await expect(env.backend.decrypt(ref, ct)).resolves.toEqual(MESSAGE);
  });

  it('validates the config in the constructor (no I/O)', () => {
    const saved = { project: process.env.GOOGLE_PROJECT, region: process.env.GOOGLE_REGION };
    delete process.env.GOOGLE_PROJECT;
    delete process.env.GOOGLE_REGION;
    const thrown = (config: GcpKmsBackendConfig): unknown => {
      try {
        return new GcpKmsBackend(config);
      } catch (e) {
        return e;
      }
    };
    try {
      expect(thrown({ ...env.config, project: undefined })).toMatchObject({
        code: 'ERR_MISSING_PARAMETER',
        field: 'project',
      });
      expect(thrown({ ...env.config, location: undefined })).toMatchObject({
        code: 'ERR_MISSING_PARAMETER',
        field: 'region',
      });
    } finally {
      if (saved.project !== undefined) process.env.GOOGLE_PROJECT = saved.project;
      if (saved.region !== undefined) process.env.GOOGLE_REGION = saved.region;
    }
    expect(thrown({ ...env.config, endpoint: 'kms.example.com:443' })).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      field: 'endpoint',
    });
  });

  it('checks CRC32C with the Castagnoli polynomial', () => {
    expect(crc32c('123456789')).toBe(0xe3069283);
  });
});

describe('key ring', () => {
  it('reports a missing key ring as ERR_NOT_FOUND naming key_ring, for lookups too', async () => {
    const backend = env.backendWith({ keyRing: 'no-such-ring' });
    const ref = env.newKeyRef('ringless');
    for (const call of [backend.getKey(ref), backend.findKey(ref), backend.listVersions(ref)]) {
      const e = await failure(call);
      expect(e).toMatchObject({ code: 'ERR_NOT_FOUND', field: 'key_ring' });
      expect(e.message).toContain('no-such-ring');
    }
  });
});

describe('retries: CallPolicy is the only layer', () => {
  afterEach(async () => {
    await env.setFaults({});
    env.emulator.quotas.configure({});
  });

  it('makes one attempt per failure at the gax level (gax retries off), even for idempotent Gets', async () => {
    const ref = env.newKeyRef('oneshot');
    await env.backend.generateKey(ref, { keyType: 'ecdsa-p256', usages: ['sign'] });
    const strict = env.backendWith({ retry: { maxAttempts: 1 } });
    // gax's default config retries UNAVAILABLE on GetCryptoKey; with one injected failure a
    // gax retry would succeed, so failing here proves exactly one attempt was made.
    await env.setFaults({ GetCryptoKey: { errorRate: 1, times: 1 } });
    const e = await failure(strict.getKey(ref));
    expect(e).toMatchObject({
      code: 'ERR_BACKEND_UNAVAILABLE',
      backendCode: 'UNAVAILABLE',
      attempts: 1,
    });
    await expect(strict.getKey(ref)).resolves.toMatchObject({ keyType: 'ecdsa-p256' });
  });

  it('retries RESOURCE_EXHAUSTED from the quota table and succeeds', async () => {
    const ref = env.newKeyRef('quota');
    await env.backend.generateKey(ref, { keyType: 'ecdsa-p256', usages: ['sign'] });
    const publicKey = await env.backend.getPublicKey(ref);
    env.emulator.quotas.configure({ AsymmetricSign: { limit: 1, windowSeconds: 0.25 } });
    const strict = env.backendWith({ retry: { maxAttempts: 1 } });
    await strict.sign(ref, MESSAGE, { hash: 'sha2-256' });
    const e = await failure(strict.sign(ref, MESSAGE, { hash: 'sha2-256' }));
    expect(e).toMatchObject({ code: 'ERR_BACKEND_UNAVAILABLE', backendCode: 'RESOURCE_EXHAUSTED' });
    const patient = env.backendWith({
      retry: { maxAttempts: 40, baseDelayMs: 20, maxDelayMs: 60 },
    });
    const scheme = { hash: 'sha2-256' as const, pss: false, digestInput: true };
    for (let i = 0; i < 3; i++) {
      const signature = await patient.sign(ref, MESSAGE, { hash: 'sha2-256' });
      expect(nodeVerifies(publicKey, 'ecdsa-p256', scheme, MESSAGE, signature)).toBe(true);
    }
  });

  it('waits as long as the RESOURCE_EXHAUSTED RetryInfo says, like Retry-After', async () => {
    const ref = env.newKeyRef('retryinfo');
    await env.backend.generateKey(ref, { keyType: 'ecdsa-p256', usages: ['sign'] });
    await env.backend.sign(ref, MESSAGE, { hash: 'sha2-256' }); // warm the metadata cache
    env.emulator.quotas.configure({ AsymmetricSign: { limit: 1, windowSeconds: 1 } });
    // Three attempts of jittered backoff capped at 5 ms end long before the 1 s window does:
    // only honouring the server's retry_delay lets the second sign through.
    const impatient = env.backendWith({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    await impatient.sign(ref, MESSAGE, { hash: 'sha2-256' });
    await expect(impatient.sign(ref, MESSAGE, { hash: 'sha2-256' })).resolves.toBeInstanceOf(
      Buffer,
    );
  });
});

describe('metadata cache', () => {
  it('signs by name with one request (AsymmetricSign) once warm, and sees its own new versions at once', async () => {
    const ref = env.newKeyRef('warm');
    await env.backend.generateKey(ref, { keyType: 'ecdsa-p256', usages: ['sign', 'verify'] });
    const options = { hash: 'sha2-256' as const };
    await env.backend.sign(ref, MESSAGE, options);
    // A spy calls through: the emulator behaves as ever, the test only reads operation names.
    const decide = jest.spyOn(env.emulator.faults, 'decide');
    try {
      for (let i = 0; i < 3; i++) await env.backend.sign(ref, MESSAGE, options);
      expect(decide.mock.calls.map(([operation]) => operation)).toEqual([
        'AsymmetricSign',
        'AsymmetricSign',
        'AsymmetricSign',
      ]);
      await env.backend.setVersionEnabled({ ...ref, version: '1' }, false);
      await expect(env.backend.sign(ref, MESSAGE, options)).rejects.toMatchObject({
        code: 'ERR_KEY_STATE',
      });
    } finally {
      decide.mockRestore();
    }
  });
});

describe('import adoption through crypto key labels', () => {
  const METHOD = 'RSA_OAEP_3072_SHA256_AES_256';

  /** Does what a crashed importKeyVersion did: marker written, version imported, never mapped. */
  async function crashedImport(
    keyId: string,
    material: ReturnType<typeof generateKeyMaterial>,
    corrupt = false,
  ): Promise<string> {
    const [key] = await env.raw.createCryptoKey({
      parent: env.keyRingName,
      cryptoKeyId: keyId,
      cryptoKey: {
        purpose: 'ASYMMETRIC_SIGN',
        importOnly: true,
        versionTemplate: { algorithm: 'EC_SIGN_P256_SHA256', protectionLevel: 'HSM' },
        labels: { 'keyplane-key': 'central-crash', 'keyplane-importing': '1' },
      },
      skipInitialVersionCreation: true,
    });
    const [job] = await env.raw.createImportJob({
      parent: env.keyRingName,
      importJobId: `crash-${keyId}`,
      importJob: { importMethod: METHOD, protectionLevel: 'HSM' },
    });
    const wrapped = wrapForGcp({
      wrappingKey: job.publicKey?.pem ?? '',
      key: material,
      algorithm: METHOD,
    });
    const blob = Buffer.from(wrapped.blob);
    if (corrupt) blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 0x80;
    const [version] = await env.raw.importCryptoKeyVersion({
      parent: key.name!,
      algorithm: 'EC_SIGN_P256_SHA256',
      importJob: job.name!,
      wrappedKey: blob,
    });
    // Imports are asynchronous: the crash happened while the version was still pending.
    expect(version.state).toBe('PENDING_IMPORT');
    return version.name ?? '';
  }

  const options = {
    keyplaneKey: 'central-crash',
    keyplaneVersion: 1,
    usages: ['sign', 'verify'] as KeyUsage[],
  };

  it('adopts the unmapped version of the same material and maps it', async () => {
    const ref = env.newKeyRef('crash');
    const material = generateKeyMaterial('ecdsa-p256');
    const orphan = await crashedImport(ref.name, material);
    const v = await env.backend.importKeyVersion(ref, material, options);
    expect(v).toMatchObject({ id: orphan, version: '1', state: 'enabled', keyplaneVersion: 1 });
    await expect(env.backend.listVersions(ref)).resolves.toHaveLength(1);
    const [key] = await env.raw.getCryptoKey({ name: `${env.keyRingName}/cryptoKeys/${ref.name}` });
    expect(key.labels).toEqual({ 'keyplane-key': 'central-crash', 'keyplane-v1': '1' });
  });

  it('waits for a pending orphan that then fails (IMPORT_FAILED): imports anew, never adopts it', async () => {
    const ref = env.newKeyRef('crash-failed');
    const material = generateKeyMaterial('ecdsa-p256');
    const failed = await crashedImport(ref.name, material, true);
    const v = await env.backend.importKeyVersion(ref, material, options);
    expect(v).toMatchObject({ version: '2', state: 'enabled', keyplaneVersion: 1 });
    const [orphan] = await env.raw.getCryptoKeyVersion({ name: failed });
    expect(orphan.state).toBe('IMPORT_FAILED');
    expect(orphan.importFailureReason).toMatch(/couldn't be unwrapped/);
  });

  it('does not adopt an unmapped version holding other material: imports anew', async () => {
    const ref = env.newKeyRef('crash-other');
    await crashedImport(ref.name, generateKeyMaterial('ecdsa-p256'));
    const v = await env.backend.importKeyVersion(ref, generateKeyMaterial('ecdsa-p256'), options);
    expect(v).toMatchObject({ version: '2', keyplaneVersion: 1 });
    const listed = await env.backend.listVersions(ref);
    expect(listed.map((x) => [x.version, x.keyplaneVersion])).toEqual([
      ['1', undefined],
      ['2', 1],
    ]);
  });

  it('keeps raw names out of label keys and makes label values safe', async () => {
    const ref = env.newKeyRef('labels');
    const v = await env.backend.importKeyVersion(ref, generateKeyMaterial('aes256-gcm96'), {
      keyplaneKey: 'Payments/Prod Key',
      keyplaneVersion: 3,
      usages: ['encrypt', 'decrypt'],
    });
    expect(v).toMatchObject({ keyplaneKey: 'Payments/Prod Key', keyplaneVersion: 3 });
    const [key] = await env.raw.getCryptoKey({ name: `${env.keyRingName}/cryptoKeys/${ref.name}` });
    for (const [k, value] of Object.entries(key.labels ?? {})) {
      expect(k).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
      expect(value).toMatch(/^[a-z0-9_-]{0,63}$/);
    }
    expect(key.labels?.['keyplane-v3']).toBe('1');
  });
});
