/**
 * ImportCryptoKeyVersion / CreateImportJob refusals, with the gRPC status codes the real client
 * surfaces: INVALID_ARGUMENT (3) for bad input, FAILED_PRECONDITION (9) for resources in the
 * wrong state, NOT_FOUND (5), ALREADY_EXISTS (6). Material that cannot be unwrapped or does not
 * fit is not refused by the call: as in the service, the version is created PENDING_IMPORT and
 * settles to IMPORT_FAILED with an import_failure_reason. Only RSA-3072 job keys, to stay fast.
 */
import { randomBytes } from 'node:crypto';
import { opensslWrap } from '../../../test/support/openssl';
import { grpcCode, grpcError } from './support/gcp-client';
import {
  TARGETS,
  createImportJob,
  createImportOnlyKey,
  importSettled,
  newKeyRing,
  opensslTargetKey,
  useGcpEmulator,
  wrapFor,
  type TargetKey,
} from './support/gcp-fixtures';

const h = useGcpEmulator();
const HYBRID = 'RSA_OAEP_3072_SHA256_AES_256';
const DIRECT = 'RSA_OAEP_3072_SHA256';
let ring = '';
let jobA: { name: string; pem: string };
let jobB: { name: string; pem: string };
let direct: { name: string; pem: string };
let hsmJob: { name: string; pem: string };
let p256: TargetKey;
let rsa: TargetKey;
let ed: TargetKey;
let counter = 0;

beforeAll(async () => {
  ring = await newKeyRing(h.kms);
  [jobA, jobB, direct, hsmJob] = await Promise.all([
    createImportJob(h.kms, ring, HYBRID, 'SOFTWARE', 'job-a'),
    createImportJob(h.kms, ring, HYBRID, 'SOFTWARE', 'job-b'),
    createImportJob(h.kms, ring, DIRECT, 'SOFTWARE', 'job-direct'),
    createImportJob(h.kms, ring, 'RSA_OAEP_3072_SHA1_AES_256', 'HSM', 'job-hsm'),
  ]);
  p256 = opensslTargetKey(TARGETS.p256);
  rsa = opensslTargetKey(TARGETS.rsa2048);
  ed = opensslTargetKey(TARGETS.ed25519);
});

const signKey = (algorithm: Parameters<typeof createImportOnlyKey>[4], level?: 'HSM') =>
  createImportOnlyKey(h.kms, ring, `k-${++counter}`, 'ASYMMETRIC_SIGN', algorithm, level);
const symmetricKey = () =>
  createImportOnlyKey(
    h.kms,
    ring,
    `k-${++counter}`,
    'ENCRYPT_DECRYPT',
    'GOOGLE_SYMMETRIC_ENCRYPTION',
  );

const UNWRAP_FAILED =
  /^The key material in the import request couldn't be unwrapped or wasn't formatted correctly: /;

/** Imports, lets the import settle, and checks it failed with a reason matching `reason`. */
async function expectImportFailed(
  request: Parameters<typeof importSettled>[1],
  reason: RegExp,
): Promise<void> {
  const { settled } = await importSettled(h, request);
  expect(settled.state).toBe('IMPORT_FAILED');
  expect(settled.importFailureReason).toMatch(UNWRAP_FAILED);
  expect(settled.importFailureReason).toMatch(reason);
  // No material: the version cannot be used, and cannot be enabled or destroyed.
  expect(await grpcCode(h.kms.getPublicKey({ name: settled.name! }))).toBe(9);
  expect(await grpcCode(h.kms.destroyCryptoKeyVersion({ name: settled.name! }))).toBe(9);
}

test('a blob wrapped for another ImportJob: IMPORT_FAILED, not a refused call', async () => {
  const key = await signKey('EC_SIGN_P256_SHA256');
  await expectImportFailed(
    {
      parent: key,
      algorithm: 'EC_SIGN_P256_SHA256',
      importJob: jobB.name,
      wrappedKey: wrapFor(p256.pkcs8, jobA, HYBRID),
    },
    /RSA-OAEP-SHA256 decryption with the ImportJob's private key failed/,
  );
});

test('OAEP with the wrong hash for the import method: IMPORT_FAILED', async () => {
  const key = await signKey('EC_SIGN_P256_SHA256');
  const blob = opensslWrap(p256.pkcs8, jobA.pem, { scheme: 'rsa-aes-key-wrap', hash: 'sha1' });
  await expectImportFailed(
    { parent: key, algorithm: 'EC_SIGN_P256_SHA256', importJob: jobA.name, wrappedKey: blob },
    /RSA-OAEP-SHA256 decryption/,
  );
});

test('a corrupted blob of the right length: IMPORT_FAILED (the KWP integrity check)', async () => {
  const key = await signKey('EC_SIGN_P256_SHA256');
  const blob = wrapFor(p256.pkcs8, jobA, HYBRID);
  blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 0x01;
  await expectImportFailed(
    { parent: key, algorithm: 'EC_SIGN_P256_SHA256', importJob: jobA.name, wrappedKey: blob },
    /AES-KWP \(RFC 5649\) integrity check failed/,
  );
});

test('a direct (non-hybrid) method cannot carry RSA or EC keys', async () => {
  const rsaKey = await signKey('RSA_SIGN_PKCS1_2048_SHA256');
  const rsaErr = await grpcError(
    h.kms.importCryptoKeyVersion({
      parent: rsaKey,
      algorithm: 'RSA_SIGN_PKCS1_2048_SHA256',
      importJob: direct.name,
      // An RSA-2048 PKCS#8 does not even fit in one OAEP block; any blob gets the same answer.
      wrappedKey: randomBytes(384),
    }),
  );
  expect(rsaErr.code).toBe(3);
  expect(rsaErr.details).toMatch(/can only import symmetric key material/);

  const ecKey = await signKey('EC_SIGN_P256_SHA256');
  const code = await grpcCode(
    h.kms.importCryptoKeyVersion({
      parent: ecKey,
      algorithm: 'EC_SIGN_P256_SHA256',
      importJob: direct.name,
      wrappedKey: wrapFor(p256.pkcs8, direct, DIRECT),
    }),
  );
  expect(code).toBe(3);
});

describe('material that does not match the algorithm: IMPORT_FAILED', () => {
  const cases = [
    [
      'P-256 key as EC_SIGN_P384_SHA384',
      'EC_SIGN_P384_SHA384',
      () => p256.pkcs8,
      /curve prime256v1/,
    ],
    [
      'RSA-2048 key as RSA_SIGN_PKCS1_3072_SHA256',
      'RSA_SIGN_PKCS1_3072_SHA256',
      () => rsa.pkcs8,
      /2048-bit/,
    ],
    ['Ed25519 key as EC_SIGN_P256_SHA256', 'EC_SIGN_P256_SHA256', () => ed.pkcs8, /ed25519 key/],
    ['RSA key as EC_SIGN_ED25519', 'EC_SIGN_ED25519', () => rsa.pkcs8, /rsa key/],
    [
      'PKCS#8 with trailing bytes',
      'EC_SIGN_P256_SHA256',
      () => Buffer.concat([p256.pkcs8, Buffer.alloc(6)]),
      /trailing/,
    ],
    ['random bytes', 'EC_SIGN_P256_SHA256', () => randomBytes(64), /PKCS#8/],
  ] as const;
  test.each(cases)('%s', async (_label, algorithm, material, message) => {
    const key = await signKey(algorithm);
    await expectImportFailed(
      {
        parent: key,
        algorithm,
        importJob: jobA.name,
        wrappedKey: wrapFor(material(), jobA, HYBRID),
      },
      message,
    );
  });

  test('16 bytes as GOOGLE_SYMMETRIC_ENCRYPTION (needs 32)', async () => {
    const key = await symmetricKey();
    const { settled } = await importSettled(h, {
      parent: key,
      algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION',
      importJob: direct.name,
      wrappedKey: wrapFor(randomBytes(16), direct, DIRECT),
    });
    expect(settled.state).toBe('IMPORT_FAILED');
    expect(settled.importFailureReason).toMatch(/got 16 bytes/);
  });
});

test('an HSM ImportJob cannot import into a SOFTWARE key (FAILED_PRECONDITION)', async () => {
  const key = await signKey('EC_SIGN_P256_SHA256');
  const err = await grpcError(
    h.kms.importCryptoKeyVersion({
      parent: key,
      algorithm: 'EC_SIGN_P256_SHA256',
      importJob: hsmJob.name,
      wrappedKey: wrapFor(p256.pkcs8, hsmJob, 'RSA_OAEP_3072_SHA1_AES_256'),
    }),
  );
  expect(err.code).toBe(9);
  expect(err.details).toMatch(/protection level HSM.*SOFTWARE/);
});

test('an HSM ImportJob imports into an HSM key', async () => {
  const key = await signKey('EC_SIGN_P256_SHA256', 'HSM');
  const { settled } = await importSettled(h, {
    parent: key,
    algorithm: 'EC_SIGN_P256_SHA256',
    importJob: hsmJob.name,
    wrappedKey: wrapFor(p256.pkcs8, hsmJob, 'RSA_OAEP_3072_SHA1_AES_256'),
  });
  expect(settled).toMatchObject({ protectionLevel: 'HSM', state: 'ENABLED' });
});

test('blobs of an impossible length are refused before unwrapping (INVALID_ARGUMENT)', async () => {
  const key = await signKey('EC_SIGN_P256_SHA256');
  const base = { parent: key, algorithm: 'EC_SIGN_P256_SHA256' as const, importJob: jobA.name };
  const refusal = async (wrappedKey?: Buffer) =>
    await grpcError(h.kms.importCryptoKeyVersion({ ...base, wrappedKey: wrappedKey ?? null }));
  // The service's documented length errors (troubleshooting-failed-imports).
  expect(await refusal(randomBytes(100))).toMatchObject({
    code: 3,
    details: expect.stringMatching(/^Wrapped key is too short/) as unknown,
  });
  expect(await refusal(randomBytes(384 + 20))).toMatchObject({
    code: 3,
    details: expect.stringMatching(/^Wrapped key does not consist of 64-bit blocks/) as unknown,
  });
  const directKey = await symmetricKey();
  expect(
    await grpcError(
      h.kms.importCryptoKeyVersion({
        parent: directKey,
        algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION',
        importJob: direct.name,
        wrappedKey: randomBytes(383),
      }),
    ),
  ).toMatchObject({
    code: 3,
    details: expect.stringMatching(/^Wrapped key has invalid length/) as unknown,
  });
  expect((await refusal()).code).toBe(3);
  // Nothing was created by the refused calls.
  const [versions] = await h.kms.listCryptoKeyVersions({ parent: key });
  expect(versions).toEqual([]);
});

test('random bytes of a plausible length: a version that settles IMPORT_FAILED', async () => {
  const key = await signKey('EC_SIGN_P256_SHA256');
  await expectImportFailed(
    {
      parent: key,
      algorithm: 'EC_SIGN_P256_SHA256',
      importJob: jobA.name,
      wrappedKey: randomBytes(600),
    },
    /RSA-OAEP-SHA256 decryption/,
  );
});

test('an algorithm that does not fit the key purpose is INVALID_ARGUMENT', async () => {
  const key = await symmetricKey();
  const code = await grpcCode(
    h.kms.importCryptoKeyVersion({
      parent: key,
      algorithm: 'EC_SIGN_P256_SHA256',
      importJob: jobA.name,
      wrappedKey: wrapFor(p256.pkcs8, jobA, HYBRID),
    }),
  );
  expect(code).toBe(3);
});

test('importing into a key that is not import_only is allowed, as in Cloud KMS', async () => {
  const [key] = await h.kms.createCryptoKey({
    parent: ring,
    cryptoKeyId: `k-${++counter}`,
    cryptoKey: {
      purpose: 'ASYMMETRIC_SIGN',
      versionTemplate: { algorithm: 'EC_SIGN_P256_SHA256' },
    },
  });
  const [version] = await h.kms.importCryptoKeyVersion({
    parent: key.name!,
    algorithm: 'EC_SIGN_P256_SHA256',
    importJob: jobA.name,
    wrappedKey: wrapFor(p256.pkcs8, jobA, HYBRID),
  });
  expect(version.name).toBe(`${key.name ?? ''}/cryptoKeyVersions/2`);
});

test('missing ImportJob or CryptoKey is NOT_FOUND', async () => {
  const key = await signKey('EC_SIGN_P256_SHA256');
  const blob = wrapFor(p256.pkcs8, jobA, HYBRID);
  const request = { algorithm: 'EC_SIGN_P256_SHA256' as const, wrappedKey: blob };
  expect(
    await grpcCode(
      h.kms.importCryptoKeyVersion({
        ...request,
        parent: key,
        importJob: `${ring}/importJobs/nope`,
      }),
    ),
  ).toBe(5);
  expect(
    await grpcCode(
      h.kms.importCryptoKeyVersion({
        ...request,
        parent: `${ring}/cryptoKeys/nope`,
        importJob: jobA.name,
      }),
    ),
  ).toBe(5);
});

test('CreateImportJob refusals', async () => {
  const create = (
    id: string,
    importMethod: 'RSA_OAEP_3072_SHA256' | 'HPKE_KEM_XWING_HKDF_SHA256_AES_256_GCM',
    protectionLevel?: 'SOFTWARE',
  ) =>
    h.kms.createImportJob({
      parent: ring,
      importJobId: id,
      importJob: { importMethod, protectionLevel: protectionLevel ?? null },
    });
  expect(await grpcCode(create('job-a', 'RSA_OAEP_3072_SHA256', 'SOFTWARE'))).toBe(6);
  expect(
    await grpcCode(create('unsupported', 'HPKE_KEM_XWING_HKDF_SHA256_AES_256_GCM', 'SOFTWARE')),
  ).toBe(3);
  expect(await grpcCode(create('no-level', 'RSA_OAEP_3072_SHA256'))).toBe(3);
  expect(await grpcCode(create('bad id!', 'RSA_OAEP_3072_SHA256', 'SOFTWARE'))).toBe(3);
  expect(
    await grpcCode(
      h.kms.createImportJob({
        parent: `${ring}-missing`,
        importJobId: 'x',
        importJob: { importMethod: 'RSA_OAEP_3072_SHA256', protectionLevel: 'SOFTWARE' },
      }),
    ),
  ).toBe(5);
});
