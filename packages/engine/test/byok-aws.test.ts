/**
 * AWS KMS BYOK cross-checked against the OpenSSL CLI: every wrapping algorithm × every key type
 * it accepts, KEKs handed over as DER SPKI (what `GetParametersForImport` returns).
 */
import { AWS_DEFAULT_WRAPPING_ALGORITHM, wrapForAws } from '@keyplane/engine';
import { expectCrossCheck, expectTableAgrees, useByokFixtures } from './support/byok-crosscheck';
import { crossCheckPlan, matrixFor, type TestKeyType } from './support/byok-matrix';
import { opensslUnwrap } from '../../../test/support/openssl';
import { nodeUnwrap, nodeUnwrapDetailed } from './support/test-unwrapper';

const ROWS = matrixFor('awskms');

/** AWS `KeySpec` per key type. */
const AWS_KEY_SPEC: Partial<Record<TestKeyType, string>> = {
  'aes256-gcm96': 'SYMMETRIC_DEFAULT',
  'rsa-2048': 'RSA_2048',
  'rsa-3072': 'RSA_3072',
  'rsa-4096': 'RSA_4096',
  'ecdsa-p256': 'ECC_NIST_P256',
  'ecdsa-p384': 'ECC_NIST_P384',
  'ecdsa-p521': 'ECC_NIST_P521',
};

const fx = useByokFixtures(ROWS);

test('the engine table agrees with the hardcoded AWS matrix', () => {
  expect(ROWS.map((r) => r.name)).toHaveLength(4);
  expectTableAgrees('awskms');
});

describe.each(ROWS)('AWS $name ($scheme, OAEP $hash)', (row) => {
  // ecdsa-p384 is accepted by all four algorithms and is the tightest direct-OAEP fit (185-byte
  // PKCS#8 vs 190 bytes under RSA-2048 with SHA-256): it runs under every KEK size.
  test.each(crossCheckPlan(row, 'ecdsa-p384'))(
    '$keyType under an RSA-$kekBits KEK: OpenSSL unwraps, OpenSSL-built blob round-trips',
    ({ keyType, kekBits }) => {
      const kek = fx.kek(kekBits);
      const target = fx.target(keyType);
      const result = wrapForAws({
        wrappingKey: kek.publicDer,
        key: target.material,
        algorithm: row.name,
      });
      expect(result).toMatchObject({
        provider: 'awskms',
        target: 'aws',
        algorithm: row.name,
        scheme: row.scheme,
        keyType,
        cloudSpec: AWS_KEY_SPEC[keyType],
        wrappingKeyBits: kekBits,
        wrappingKeySha256: kek.spkiSha256,
      });
      expectCrossCheck(result.blob, kek, target, row, kek.publicDer);
    },
  );
});

describe('AWS details', () => {
  test('the default algorithm is RSA_AES_KEY_WRAP_SHA_256 (OpenSSL unwraps with SHA-256)', () => {
    const kek = fx.kek(3072);
    const target = fx.target('rsa-2048');
    const result = wrapForAws({ wrappingKey: kek.publicDer, key: target.material });
    expect(AWS_DEFAULT_WRAPPING_ALGORITHM).toBe('RSA_AES_KEY_WRAP_SHA_256');
    expect(result.algorithm).toBe('RSA_AES_KEY_WRAP_SHA_256');
    const format = { scheme: 'rsa-aes-key-wrap', hash: 'sha256' } as const;
    expect(opensslUnwrap(result.blob, kek.privatePem, format)).toEqual(target.expected);
  });

  test('a PEM KEK gives the same result metadata as its DER form', () => {
    const kek = fx.kek(2048);
    const key = fx.target('ecdsa-p384').material;
    const fromPem = wrapForAws({ wrappingKey: kek.publicPem, key });
    const fromDer = wrapForAws({ wrappingKey: kek.publicDer, key });
    expect(fromPem.wrappingKeySha256).toBe(fromDer.wrappingKeySha256);
    expect(fromPem.wrappingKeySha256).toBe(kek.spkiSha256);
  });

  test('every hybrid wrap uses a fresh 32-byte AES key, and direct OAEP is randomized', () => {
    const kek = fx.kek(2048);
    const target = fx.target('aes256-gcm96');
    const hybrid = { scheme: 'rsa-aes-key-wrap', hash: 'sha256' } as const;
    const wrap = (algorithm: string) =>
      wrapForAws({ wrappingKey: kek.publicDer, key: target.material, algorithm }).blob;
    const a = nodeUnwrapDetailed(wrap('RSA_AES_KEY_WRAP_SHA_256'), kek.privatePem, hybrid);
    const b = nodeUnwrapDetailed(wrap('RSA_AES_KEY_WRAP_SHA_256'), kek.privatePem, hybrid);
    expect(a.ephemeralKey).toHaveLength(32);
    expect(b.ephemeralKey).toHaveLength(32);
    expect(a.ephemeralKey).not.toEqual(b.ephemeralKey);
    expect(a.ephemeralKey).not.toEqual(target.expected);
    expect(wrap('RSAES_OAEP_SHA_256')).not.toEqual(wrap('RSAES_OAEP_SHA_256'));
  });

  test('the oracles are discriminating: wrong hash, wrong KEK and a tampered tail all fail', () => {
    const kek = fx.kek(2048);
    const other = fx.kek(3072);
    const target = fx.target('ecdsa-p256');
    const sha256 = { scheme: 'rsa-aes-key-wrap', hash: 'sha256' } as const;
    const sha1 = { scheme: 'rsa-aes-key-wrap', hash: 'sha1' } as const;
    const blob = wrapForAws({
      wrappingKey: kek.publicDer,
      key: target.material,
      algorithm: 'RSA_AES_KEY_WRAP_SHA_256',
    }).blob;
    expect(() => opensslUnwrap(blob, kek.privatePem, sha1)).toThrow(/openssl pkeyutl failed/);
    expect(() => nodeUnwrap(blob, kek.privatePem, sha1)).toThrow();
    expect(() => opensslUnwrap(blob, other.privatePem, sha256)).toThrow();
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0x01;
    expect(() => opensslUnwrap(tampered, kek.privatePem, sha256)).toThrow(/openssl enc failed/);
    expect(() => nodeUnwrap(tampered, kek.privatePem, sha256)).toThrow();
  });
});
