/**
 * Every BYOK refusal in the compatibility table, asserted by error code and field, with one
 * exact message per code. Every refusal also goes through a detector that fails the test if the
 * error carries any fragment of a private key (hex, base64, base64url, JWK components).
 */
import {
  KeyplaneError,
  kmsProvider,
  oaepCapacity,
  parseWrappingKey,
  wrapForAws,
  wrapForAzure,
  wrapForGcp,
  wrapKeyForImport,
  wrappingAlgorithm,
  type KeyMaterial,
  type WrappingKeyInput,
} from '@keyplane/engine';
import { wrapWithScheme } from '../src/byok/schemes';
import {
  ALL_KEY_TYPES,
  EXPECTED_CLOUD_KEY_TYPES,
  EXPECTED_MATRIX,
  type ExpectedAlgorithm,
} from './support/byok-matrix';
import {
  createRefusalFixtures,
  leakedFragment,
  refusal,
  windowsOf,
  type RefusalFixtures,
} from './support/refusals';
import { nodeUnwrap } from './support/test-unwrapper';

const KID = {
  vault: 'https://keyplane-test.vault.azure.net/keys/keyplane-kek/0123456789abcdef0123456789abcdef',
  'managed-hsm':
    'https://keyplane-test.managedhsm.azure.net/keys/keyplane-kek/fedcba9876543210fedcba9876543210',
} as const;
const AWS_ALGORITHMS =
  'RSA_AES_KEY_WRAP_SHA_256, RSA_AES_KEY_WRAP_SHA_1, RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1';

let fx: RefusalFixtures;

beforeAll(async () => {
  fx = await createRefusalFixtures();
}, 60_000);

const cloudKey = (row: ExpectedAlgorithm): string =>
  row.azureService === undefined ? row.provider : `${row.provider}/${row.azureService}`;
const sorted = (xs: readonly string[] | undefined): string[] => [...(xs ?? [])].sort();

/** Wraps through the row's cloud entry point (Azure: the kid selects the service). */
function wrapRow(
  row: ExpectedAlgorithm,
  key: KeyMaterial,
  wrappingKey: WrappingKeyInput,
  algorithm: string = row.name,
) {
  switch (row.provider) {
    case 'awskms':
      return wrapForAws({ wrappingKey, key, algorithm });
    case 'gcpckms':
      return wrapForGcp({ wrappingKey, key, algorithm });
    case 'azurekeyvault':
      return wrapForAzure({ wrappingKey, key, algorithm, kid: KID[row.azureService ?? 'vault'] });
  }
}

describe('the leak detector', () => {
  test('flags a message that embeds a fragment of a key, and nothing else', () => {
    const der = fx.targets['ecdsa-p256'].key.export({ format: 'der', type: 'pkcs8' });
    const windows = windowsOf([der.toString('hex'), der.toString('base64')]);
    expect(leakedFragment(`bad key ${der.toString('hex').slice(40, 80)}`, windows)).toBeDefined();
    expect(
      leakedFragment(`bad key ${der.toString('base64').slice(20, 60)}`, windows),
    ).toBeDefined();
    expect(leakedFragment("key 'ecdsa-p256' is not supported by awskms", windows)).toBeUndefined();
  });
});

describe('unknown targets and algorithms', () => {
  test.each(['oracle', 'AWS', 'toString', '__proto__', 'constructor', ''])(
    'target %j → ERR_UNSUPPORTED_TARGET',
    (target) => {
      const key = fx.targets['aes256-gcm96'];
      const err = refusal(fx, () =>
        wrapKeyForImport({ target, key, wrappingKey: fx.keks[2048].public }),
      );
      expect(err).toBeInstanceOf(KeyplaneError);
      expect(err).toMatchObject({ code: 'ERR_UNSUPPORTED_TARGET', field: 'target' });
      expect(sorted(err.allowed)).toEqual(
        sorted(['aws', 'awskms', 'azure', 'azurekeyvault', 'gcp', 'gcpckms']),
      );
    },
  );

  test('exact message for ERR_UNSUPPORTED_TARGET; known targets dispatch', () => {
    const key = fx.targets['aes256-gcm96'];
    const err = refusal(fx, () =>
      wrapKeyForImport({ target: 'oracle', key, wrappingKey: fx.keks[2048].public }),
    );
    expect(err.message).toBe(
      "target 'oracle' is not supported; allowed: awskms, azurekeyvault, gcpckms, aws, azure, gcp",
    );
    expect(refusal(fx, () => kmsProvider('alibaba')).field).toBe('provider');
    for (const [target, provider] of [
      ['aws', 'awskms'],
      ['awskms', 'awskms'],
      ['gcp', 'gcpckms'],
      ['azure', 'azurekeyvault'],
    ] as const) {
      const wrappingKey = fx.keks[provider === 'gcpckms' ? 3072 : 2048].public;
      const kid = provider === 'azurekeyvault' ? { kid: KID['managed-hsm'] } : {};
      expect(wrapKeyForImport({ target, key, wrappingKey, ...kid }).provider).toBe(provider);
    }
  });

  test.each([
    ['aws', { kid: KID['managed-hsm'] }, 'kid is only used for target azure, not aws'],
    ['gcp', { kid: KID['managed-hsm'] }, 'kid is only used for target azure, not gcp'],
    [
      'aws',
      { azureService: 'vault' as const },
      'azureService is only used for target azure, not aws',
    ],
  ])(
    'refuses Azure-only parameters for target %s instead of ignoring them',
    (target, extra, message) => {
      const key = fx.targets['aes256-gcm96'];
      const wrappingKey = fx.keks[target === 'gcp' ? 3072 : 2048].public;
      const err = refusal(fx, () => wrapKeyForImport({ target, key, wrappingKey, ...extra }));
      expect(err).toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
        message,
        field: Object.keys(extra)[0],
      });
    },
  );

  // Every cloud refuses the other clouds' names, and made-up ones.
  const foreign = (provider: string) => [
    ...new Set(EXPECTED_MATRIX.filter((r) => r.provider !== provider).map((r) => r.name)),
  ];
  const oneRowPerCloud = EXPECTED_MATRIX.filter(
    (r, i, all) => all.findIndex((x) => x.provider === r.provider) === i,
  );
  describe.each(oneRowPerCloud)('$provider', (row) => {
    test.each([...foreign(row.provider), 'RSA_AES_KEY_WRAP_SHA_512', 'toString', '__proto__'])(
      'algorithm %s → ERR_UNSUPPORTED_WRAPPING_ALGORITHM listing the allowed names',
      (name) => {
        const kek = fx.keks[row.kekBits[0] === 4096 ? 4096 : 3072].public;
        const err = refusal(fx, () => wrapRow(row, fx.targets['aes256-gcm96'], kek, name));
        expect(err).toMatchObject({
          code: 'ERR_UNSUPPORTED_WRAPPING_ALGORITHM',
          field: 'algorithm',
        });
        const own = [
          ...new Set(EXPECTED_MATRIX.filter((r) => r.provider === row.provider).map((r) => r.name)),
        ];
        expect(sorted(err.allowed)).toEqual(sorted(own));
        for (const allowed of own) expect(err.message).toContain(allowed);
      },
    );
  });

  // The pipeline resolves the algorithm before it looks at the KEK, on every cloud: an explicit
  // unknown algorithm is reported as such even when the KEK is garbage too.
  test.each(oneRowPerCloud)(
    '$provider: an unknown algorithm is reported before a bad KEK',
    (row) => {
      const err = refusal(fx, () =>
        wrapRow(row, fx.targets['aes256-gcm96'], Buffer.from('garbage'), 'NO_SUCH_METHOD'),
      );
      expect(err.code).toBe('ERR_UNSUPPORTED_WRAPPING_ALGORITHM');
    },
  );

  test('exact message for ERR_UNSUPPORTED_WRAPPING_ALGORITHM', () => {
    const err = refusal(fx, () =>
      wrapForAws({
        wrappingKey: fx.keks[2048].public,
        key: fx.targets['aes256-gcm96'],
        algorithm: 'RSA_AES_KEY_WRAP_SHA_512',
      }),
    );
    expect(err.message).toBe(
      `algorithm 'RSA_AES_KEY_WRAP_SHA_512' is not supported for awskms; allowed: ${AWS_ALGORITHMS}`,
    );
  });
});

describe('key types a cloud, service or algorithm refuses (the complement of the matrix)', () => {
  const cases = EXPECTED_MATRIX.flatMap((row) =>
    ALL_KEY_TYPES.filter((t) => !row.keyTypes.includes(t)).map((keyType) => ({
      row,
      keyType,
      label: `${row.name}${row.azureService === undefined ? '' : ` (${row.azureService})`}`,
    })),
  );
  test.each(cases)('$label refuses $keyType → ERR_UNSUPPORTED_KEY_TYPE', ({ row, keyType }) => {
    const kek = fx.keks[row.kekBits.includes(3072) ? 3072 : 4096].public;
    const err = refusal(fx, () => wrapRow(row, fx.targets[keyType], kek));
    expect(err).toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_TYPE', field: 'key' });
    const cloudTypes = EXPECTED_CLOUD_KEY_TYPES[cloudKey(row)] ?? [];
    // Refused by the cloud → the cloud's list; by the algorithm only → the algorithm's list.
    const expected = cloudTypes.includes(keyType) ? row.keyTypes : cloudTypes;
    expect(sorted(err.allowed)).toEqual(sorted(expected));
    expect(err.message).toContain(`key '${keyType}' is not supported`);
  });

  test.each([
    [
      () => wrapForAws({ wrappingKey: fx.keks[2048].public, key: fx.targets.ed25519 }),
      "key 'ed25519' is not supported by awskms; allowed: aes256-gcm96, rsa-2048, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384, ecdsa-p521",
    ],
    [
      () => wrapForGcp({ wrappingKey: fx.keks[3072].public, key: fx.targets['ecdsa-p521'] }),
      "key 'ecdsa-p521' is not supported by gcpckms; allowed: aes256-gcm96, rsa-2048, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384, ed25519",
    ],
    [
      () =>
        wrapForAzure({
          wrappingKey: fx.keks[2048].public,
          key: fx.targets['ecdsa-p256'],
          kid: KID.vault,
        }),
      "key 'ecdsa-p256' is not supported by azurekeyvault (vault); allowed: rsa-2048, rsa-3072, rsa-4096 (Azure managed-hsm accepts it)",
    ],
    [
      () =>
        wrapForAws({
          wrappingKey: fx.keks[2048].public,
          key: fx.targets['rsa-2048'],
          algorithm: 'RSAES_OAEP_SHA_256',
        }),
      "key 'rsa-2048' is not supported with RSAES_OAEP_SHA_256; allowed: aes256-gcm96, ecdsa-p256, ecdsa-p384, ecdsa-p521",
    ],
    [
      () =>
        wrapForGcp({
          wrappingKey: fx.keks[3072].public,
          key: fx.targets['ecdsa-p256'],
          algorithm: 'RSA_OAEP_3072_SHA256',
        }),
      "key 'ecdsa-p256' is not supported with RSA_OAEP_3072_SHA256; allowed: aes256-gcm96",
    ],
  ])('exact message %#', (fn, message) => {
    expect(refusal(fx, fn).message).toBe(message);
  });

  test('Azure: EC and AES go to Managed HSM (kid host or explicit service), not to Key Vault', () => {
    const wrappingKey = fx.keks[2048].public;
    for (const keyType of ['ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'aes256-gcm96'] as const) {
      const key = fx.targets[keyType];
      expect(wrapForAzure({ wrappingKey, key, kid: KID['managed-hsm'] }).azureService).toBe(
        'managed-hsm',
      );
      const viaVaultKid = refusal(fx, () => wrapForAzure({ wrappingKey, key, kid: KID.vault }));
      expect(viaVaultKid.code).toBe('ERR_UNSUPPORTED_KEY_TYPE');
      const forced = refusal(fx, () =>
        wrapForAzure({ wrappingKey, key, kid: KID['managed-hsm'], azureService: 'vault' }),
      );
      expect(forced.code).toBe('ERR_UNSUPPORTED_KEY_TYPE');
      const viaExplicit = wrapForAzure({
        wrappingKey,
        key,
        kid: KID.vault,
        azureService: 'managed-hsm',
      });
      expect(viaExplicit.azureService).toBe('managed-hsm');
    }
  });
});

describe('AWS ECC_NIST_P521 under RSA_2048 with RSAES_OAEP_*', () => {
  test.each(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'])(
    '%s refuses it; RSA-3072 takes it',
    (algorithm) => {
      const key = fx.targets['ecdsa-p521'];
      const err = refusal(fx, () =>
        wrapForAws({ wrappingKey: fx.keks[2048].public, key, algorithm }),
      );
      expect(err).toMatchObject({ code: 'ERR_UNSUPPORTED_KEY_TYPE', field: 'key' });
      expect(err.message).toBe(
        "key 'ecdsa-p521' cannot be wrapped: AWS does not accept ECC_NIST_P521 under an RSA_2048 wrapping key with RSAES_OAEP_*",
      );
      expect(wrapForAws({ wrappingKey: fx.keks[3072].public, key, algorithm }).blob).toHaveLength(
        384,
      );
    },
  );

  test.each([
    ['RSA_AES_KEY_WRAP_SHA_1', 'sha1'],
    ['RSA_AES_KEY_WRAP_SHA_256', 'sha256'],
  ] as const)('%s carries it under RSA-2048', (algorithm, hash) => {
    const key = fx.targets['ecdsa-p521'];
    const { blob } = wrapForAws({ wrappingKey: fx.keks[2048].public, key, algorithm });
    const restored = nodeUnwrap(blob, fx.keks[2048].private, { scheme: 'rsa-aes-key-wrap', hash });
    expect(restored).toEqual(key.key.export({ format: 'der', type: 'pkcs8' }));
  });
});

describe('direct-OAEP capacity', () => {
  const hashBytes = { sha1: 20, sha256: 32 } as const;
  const capacity = (bits: number, hash: 'sha1' | 'sha256') => bits / 8 - 2 * hashBytes[hash] - 2;
  const plaintextBytes = (t: (typeof ALL_KEY_TYPES)[number]) => {
    const k = fx.targets[t].key;
    return k.type === 'secret'
      ? k.export().length
      : k.export({ format: 'der', type: 'pkcs8' }).length;
  };

  test('no accepted direct-OAEP combination can overflow; each exclusion is exactly an overflow', () => {
    for (const row of EXPECTED_MATRIX.filter((r) => r.scheme === 'rsa-oaep')) {
      for (const bits of row.kekBits) {
        expect(oaepCapacity(bits, row.hash)).toBe(capacity(bits, row.hash));
        for (const keyType of row.keyTypes) {
          const excluded = row.excluded.some((x) => x.keyType === keyType && x.kekBits === bits);
          const fits = plaintextBytes(keyType) <= capacity(bits, row.hash);
          expect({ row: row.name, keyType, bits, fits }).toEqual({
            row: row.name,
            keyType,
            bits,
            fits: !excluded,
          });
        }
      }
    }
  });

  // The public API refuses every overflowing pair earlier (above), so the scheme's own guard is
  // exercised directly: it is the last line of defence if the table ever grows.
  test('the scheme guard refuses capacity + 1 bytes with ERR_KEY_TOO_LARGE_FOR_WRAPPING', () => {
    const algorithm = wrappingAlgorithm('awskms', 'RSAES_OAEP_SHA_1');
    const kek = parseWrappingKey(fx.keks[2048].public, algorithm);
    const max = Buffer.alloc(214, 0x5a);
    const blob = wrapWithScheme(kek, algorithm, max);
    expect(nodeUnwrap(blob, fx.keks[2048].private, { scheme: 'rsa-oaep', hash: 'sha1' })).toEqual(
      max,
    );
    const err = refusal(fx, () => wrapWithScheme(kek, algorithm, Buffer.alloc(215, 0x5a)));
    expect(err).toMatchObject({ code: 'ERR_KEY_TOO_LARGE_FOR_WRAPPING', field: 'algorithm' });
    expect(err.message).toBe(
      'key material of 215 bytes exceeds what RSAES_OAEP_SHA_1 can carry under a 2048-bit wrapping key (214 bytes); use an RSA-AES hybrid algorithm or a larger wrapping key',
    );
  });
});
