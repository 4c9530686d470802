/**
 * Full BYOK through the real @google-cloud/kms client: ImportJobs for every import method,
 * blobs built by the OpenSSL CLI from the job's public_key.pem, then the imported keys used
 * through the emulator and checked with node:crypto against the ORIGINAL keys.
 */
import { createHash, createHmac, createPublicKey, constants, verify } from 'node:crypto';
import { crc32c } from '../src/gcp-kms/crc32c';
import { openssl } from '../../../test/support/openssl';
import {
  ALL_METHODS,
  DIRECT_METHODS,
  HYBRID_METHODS,
  TARGETS,
  createImportJob,
  createImportOnlyKey,
  importSettled,
  newKeyRing,
  opensslTargetKey,
  useGcpEmulator,
  wrapFor,
  type Algorithm,
  type ImportMethod,
  type TargetKey,
} from './support/gcp-fixtures';
import { grpcCode } from './support/gcp-client';

const h = useGcpEmulator();
let ring = '';
const jobs = new Map<ImportMethod, { name: string; pem: string }>();
const job = (method: ImportMethod): { name: string; pem: string } => jobs.get(method)!;
let targets: Record<keyof typeof TARGETS, TargetKey>;

beforeAll(async () => {
  ring = await newKeyRing(h.kms);
  // The six job keys (three RSA-4096) are generated once, in parallel on the emulator side.
  const created = await Promise.all(ALL_METHODS.map((m) => createImportJob(h.kms, ring, m)));
  ALL_METHODS.forEach((m, i) => jobs.set(m, created[i]!));
  targets = {
    rsa2048: opensslTargetKey(TARGETS.rsa2048),
    p256: opensslTargetKey(TARGETS.p256),
    p384: opensslTargetKey(TARGETS.p384),
    ed25519: opensslTargetKey(TARGETS.ed25519),
  };
});

const MESSAGE = Buffer.from('keyplane: signed through the GCP KMS emulator');
let keyCounter = 0;
const nextId = (prefix: string): string => `${prefix}-${++keyCounter}`;

describe('import jobs', () => {
  test.each(ALL_METHODS)('%s is ACTIVE with an RSA wrapping key of the right size', async (m) => {
    const [fetched] = await h.kms.getImportJob({ name: job(m).name });
    expect(fetched.state).toBe('ACTIVE');
    expect(fetched.importMethod).toBe(m);
    expect(fetched.protectionLevel).toBe('SOFTWARE');
    const bits = m.includes('_4096_') ? 4096 : 3072;
    const key = createPublicKey(fetched.publicKey?.pem ?? '');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(bits);
    const created = Number(fetched.createTime?.seconds);
    expect(Number(fetched.expireTime?.seconds) - created).toBe(3 * 24 * 3600);
  });

  test('ListImportJobs lists all six', async () => {
    const [listed] = await h.kms.listImportJobs({ parent: ring });
    expect(listed.map((j) => j.importMethod).sort()).toEqual([...ALL_METHODS].sort());
  });
});

async function importInto(
  keyName: string,
  algorithm: Algorithm,
  method: ImportMethod,
  material: Buffer,
): Promise<string> {
  const { settled: version } = await importSettled(h, {
    parent: keyName,
    algorithm,
    importJob: job(method).name,
    wrappedKey: wrapFor(material, job(method), method),
  });
  expect(version.state).toBe('ENABLED');
  expect(version.importJob).toBe(job(method).name);
  expect(version.algorithm).toBe(algorithm);
  return version.name ?? '';
}

describe('symmetric import under every method', () => {
  test.each(ALL_METHODS)('GOOGLE_SYMMETRIC_ENCRYPTION via %s: Encrypt/Decrypt', async (m) => {
    const material = openssl(['rand', '32']);
    const key = await createImportOnlyKey(
      h.kms,
      ring,
      nextId('sym'),
      'ENCRYPT_DECRYPT',
      'GOOGLE_SYMMETRIC_ENCRYPTION',
    );
    const version = await importInto(key, 'GOOGLE_SYMMETRIC_ENCRYPTION', m, material);
    await h.kms.updateCryptoKeyPrimaryVersion({
      name: key,
      cryptoKeyVersionId: version.split('/').pop()!,
    });
    const aad = Buffer.from('context');
    const [enc] = await h.kms.encrypt({
      name: key,
      plaintext: MESSAGE,
      additionalAuthenticatedData: aad,
    });
    expect(enc.name).toBe(version);
    const [dec] = await h.kms.decrypt({
      name: key,
      ciphertext: enc.ciphertext!,
      additionalAuthenticatedData: aad,
    });
    expect(Buffer.from(dec.plaintext as Uint8Array)).toEqual(MESSAGE);
    expect(dec.usedPrimary).toBe(true);
  });

  test.each(DIRECT_METHODS)('HMAC_SHA256 via %s: MacSign matches the original key', async (m) => {
    const material = openssl(['rand', '32']);
    const key = await createImportOnlyKey(h.kms, ring, nextId('mac'), 'MAC', 'HMAC_SHA256');
    const version = await importInto(key, 'HMAC_SHA256', m, material);
    const [signed] = await h.kms.macSign({ name: version, data: MESSAGE });
    const expected = createHmac('sha256', material).update(MESSAGE).digest();
    expect(Buffer.from(signed.mac as Uint8Array)).toEqual(expected);
  });
});

interface SignCase {
  readonly target: keyof typeof TARGETS;
  readonly algorithm: Algorithm;
  readonly verifyWith: (signature: Buffer, publicPem: string) => boolean;
}

const rsaVerify =
  (padding: number) =>
  (signature: Buffer, publicPem: string): boolean =>
    verify('sha256', MESSAGE, { key: publicPem, padding, saltLength: 32 }, signature);

const SIGN_CASES: readonly SignCase[] = [
  {
    target: 'rsa2048',
    algorithm: 'RSA_SIGN_PKCS1_2048_SHA256',
    verifyWith: rsaVerify(constants.RSA_PKCS1_PADDING),
  },
  {
    target: 'rsa2048',
    algorithm: 'RSA_SIGN_PSS_2048_SHA256',
    verifyWith: rsaVerify(constants.RSA_PKCS1_PSS_PADDING),
  },
  {
    target: 'p256',
    algorithm: 'EC_SIGN_P256_SHA256',
    verifyWith: (sig, pem) => verify('sha256', MESSAGE, { key: pem, dsaEncoding: 'der' }, sig),
  },
  {
    target: 'p384',
    algorithm: 'EC_SIGN_P384_SHA384',
    verifyWith: (sig, pem) => verify('sha384', MESSAGE, { key: pem, dsaEncoding: 'der' }, sig),
  },
  {
    target: 'ed25519',
    algorithm: 'EC_SIGN_ED25519',
    verifyWith: (sig, pem) => verify(null, MESSAGE, pem, sig),
  },
];

const cases = SIGN_CASES.flatMap((c) => HYBRID_METHODS.map((m) => [c.algorithm, m, c] as const));

describe('asymmetric import under every hybrid method', () => {
  test.each(cases)(
    '%s via %s: public key, sign, verify with the original key',
    async (_a, m, c) => {
      const target = targets[c.target];
      const key = await createImportOnlyKey(
        h.kms,
        ring,
        nextId('asym'),
        'ASYMMETRIC_SIGN',
        c.algorithm,
      );
      const version = await importInto(key, c.algorithm, m, target.pkcs8);

      const [pub] = await h.kms.getPublicKey({ name: version });
      expect(pub.pem).toBe(target.publicPem);
      expect(pub.algorithm).toBe(c.algorithm);
      expect(Number(pub.pemCrc32c?.value)).toBe(crc32c(pub.pem ?? ''));

      let request;
      if (c.algorithm === 'EC_SIGN_ED25519') request = { name: version, data: MESSAGE };
      else {
        const hash = c.algorithm === 'EC_SIGN_P384_SHA384' ? 'sha384' : 'sha256';
        const digest = createHash(hash).update(MESSAGE).digest();
        request = {
          name: version,
          digest: { [hash]: digest },
          digestCrc32c: { value: crc32c(digest) },
        };
      }
      const [signed] = await h.kms.asymmetricSign(request);
      const signature = Buffer.from(signed.signature as Uint8Array);
      expect(Number(signed.signatureCrc32c?.value)).toBe(crc32c(signature));
      expect(signed.verifiedDigestCrc32c).toBe(c.algorithm !== 'EC_SIGN_ED25519');
      expect(c.verifyWith(signature, target.publicPem)).toBe(true);
    },
  );
});

describe('import variants', () => {
  test('the legacy rsa_aes_wrapped_key field is accepted', async () => {
    const m = 'RSA_OAEP_3072_SHA256_AES_256';
    const key = await createImportOnlyKey(
      h.kms,
      ring,
      nextId('legacy'),
      'ASYMMETRIC_SIGN',
      'EC_SIGN_P256_SHA256',
    );
    const { settled: version } = await importSettled(h, {
      parent: key,
      algorithm: 'EC_SIGN_P256_SHA256',
      importJob: job(m).name,
      rsaAesWrappedKey: wrapFor(targets.p256.pkcs8, job(m), m),
    });
    expect(version.state).toBe('ENABLED');
  });

  // Moves the emulator clock 31 days: keep it the last test of the file.
  test('re-import into a DESTROYED version needs identical material (and a live job)', async () => {
    const m = 'RSA_OAEP_3072_SHA256_AES_256';
    const key = await createImportOnlyKey(
      h.kms,
      ring,
      nextId('reimport'),
      'ASYMMETRIC_SIGN',
      'EC_SIGN_P256_SHA256',
    );
    const version = await importInto(key, 'EC_SIGN_P256_SHA256', m, targets.p256.pkcs8);
    const request = (jobRef: { name: string; pem: string }, material: Buffer) => ({
      parent: key,
      cryptoKeyVersion: version,
      algorithm: 'EC_SIGN_P256_SHA256' as const,
      importJob: jobRef.name,
      wrappedKey: wrapFor(material, jobRef, m),
    });
    const reimport = (jobRef: { name: string; pem: string }, material: Buffer) =>
      h.kms.importCryptoKeyVersion(request(jobRef, material));
    // Still ENABLED: not a re-import target.
    expect(await grpcCode(reimport(job(m), targets.p256.pkcs8))).toBe(9);

    const [scheduled] = await h.kms.destroyCryptoKeyVersion({ name: version });
    expect(scheduled.state).toBe('DESTROY_SCHEDULED');
    h.advance(31 * 24 * 3600_000); // past the default 30-day destroy_scheduled_duration
    const [destroyed] = await h.kms.getCryptoKeyVersion({ name: version });
    expect(destroyed.state).toBe('DESTROYED');
    expect(destroyed.reimportEligible).toBe(true);

    // DESTROYED keeps destroy_event_time; destroy_time was the schedule and is gone.
    expect(destroyed.destroyEventTime?.seconds).toBe(scheduled.destroyTime?.seconds);
    expect(destroyed.destroyTime).toBeNull();

    // The original job expired after 3 days: FAILED_PRECONDITION, and its state says so (an
    // expired job no longer hands out its wrapping key).
    expect(await grpcCode(reimport(job(m), targets.p256.pkcs8))).toBe(9);
    const [expired] = await h.kms.getImportJob({ name: job(m).name });
    expect(expired.state).toBe('EXPIRED');
    expect(expired.publicKey).toBeNull();
    const fresh = await createImportJob(h.kms, ring, m, 'SOFTWARE', 'fresh-job');

    // Other material: the re-import is accepted, then fails; the version is re-importable.
    const other = opensslTargetKey(TARGETS.p256);
    const failed = await importSettled(h, request(fresh, other.pkcs8));
    expect(failed.settled.state).toBe('IMPORT_FAILED');
    expect(failed.settled.importFailureReason).toMatch(/a re-import must be identical/);

    const { pending, settled: restored } = await importSettled(
      h,
      request(fresh, targets.p256.pkcs8),
    );
    expect(pending.name).toBe(version);
    expect(restored.state).toBe('ENABLED');
    expect(restored.importFailureReason).toBe('');
    const [pub] = await h.kms.getPublicKey({ name: version });
    expect(pub.pem).toBe(targets.p256.publicPem);
  });
});
