/**
 * Cryptographic operations on emulator-generated keys through the real client: GetPublicKey,
 * AsymmetricSign (every signing scheme, verified with node:crypto), AsymmetricDecrypt,
 * Encrypt/Decrypt, MacSign/MacVerify, GenerateRandomBytes, CRC32C fields and state checks.
 */
import {
  constants,
  createHash,
  createHmac,
  createPublicKey,
  publicDecrypt,
  publicEncrypt,
  verify,
} from 'node:crypto';
import { crc32c } from '../src/gcp-kms/crc32c';
import { grpcCode, grpcError } from './support/gcp-client';
import {
  LOCATION,
  newKeyRing,
  useGcpEmulator,
  type Algorithm,
  type Purpose,
} from './support/gcp-fixtures';

const h = useGcpEmulator();
let ring = '';
let counter = 0;
const MESSAGE = Buffer.from('keyplane crypto through the GCP KMS emulator');

beforeAll(async () => {
  ring = await newKeyRing(h.kms);
});

async function generatedKey(
  purpose: Purpose,
  algorithm: Algorithm,
  protectionLevel: 'SOFTWARE' | 'HSM' = 'SOFTWARE',
): Promise<{ key: string; version: string }> {
  const [key] = await h.kms.createCryptoKey({
    parent: ring,
    cryptoKeyId: `key-${++counter}`,
    cryptoKey: { purpose, versionTemplate: { algorithm, protectionLevel } },
  });
  return { key: key.name ?? '', version: `${key.name ?? ''}/cryptoKeyVersions/1` };
}

test('CRC32C matches the published check value', () => {
  expect(crc32c('123456789')).toBe(0xe3069283);
  expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
  expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43); // RFC 3720 B.4: 32 bytes of ones
});

describe('AsymmetricSign with every signing scheme', () => {
  const digestOf = (hash: string): Buffer => createHash(hash).update(MESSAGE).digest();
  const cases: readonly (readonly [
    Algorithm,
    'SOFTWARE' | 'HSM',
    (sig: Buffer, pem: string) => boolean,
  ])[] = [
    ['RSA_SIGN_PKCS1_2048_SHA256', 'SOFTWARE', (s, k) => verify('sha256', MESSAGE, k, s)],
    [
      'RSA_SIGN_PSS_2048_SHA256',
      'SOFTWARE',
      (s, k) =>
        verify(
          'sha256',
          MESSAGE,
          { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
          s,
        ),
    ],
    [
      'EC_SIGN_P256_SHA256',
      'SOFTWARE',
      (s, k) => verify('sha256', MESSAGE, { key: k, dsaEncoding: 'der' }, s),
    ],
    [
      'EC_SIGN_P384_SHA384',
      'HSM',
      (s, k) => verify('sha384', MESSAGE, { key: k, dsaEncoding: 'der' }, s),
    ],
    [
      'EC_SIGN_SECP256K1_SHA256',
      'HSM',
      (s, k) => verify('sha256', MESSAGE, { key: k, dsaEncoding: 'der' }, s),
    ],
    ['EC_SIGN_ED25519', 'SOFTWARE', (s, k) => verify(null, MESSAGE, k, s)],
    [
      'RSA_SIGN_RAW_PKCS1_2048',
      'SOFTWARE',
      (s, k) => publicDecrypt({ key: k, padding: constants.RSA_PKCS1_PADDING }, s).equals(MESSAGE),
    ],
  ];
  test.each(cases)('%s (%s)', async (algorithm, level, check) => {
    const { version } = await generatedKey('ASYMMETRIC_SIGN', algorithm, level);
    const [pub] = await h.kms.getPublicKey({ name: version });
    expect(pub.algorithm).toBe(algorithm);
    expect(pub.protectionLevel).toBe(level);
    expect(Number(pub.pemCrc32c?.value)).toBe(crc32c(pub.pem ?? ''));
    const hash = algorithm.endsWith('SHA384') ? 'sha384' : 'sha256';
    const request =
      algorithm === 'EC_SIGN_ED25519' || algorithm === 'RSA_SIGN_RAW_PKCS1_2048'
        ? { name: version, data: MESSAGE, dataCrc32c: { value: crc32c(MESSAGE) } }
        : {
            name: version,
            digest: { [hash]: digestOf(hash) },
            digestCrc32c: { value: crc32c(digestOf(hash)) },
          };
    const [signed] = await h.kms.asymmetricSign(request);
    const signature = Buffer.from(signed.signature as Uint8Array);
    expect(signed.name).toBe(version);
    expect(Number(signed.signatureCrc32c?.value)).toBe(crc32c(signature));
    expect(signed.verifiedDigestCrc32c || signed.verifiedDataCrc32c).toBe(true);
    expect(check(signature, pub.pem ?? '')).toBe(true);
  });

  test('`data` is hashed for digest algorithms', async () => {
    const { version } = await generatedKey('ASYMMETRIC_SIGN', 'EC_SIGN_P256_SHA256');
    const [pub] = await h.kms.getPublicKey({ name: version });
    const [signed] = await h.kms.asymmetricSign({ name: version, data: MESSAGE });
    const signature = Buffer.from(signed.signature as Uint8Array);
    expect(verify('sha256', MESSAGE, { key: pub.pem ?? '', dsaEncoding: 'der' }, signature)).toBe(
      true,
    );
  });

  test('refusals: checksum, digest type and length, state, purpose, NOT_FOUND', async () => {
    const { version } = await generatedKey('ASYMMETRIC_SIGN', 'EC_SIGN_P256_SHA256');
    const digest = digestOf('sha256');
    const crcErr = await grpcError(
      h.kms.asymmetricSign({
        name: version,
        digest: { sha256: digest },
        digestCrc32c: { value: crc32c(digest) + 1 },
      }),
    );
    expect(crcErr.code).toBe(3);
    expect(crcErr.details).toMatch(/digest_crc32c did not match/);
    expect(
      await grpcCode(
        h.kms.asymmetricSign({ name: version, digest: { sha384: digestOf('sha384') } }),
      ),
    ).toBe(3);
    expect(
      await grpcCode(
        h.kms.asymmetricSign({ name: version, digest: { sha256: digest.subarray(1) } }),
      ),
    ).toBe(3);
    expect(await grpcCode(h.kms.asymmetricSign({ name: version }))).toBe(3);

    await h.kms.updateCryptoKeyVersion({
      cryptoKeyVersion: { name: version, state: 'DISABLED' },
      updateMask: { paths: ['state'] },
    });
    expect(
      await grpcCode(h.kms.asymmetricSign({ name: version, digest: { sha256: digest } })),
    ).toBe(9);
    expect(await grpcCode(h.kms.getPublicKey({ name: version }))).toBe(9);

    const decryptKey = await generatedKey('ASYMMETRIC_DECRYPT', 'RSA_DECRYPT_OAEP_2048_SHA256');
    expect(
      await grpcCode(
        h.kms.asymmetricSign({ name: decryptKey.version, digest: { sha256: digest } }),
      ),
    ).toBe(9);
    expect(
      await grpcCode(
        h.kms.asymmetricSign({
          name: `${ring}/cryptoKeys/none/cryptoKeyVersions/1`,
          digest: { sha256: digest },
        }),
      ),
    ).toBe(5);
  });
});

describe('AsymmetricDecrypt', () => {
  test.each([
    ['RSA_DECRYPT_OAEP_2048_SHA256', 'sha256'],
    ['RSA_DECRYPT_OAEP_2048_SHA1', 'sha1'],
  ] as const)(
    '%s decrypts what node:crypto encrypted with the public key',
    async (algorithm, oaepHash) => {
      const { version } = await generatedKey('ASYMMETRIC_DECRYPT', algorithm);
      const [pub] = await h.kms.getPublicKey({ name: version });
      const ciphertext = publicEncrypt(
        { key: pub.pem ?? '', padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
        MESSAGE,
      );
      const [dec] = await h.kms.asymmetricDecrypt({
        name: version,
        ciphertext,
        ciphertextCrc32c: { value: crc32c(ciphertext) },
      });
      expect(Buffer.from(dec.plaintext as Uint8Array)).toEqual(MESSAGE);
      expect(dec.verifiedCiphertextCrc32c).toBe(true);
      expect(Number(dec.plaintextCrc32c?.value)).toBe(crc32c(MESSAGE));
      const other = publicEncrypt(
        {
          key: pub.pem ?? '',
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: oaepHash === 'sha1' ? 'sha256' : 'sha1',
        },
        MESSAGE,
      );
      expect(await grpcCode(h.kms.asymmetricDecrypt({ name: version, ciphertext: other }))).toBe(3);
    },
  );
});

describe('Encrypt / Decrypt', () => {
  test('round trip with AAD, checksums, rotation and version-addressed encrypt', async () => {
    const { key, version } = await generatedKey('ENCRYPT_DECRYPT', 'GOOGLE_SYMMETRIC_ENCRYPTION');
    const aad = Buffer.from('aad');
    const [enc] = await h.kms.encrypt({
      name: key,
      plaintext: MESSAGE,
      additionalAuthenticatedData: aad,
      plaintextCrc32c: { value: crc32c(MESSAGE) },
      additionalAuthenticatedDataCrc32c: { value: crc32c(aad) },
    });
    const ciphertext = Buffer.from(enc.ciphertext as Uint8Array);
    expect(enc.name).toBe(version);
    expect(enc.verifiedPlaintextCrc32c).toBe(true);
    expect(enc.verifiedAdditionalAuthenticatedDataCrc32c).toBe(true);
    expect(Number(enc.ciphertextCrc32c?.value)).toBe(crc32c(ciphertext));

    const [dec] = await h.kms.decrypt({
      name: key,
      ciphertext,
      additionalAuthenticatedData: aad,
      ciphertextCrc32c: { value: crc32c(ciphertext) },
    });
    expect(Buffer.from(dec.plaintext as Uint8Array)).toEqual(MESSAGE);
    expect(Number(dec.plaintextCrc32c?.value)).toBe(crc32c(MESSAGE));
    expect(dec.usedPrimary).toBe(true);

    expect(
      await grpcCode(
        h.kms.decrypt({ name: key, ciphertext, additionalAuthenticatedData: Buffer.from('other') }),
      ),
    ).toBe(3);
    expect(
      await grpcCode(h.kms.decrypt({ name: key, ciphertext: Buffer.from('not a ciphertext') })),
    ).toBe(3);
    expect(
      await grpcCode(
        h.kms.encrypt({ name: key, plaintext: MESSAGE, plaintextCrc32c: { value: 1 } }),
      ),
    ).toBe(3);

    // Rotate: old ciphertexts still decrypt (not with the primary); a version can be addressed.
    await h.kms.createCryptoKeyVersion({ parent: key, cryptoKeyVersion: {} });
    await h.kms.updateCryptoKeyPrimaryVersion({ name: key, cryptoKeyVersionId: '2' });
    const [old] = await h.kms.decrypt({ name: key, ciphertext, additionalAuthenticatedData: aad });
    expect(old.usedPrimary).toBe(false);
    const [byVersion] = await h.kms.encrypt({ name: version, plaintext: MESSAGE });
    expect(byVersion.name).toBe(version);

    // Another key cannot decrypt it; a disabled version cannot.
    const other = await generatedKey('ENCRYPT_DECRYPT', 'GOOGLE_SYMMETRIC_ENCRYPTION');
    expect(
      await grpcCode(
        h.kms.decrypt({ name: other.key, ciphertext, additionalAuthenticatedData: aad }),
      ),
    ).toBe(3);
    await h.kms.updateCryptoKeyVersion({
      cryptoKeyVersion: { name: version, state: 'DISABLED' },
      updateMask: { paths: ['state'] },
    });
    expect(
      await grpcCode(h.kms.decrypt({ name: key, ciphertext, additionalAuthenticatedData: aad })),
    ).toBe(9);
  });

  test('HSM keys take at most 8 KiB of plaintext and AAD together; SOFTWARE keys 64 KiB each', async () => {
    const create = async (id: string, protectionLevel: 'HSM' | 'SOFTWARE') =>
      (
        await h.kms.createCryptoKey({
          parent: ring,
          cryptoKeyId: id,
          cryptoKey: { purpose: 'ENCRYPT_DECRYPT', versionTemplate: { protectionLevel } },
        })
      )[0].name ?? '';
    const hsm = await create('sym-hsm-limit', 'HSM');
    const software = await create('sym-sw-limit', 'SOFTWARE');
    const encrypt = (name: string, plaintext: number, aad: number) =>
      h.kms.encrypt({
        name,
        plaintext: Buffer.alloc(plaintext, 1),
        additionalAuthenticatedData: Buffer.alloc(aad, 2),
      });
    await encrypt(hsm, 8192, 0);
    await encrypt(hsm, 4096, 4096);
    const over = await grpcError(encrypt(hsm, 4096, 4097));
    expect(over.code).toBe(3);
    expect(over.details).toMatch(/8192 for protection level HSM/);
    expect(await grpcCode(encrypt(hsm, 8193, 0))).toBe(3);
    await encrypt(software, 64 * 1024, 64 * 1024);
    expect(await grpcCode(encrypt(software, 64 * 1024 + 1, 0))).toBe(3);
  });

  test('refusals: wrong purpose, no primary, NOT_FOUND', async () => {
    const sign = await generatedKey('ASYMMETRIC_SIGN', 'EC_SIGN_P256_SHA256');
    expect(await grpcCode(h.kms.encrypt({ name: sign.key, plaintext: MESSAGE }))).toBe(9);
    const [empty] = await h.kms.createCryptoKey({
      parent: ring,
      cryptoKeyId: `key-${++counter}`,
      cryptoKey: { purpose: 'ENCRYPT_DECRYPT' },
      skipInitialVersionCreation: true,
    });
    expect(await grpcCode(h.kms.encrypt({ name: empty.name!, plaintext: MESSAGE }))).toBe(9);
    expect(
      await grpcCode(h.kms.encrypt({ name: `${ring}/cryptoKeys/none`, plaintext: MESSAGE })),
    ).toBe(5);
  });
});

describe('MacSign / MacVerify', () => {
  test('HMAC_SHA256 sign and verify; crc32c fields; wrong MAC fails', async () => {
    const { version } = await generatedKey('MAC', 'HMAC_SHA256');
    const [signed] = await h.kms.macSign({
      name: version,
      data: MESSAGE,
      dataCrc32c: { value: crc32c(MESSAGE) },
    });
    const mac = Buffer.from(signed.mac as Uint8Array);
    expect(mac).toHaveLength(32);
    expect(signed.verifiedDataCrc32c).toBe(true);
    expect(Number(signed.macCrc32c?.value)).toBe(crc32c(mac));
    const [ok] = await h.kms.macVerify({
      name: version,
      data: MESSAGE,
      mac,
      macCrc32c: { value: crc32c(mac) },
    });
    expect(ok).toMatchObject({
      success: true,
      verifiedMacCrc32c: true,
      verifiedSuccessIntegrity: true,
    });
    const [bad] = await h.kms.macVerify({
      name: version,
      data: MESSAGE,
      mac: createHmac('sha256', 'x').update(MESSAGE).digest(),
    });
    expect(bad.success).toBe(false);
    const sign = await generatedKey('ASYMMETRIC_SIGN', 'EC_SIGN_P256_SHA256');
    expect(await grpcCode(h.kms.macSign({ name: sign.version, data: MESSAGE }))).toBe(9);
  });
});

test('GenerateRandomBytes (HSM only)', async () => {
  const [random] = await h.kms.generateRandomBytes({
    location: LOCATION,
    lengthBytes: 32,
    protectionLevel: 'HSM',
  });
  const data = Buffer.from(random.data as Uint8Array);
  expect(data).toHaveLength(32);
  expect(Number(random.dataCrc32c?.value)).toBe(crc32c(data));
  expect(
    await grpcCode(
      h.kms.generateRandomBytes({
        location: LOCATION,
        lengthBytes: 32,
        protectionLevel: 'SOFTWARE',
      }),
    ),
  ).toBe(3);
});

test('GetPublicKey of a symmetric key is FAILED_PRECONDITION; DER format is served', async () => {
  const sym = await generatedKey('ENCRYPT_DECRYPT', 'GOOGLE_SYMMETRIC_ENCRYPTION');
  expect(await grpcCode(h.kms.getPublicKey({ name: sym.version }))).toBe(9);
  const { version } = await generatedKey('ASYMMETRIC_SIGN', 'EC_SIGN_P256_SHA256');
  const [der] = await h.kms.getPublicKey({ name: version, publicKeyFormat: 'DER' });
  const data = Buffer.from(der.publicKey?.data as Uint8Array);
  expect(
    createPublicKey({ key: data, format: 'der', type: 'spki' }).export({
      format: 'pem',
      type: 'spki',
    }),
  ).toBe(der.pem);
});
