/**
 * BYOK refusals of the other parameters: wrapping keys (size, type, garbage), the Azure kid and
 * service, and `checkDistribution` (purpose, protection). Codes, fields, one exact message per
 * code, and no key bytes in any error.
 */
import { randomBytes } from 'node:crypto';
import {
  checkDistribution,
  wrapForAws,
  wrapForAzure,
  wrapForGcp,
  type AzureService,
  type KeyMaterial,
  type WrappingKeyInput,
} from '@keyplane/engine';
import { EXPECTED_MATRIX, type ExpectedAlgorithm } from './support/byok-matrix';
import {
  KEK_SIZES,
  createRefusalFixtures,
  refusal,
  type RefusalFixtures,
} from './support/refusals';

const KID = {
  vault: 'https://keyplane-test.vault.azure.net/keys/keyplane-kek/0123456789abcdef0123456789abcdef',
  'managed-hsm':
    'https://keyplane-test.managedhsm.azure.net/keys/keyplane-kek/fedcba9876543210fedcba9876543210',
} as const;

let fx: RefusalFixtures;

beforeAll(async () => {
  fx = await createRefusalFixtures();
}, 60_000);

function wrapRow(row: ExpectedAlgorithm, key: KeyMaterial, wrappingKey: WrappingKeyInput) {
  const algorithm = row.name;
  switch (row.provider) {
    case 'awskms':
      return wrapForAws({ wrappingKey, key, algorithm });
    case 'gcpckms':
      return wrapForGcp({ wrappingKey, key, algorithm });
    case 'azurekeyvault':
      return wrapForAzure({ wrappingKey, key, algorithm, kid: KID[row.azureService ?? 'vault'] });
  }
}

describe('wrapping keys (KEKs)', () => {
  // Every algorithm × every KEK size it does not accept (RSA-1024 everywhere, RSA-2048 for GCP,
  // the other size for each GCP method).
  const wrongSizes = EXPECTED_MATRIX.flatMap((row) =>
    KEK_SIZES.filter((b) => !row.kekBits.includes(b)).map((bits) => ({ row, bits })),
  );
  test.each(wrongSizes)(
    '$row.name ($row.provider) refuses an RSA-$bits KEK → ERR_INVALID_WRAPPING_KEY',
    ({ row, bits }) => {
      const err = refusal(fx, () =>
        wrapRow(row, fx.targets[row.keyTypes[0]!], fx.keks[bits].public),
      );
      expect(err).toMatchObject({ code: 'ERR_INVALID_WRAPPING_KEY', field: 'wrappingKey' });
      expect(err.allowed).toEqual(row.kekBits.map(String));
      expect(err.message).toContain(`wrappingKey size '${bits}' is not supported for ${row.name}`);
    },
  );

  test('exact messages: RSA-1024 for AWS, RSA-2048 for GCP (default method), 3072 for *_4096_*', () => {
    const key = fx.targets['ecdsa-p256'];
    expect(refusal(fx, () => wrapForAws({ wrappingKey: fx.keks[1024].public, key })).message).toBe(
      "wrappingKey size '1024' is not supported for RSA_AES_KEY_WRAP_SHA_256 on awskms; allowed: 2048, 3072, 4096",
    );
    expect(refusal(fx, () => wrapForGcp({ wrappingKey: fx.keks[2048].public, key })).message).toBe(
      "wrappingKey size '2048' is not supported for RSA_OAEP_3072_SHA256_AES_256 on gcpckms; allowed: 3072",
    );
    const wrongMethod = refusal(fx, () =>
      wrapForGcp({
        wrappingKey: fx.keks[3072].public,
        key,
        algorithm: 'RSA_OAEP_4096_SHA256_AES_256',
      }),
    );
    expect(wrongMethod.message).toBe(
      "wrappingKey size '3072' is not supported for RSA_OAEP_4096_SHA256_AES_256 on gcpckms; allowed: 4096",
    );
  });

  const oneRowPerCloud = EXPECTED_MATRIX.filter(
    (r, i, all) => all.findIndex((x) => x.provider === r.provider) === i,
  );
  const badKeks: [string, () => WrappingKeyInput, RegExp][] = [
    ['an EC public key', () => fx.ecPublic, /^wrappingKey must be an RSA public key, got ec$/],
    [
      'an Ed25519 public key',
      () => fx.ed25519Public,
      /^wrappingKey must be an RSA public key, got ed25519$/,
    ],
    [
      'the EC public key as PEM',
      () => fx.ecPublic.export({ format: 'pem', type: 'spki' }),
      /got ec$/,
    ],
    ['garbage bytes', () => randomBytes(300), /^wrappingKey is not a PEM or DER/],
    ['a text that is no key', () => 'not a key at all', /^wrappingKey is not a PEM or DER/],
    [
      'a broken PEM',
      () => '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
      /^wrappingKey is not a PEM or DER SubjectPublicKeyInfo$/,
    ],
    [
      'the private KEK object',
      () => fx.keks[3072].private,
      /^wrappingKey must be a public key, got a private key$/,
    ],
    [
      'the private KEK as PKCS#8 PEM (a file mix-up)',
      () => fx.keks[3072].private.export({ format: 'pem', type: 'pkcs8' }),
      /^wrappingKey is a private key; pass the cloud's public wrapping key/,
    ],
    ['an AES key object', () => fx.targets['aes256-gcm96'].key, /got a secret key$/],
    [
      'the target key PKCS#8 DER (a secret!)',
      () => fx.targets['rsa-3072'].key.export({ format: 'der', type: 'pkcs8' }),
      /^wrappingKey is not a PEM or DER/,
    ],
  ];
  describe.each(oneRowPerCloud)('$provider', (row) => {
    test.each(badKeks)('refuses %s → ERR_INVALID_WRAPPING_KEY', (_label, kek, message) => {
      const err = refusal(fx, () => wrapRow(row, fx.targets['rsa-2048'], kek()));
      expect(err).toMatchObject({ code: 'ERR_INVALID_WRAPPING_KEY', field: 'wrappingKey' });
      expect(err.message).toMatch(message);
    });
  });
});

describe('Azure kid and service', () => {
  const base = () => ({ wrappingKey: fx.keks[2048].public, key: fx.targets['rsa-2048'] });

  test.each([undefined, '', '   '])('kid %j → ERR_MISSING_PARAMETER', (kid) => {
    const err = refusal(fx, () =>
      wrapForAzure(kid === undefined ? base() : { ...base(), kid: kid }),
    );
    expect(err).toMatchObject({ code: 'ERR_MISSING_PARAMETER', field: 'kid' });
    expect(err.message).toBe(
      'kid is required for Azure BYOK: the full versioned key id of the KEK (an RSA-HSM key with key_ops ["import"])',
    );
  });

  test.each([
    'not a url',
    'keyplane-test.vault.azure.net/keys/kek/0123',
    'https://keyplane-test.vault.azure.net/keys/keyplane-kek',
    'https://keyplane-test.vault.azure.net/keys/keyplane-kek/',
    'https://keyplane-test.vault.azure.net/secrets/keyplane-kek/0123456789abcdef',
    'https://keyplane-test.vault.azure.net/keys/keyplane-kek/0123/extra',
    'ftp://keyplane-test.vault.azure.net/keys/keyplane-kek/0123456789abcdef',
  ])('kid %s → ERR_INVALID_ARGUMENT', (kid) => {
    const err = refusal(fx, () => wrapForAzure({ ...base(), kid }));
    expect(err).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'kid' });
  });

  test('exact messages for a malformed and an unversioned kid', () => {
    expect(refusal(fx, () => wrapForAzure({ ...base(), kid: 'not a url' })).message).toBe(
      "kid 'not a url' is not a URL; expected https://<vault>/keys/<name>/<version>",
    );
    const unversioned = 'https://keyplane-test.vault.azure.net/keys/keyplane-kek';
    expect(refusal(fx, () => wrapForAzure({ ...base(), kid: unversioned })).message).toBe(
      `kid '${unversioned}' must be a versioned key id: https://<vault>/keys/<name>/<version>`,
    );
  });

  test('the service is inferred from a *.managedhsm.azure.net kid, else vault', () => {
    expect(wrapForAzure({ ...base(), kid: KID['managed-hsm'] }).azureService).toBe('managed-hsm');
    expect(wrapForAzure({ ...base(), kid: KID.vault }).azureService).toBe('vault');
    const lookalike = 'https://managedhsm.vault.azure.net/keys/kek/0123456789abcdef';
    expect(wrapForAzure({ ...base(), kid: lookalike }).azureService).toBe('vault');
    const sovereign = 'https://h.managedhsm.usgovcloudapi.net/keys/kek/0123456789abcdef';
    expect(wrapForAzure({ ...base(), kid: sovereign }).azureService).toBe('managed-hsm');
  });

  test('an unknown azureService → ERR_INVALID_ARGUMENT', () => {
    const azureService = 'premium' as string as AzureService;
    const err = refusal(fx, () => wrapForAzure({ ...base(), kid: KID.vault, azureService }));
    expect(err).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'azureService' });
    expect(err.allowed).toEqual(['vault', 'managed-hsm']);
  });
});

describe('checkDistribution', () => {
  const dist =
    (
      provider: string,
      keyType: string,
      purposes: string[],
      protection = 'hsm',
      azureService?: AzureService,
    ) =>
    () =>
      checkDistribution({
        provider,
        keyType,
        purposes,
        protection,
        ...(azureService === undefined ? {} : { azureService }),
      });

  test.each([
    ['gcpckms', 'ecdsa-p256', ['encrypt']],
    ['gcpckms', 'ed25519', ['decrypt']],
    ['awskms', 'ecdsa-p384', ['sign', 'wrap']],
    ['awskms', 'aes256-gcm96', ['sign']],
    ['azurekeyvault', 'ecdsa-p256', ['encrypt']],
    ['awskms', 'rsa-2048', ['derive']],
    ['awskms', 'rsa-2048', ['encrypt', 'sign']],
    ['gcpckms', 'rsa-4096', ['decrypt', 'verify']],
    ['awskms', 'rsa-3072', []],
  ])('%s %s %j → ERR_UNSUPPORTED_PURPOSE (field purpose)', (provider, keyType, purposes) => {
    const err = refusal(fx, dist(provider, keyType, purposes));
    expect(err).toMatchObject({ code: 'ERR_UNSUPPORTED_PURPOSE', field: 'purpose' });
  });

  test('exact purpose messages: not allowed, mixed usages, empty list', () => {
    const notAllowed = refusal(fx, dist('gcpckms', 'ecdsa-p256', ['encrypt']));
    expect(notAllowed.message).toBe(
      "purpose 'encrypt' is not supported for ecdsa-p256 on gcpckms; allowed: sign, verify",
    );
    expect(notAllowed.allowed).toEqual(['sign', 'verify']);
    const mixed = refusal(fx, dist('awskms', 'rsa-2048', ['encrypt', 'sign']));
    expect(mixed.message).toBe(
      'purpose [encrypt, sign] mixes usages awskms keeps apart for rsa-2048; choose within one of: {encrypt, decrypt} or {sign, verify}',
    );
    expect(mixed.allowed).toEqual(['{encrypt, decrypt}', '{sign, verify}']);
    expect(refusal(fx, dist('awskms', 'rsa-2048', [])).message).toBe(
      'purpose must name at least one of: encrypt, decrypt, sign, verify',
    );
  });

  test('RSA may mix encrypt and sign on Azure only', () => {
    for (const service of ['vault', 'managed-hsm'] as const) {
      const all = ['encrypt', 'decrypt', 'sign', 'verify', 'wrap', 'unwrap'];
      expect(dist('azurekeyvault', 'rsa-2048', all, 'hsm', service)().cloudSpec).toBe('RSA-HSM');
    }
    expect(refusal(fx, dist('gcpckms', 'rsa-2048', ['encrypt', 'sign'])).code).toBe(
      'ERR_UNSUPPORTED_PURPOSE',
    );
  });

  test.each([
    ['awskms', 'aes256-gcm96', ['encrypt'], 'software'],
    ['awskms', 'rsa-2048', ['sign'], 'software'],
    ['awskms', 'ecdsa-p521', ['sign'], 'software'],
    ['azurekeyvault', 'ecdsa-p256', ['sign'], 'software'],
    ['gcpckms', 'aes256-gcm96', ['encrypt'], 'external'],
  ])('%s %s at %4$s → ERR_UNSUPPORTED_PROTECTION', (provider, keyType, purposes, protection) => {
    const err = refusal(fx, dist(provider, keyType, purposes, protection));
    expect(err).toMatchObject({ code: 'ERR_UNSUPPORTED_PROTECTION', field: 'protection' });
  });

  test('exact protection message; GCP and Azure RSA do take software', () => {
    expect(refusal(fx, dist('awskms', 'rsa-2048', ['sign'], 'software')).message).toBe(
      "protection 'software' is not supported for rsa-2048 on awskms; allowed: hsm",
    );
    expect(dist('gcpckms', 'ecdsa-p384', ['sign'], 'software')().cloudSpec).toBe(
      'EC_SIGN_P384_SHA384',
    );
    expect(dist('azurekeyvault', 'rsa-3072', ['wrap'], 'software')().cloudSpec).toBe('RSA-HSM');
  });

  test('key types and providers refused by checkDistribution', () => {
    const vault = refusal(fx, dist('azurekeyvault', 'aes256-gcm96', ['encrypt'], 'hsm', 'vault'));
    expect(vault).toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_TYPE', field: 'type' });
    expect(dist('azurekeyvault', 'aes256-gcm96', ['wrap'], 'hsm', 'managed-hsm')().cloudSpec).toBe(
      'oct-HSM 256',
    );
    expect(refusal(fx, dist('gcpckms', 'ecdsa-p521', ['sign'])).code).toBe(
      'ERR_UNSUPPORTED_KEY_TYPE',
    );
    expect(refusal(fx, dist('awskms', 'rsa-1024', ['sign'])).message).toBe(
      "type 'rsa-1024' is not supported; allowed: aes256-gcm96, rsa-2048, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384, ecdsa-p521, ed25519",
    );
    const provider = refusal(fx, dist('oci', 'rsa-2048', ['sign']));
    expect(provider).toMatchObject({ code: 'ERR_UNSUPPORTED_TARGET', field: 'provider' });
  });
});
