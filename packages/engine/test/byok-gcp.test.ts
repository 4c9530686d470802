/**
 * Google Cloud KMS BYOK cross-checked against the OpenSSL CLI: every import method × every key
 * type it accepts, with the import job's KEK as a PEM string (`ImportJob.public_key.pem`).
 */
import { wrapForGcp } from '@keyplane/engine';
import { expectCrossCheck, expectTableAgrees, useByokFixtures } from './support/byok-crosscheck';
import { crossCheckPlan, matrixFor, type TestKeyType } from './support/byok-matrix';
import { opensslUnwrap } from '../../../test/support/openssl';

const ROWS = matrixFor('gcpckms');

/** GCP algorithm names per key type (RSA: decrypt or sign; the engine reports both). */
const GCP_SPEC: Partial<Record<TestKeyType, string>> = {
  'aes256-gcm96': 'GOOGLE_SYMMETRIC_ENCRYPTION',
  'rsa-2048': 'RSA_DECRYPT_OAEP_2048_SHA256 | RSA_SIGN_PSS_2048_SHA256',
  'rsa-3072': 'RSA_DECRYPT_OAEP_3072_SHA256 | RSA_SIGN_PSS_3072_SHA256',
  'rsa-4096': 'RSA_DECRYPT_OAEP_4096_SHA256 | RSA_SIGN_PSS_4096_SHA256',
  'ecdsa-p256': 'EC_SIGN_P256_SHA256',
  'ecdsa-p384': 'EC_SIGN_P384_SHA384',
  ed25519: 'EC_SIGN_ED25519',
};

const fx = useByokFixtures(ROWS);

test('the engine table agrees with the hardcoded GCP matrix', () => {
  expect(ROWS.map((r) => r.name)).toHaveLength(6);
  expectTableAgrees('gcpckms');
});

describe.each(ROWS)('GCP $name ($scheme, OAEP $hash)', (row) => {
  // Each import method names its one KEK size; 3072 and 4096 are both covered by the methods.
  test.each(crossCheckPlan(row, 'aes256-gcm96'))(
    '$keyType under the RSA-$kekBits import job key: OpenSSL unwraps, OpenSSL-built blob round-trips',
    ({ keyType, kekBits }) => {
      const kek = fx.kek(kekBits);
      const target = fx.target(keyType);
      const result = wrapForGcp({
        wrappingKey: kek.publicPem,
        key: target.material,
        algorithm: row.name,
      });
      expect(result).toMatchObject({
        provider: 'gcpckms',
        target: 'gcp',
        algorithm: row.name,
        scheme: row.scheme,
        keyType,
        cloudSpec: GCP_SPEC[keyType],
        wrappingKeyBits: kekBits,
        wrappingKeySha256: kek.spkiSha256,
      });
      expectCrossCheck(result.blob, kek, target, row);
    },
  );
});

describe('GCP details', () => {
  test.each([
    [3072, 'RSA_OAEP_3072_SHA256_AES_256'],
    [4096, 'RSA_OAEP_4096_SHA256_AES_256'],
  ] as const)(
    'without an algorithm, an RSA-%i import job key selects %s',
    (bits, expectedMethod) => {
      const kek = fx.kek(bits);
      const target = fx.target('ecdsa-p256');
      const result = wrapForGcp({ wrappingKey: kek.publicPem, key: target.material });
      expect(result.algorithm).toBe(expectedMethod);
      const format = { scheme: 'rsa-aes-key-wrap', hash: 'sha256' } as const;
      expect(opensslUnwrap(result.blob, kek.privatePem, format)).toEqual(target.expected);
    },
  );

  test('a DER SPKI import job key is accepted as well', () => {
    const kek = fx.kek(3072);
    const target = fx.target('ed25519');
    const result = wrapForGcp({
      wrappingKey: kek.publicDer,
      key: target.material,
      algorithm: 'RSA_OAEP_3072_SHA1_AES_256',
    });
    expectCrossCheck(result.blob, kek, target, { scheme: 'rsa-aes-key-wrap', hash: 'sha1' });
  });
});
