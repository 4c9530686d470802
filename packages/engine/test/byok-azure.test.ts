/**
 * Azure Key Vault / Managed HSM BYOK cross-checked against the OpenSSL CLI: the `.byok` JSON
 * document (byok-formats.md §2.3) for every key type each service accepts, its ciphertext
 * unwrapped by OpenSSL with OAEP SHA-1. KEKs are handed over as a KeyObject built from a JWK,
 * which is how an Azure KEK arrives.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { wrapForAzure, type AzureByokResult } from '@keyplane/engine';
import {
  expectCrossCheck,
  expectTableAgrees,
  useByokFixtures,
  type KekFixture,
} from './support/byok-crosscheck';
import { crossCheckPlan, matrixFor, type TestKeyType } from './support/byok-matrix';

const ROWS = matrixFor('azurekeyvault');
const FORMAT = { scheme: 'rsa-aes-key-wrap', hash: 'sha1' } as const;

const KID = {
  vault: 'https://keyplane-test.vault.azure.net/keys/keyplane-kek/0123456789abcdef0123456789abcdef',
  'managed-hsm':
    'https://keyplane-test.managedhsm.azure.net/keys/keyplane-kek/fedcba9876543210fedcba9876543210',
} as const;

/** `kty` / `crv` of the import request per key type. */
const AZURE_KTY: Partial<Record<TestKeyType, { kty: string; crv?: string }>> = {
  'aes256-gcm96': { kty: 'oct-HSM' },
  'rsa-2048': { kty: 'RSA-HSM' },
  'rsa-3072': { kty: 'RSA-HSM' },
  'rsa-4096': { kty: 'RSA-HSM' },
  'ecdsa-p256': { kty: 'EC-HSM', crv: 'P-256' },
  'ecdsa-p384': { kty: 'EC-HSM', crv: 'P-384' },
  'ecdsa-p521': { kty: 'EC-HSM', crv: 'P-521' },
};

const fx = useByokFixtures(ROWS);

/** The KEK as Azure hands it over: a JWK, turned into a KeyObject. */
function jwkKek(kek: KekFixture): KeyObject {
  const jwk = createPublicKey(kek.publicPem).export({ format: 'jwk' });
  return createPublicKey({ key: jwk, format: 'jwk' });
}

/** Parses the `.byok` bytes independently and checks every field; returns the raw blob. */
function expectByokDocument(result: AzureByokResult, kid: string): Buffer {
  const parsed: unknown = JSON.parse(result.blob.toString('utf8'));
  expect(parsed).toEqual(result.document);
  const doc = parsed as Record<string, unknown>;
  expect(Object.keys(doc).sort()).toEqual(['ciphertext', 'generator', 'header', 'schema_version']);
  expect(doc['schema_version']).toBe('1.0.0');
  expect(doc['header']).toStrictEqual({ kid, alg: 'dir', enc: 'CKM_RSA_AES_KEY_WRAP' });
  expect(typeof doc['generator']).toBe('string');
  expect((doc['generator'] as string).length).toBeGreaterThan(0);
  const ciphertext = doc['ciphertext'];
  if (typeof ciphertext !== 'string') throw new Error('ciphertext is not a string');
  // base64url without padding: no '+', '/', '='.
  expect(ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);
  const blob = Buffer.from(ciphertext, 'base64url');
  expect(blob.toString('base64url')).toBe(ciphertext);
  return blob;
}

test('the engine table agrees with the hardcoded Azure matrix', () => {
  expect(ROWS.map((r) => r.azureService)).toEqual(['vault', 'managed-hsm']);
  expectTableAgrees('azurekeyvault');
});

describe.each(ROWS)('Azure $name on $azureService', (row) => {
  const service = row.azureService ?? 'vault';
  // One key type per service runs under every KEK size (2048/3072/4096).
  const allSizes: TestKeyType = service === 'vault' ? 'rsa-2048' : 'ecdsa-p256';
  test.each(crossCheckPlan(row, allSizes))(
    '$keyType under an RSA-$kekBits KEK: .byok document, OpenSSL unwraps the ciphertext',
    ({ keyType, kekBits }) => {
      const kek = fx.kek(kekBits);
      const target = fx.target(keyType);
      const kid = KID[service];
      // The service is inferred from the kid host (`*.managedhsm.azure.net` → managed-hsm).
      const result = wrapForAzure({ wrappingKey: jwkKek(kek), key: target.material, kid });
      expect(result).toMatchObject({
        provider: 'azurekeyvault',
        target: 'azure',
        algorithm: 'CKM_RSA_AES_KEY_WRAP',
        scheme: 'rsa-aes-key-wrap',
        keyType,
        kid,
        azureService: service,
        wrappingKeyBits: kekBits,
        wrappingKeySha256: kek.spkiSha256,
      });
      const expectedKty = AZURE_KTY[keyType];
      expect({ kty: result.kty, crv: result.crv }).toEqual({
        kty: expectedKty?.kty,
        crv: expectedKty?.crv,
      });
      expectCrossCheck(expectByokDocument(result, kid), kek, target, FORMAT);
    },
  );
});

describe('Azure details', () => {
  test('an explicit service and generator are honoured; a PEM KEK works too', () => {
    const kek = fx.kek(3072);
    const target = fx.target('aes256-gcm96');
    const generator = 'Contoso BYOK tool 2.1; HSM firmware 7.3';
    const kid = 'https://keyplane-test.example.net/keys/kek/00112233445566778899aabbccddeeff';
    const result = wrapForAzure({
      wrappingKey: kek.publicPem,
      key: target.material,
      kid,
      azureService: 'managed-hsm',
      generator,
      algorithm: 'CKM_RSA_AES_KEY_WRAP',
    });
    expect(result.azureService).toBe('managed-hsm');
    expect(result.document.generator).toBe(generator);
    expectCrossCheck(expectByokDocument(result, kid), kek, target, FORMAT);
  });

  test('a vault kid defaults to the vault service', () => {
    const result = wrapForAzure({
      wrappingKey: jwkKek(fx.kek(2048)),
      key: fx.target('rsa-3072').material,
      kid: KID.vault,
    });
    expect(result.azureService).toBe('vault');
    expect(result.document.header.kid).toBe(KID.vault);
  });
});
