/**
 * The expected BYOK matrix, hardcoded from byok-formats.md §1 and the cloud documentation — NOT
 * derived from the engine's tables, so the tests check the tables as well as the code.
 */
export type TestKeyType =
  | 'aes256-gcm96'
  | 'rsa-2048'
  | 'rsa-3072'
  | 'rsa-4096'
  | 'ecdsa-p256'
  | 'ecdsa-p384'
  | 'ecdsa-p521'
  | 'ed25519';

export const ALL_KEY_TYPES: readonly TestKeyType[] = [
  'aes256-gcm96',
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
  'ecdsa-p256',
  'ecdsa-p384',
  'ecdsa-p521',
  'ed25519',
];

export type TestProvider = 'awskms' | 'azurekeyvault' | 'gcpckms';
export type TestAzureService = 'vault' | 'managed-hsm';

export interface ExpectedAlgorithm {
  readonly provider: TestProvider;
  readonly name: string;
  readonly scheme: 'rsa-aes-key-wrap' | 'rsa-oaep';
  /** OAEP hash and its MGF1 hash. */
  readonly hash: 'sha1' | 'sha256';
  readonly kekBits: readonly number[];
  /** Every key type this algorithm (and service) accepts. */
  readonly keyTypes: readonly TestKeyType[];
  /** (key type, KEK size) pairs refused although each half is allowed. */
  readonly excluded: readonly { readonly keyType: TestKeyType; readonly kekBits: number }[];
  /** Azure: the service this row is for. */
  readonly azureService?: TestAzureService;
}

const AES = 'aes256-gcm96';
const RSA: readonly TestKeyType[] = ['rsa-2048', 'rsa-3072', 'rsa-4096'];
const ECDSA_ALL: readonly TestKeyType[] = ['ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521'];
const AWS_ALL: readonly TestKeyType[] = [AES, ...RSA, ...ECDSA_ALL];
const GCP_ALL: readonly TestKeyType[] = [AES, ...RSA, 'ecdsa-p256', 'ecdsa-p384', 'ed25519'];
const AZURE_MHSM: readonly TestKeyType[] = [AES, ...RSA, ...ECDSA_ALL];
const KEK_2_3_4: readonly number[] = [2048, 3072, 4096];
// AWS: RSAES_OAEP_* cannot carry RSA private keys; ECC_NIST_P521 is refused under RSA_2048.
const AWS_OAEP_KEYS: readonly TestKeyType[] = [AES, ...ECDSA_ALL];
const AWS_OAEP_EXCLUDED = [{ keyType: 'ecdsa-p521', kekBits: 2048 }] as const;

function row(
  provider: TestProvider,
  name: string,
  scheme: ExpectedAlgorithm['scheme'],
  hash: ExpectedAlgorithm['hash'],
  kekBits: readonly number[],
  keyTypes: readonly TestKeyType[],
  extra: Partial<Pick<ExpectedAlgorithm, 'excluded' | 'azureService'>> = {},
): ExpectedAlgorithm {
  return { provider, name, scheme, hash, kekBits, keyTypes, excluded: [], ...extra };
}

const HYBRID = 'rsa-aes-key-wrap';
const DIRECT = 'rsa-oaep';

export const EXPECTED_MATRIX: readonly ExpectedAlgorithm[] = [
  row('awskms', 'RSA_AES_KEY_WRAP_SHA_1', HYBRID, 'sha1', KEK_2_3_4, AWS_ALL),
  row('awskms', 'RSA_AES_KEY_WRAP_SHA_256', HYBRID, 'sha256', KEK_2_3_4, AWS_ALL),
  row('awskms', 'RSAES_OAEP_SHA_1', DIRECT, 'sha1', KEK_2_3_4, AWS_OAEP_KEYS, {
    excluded: AWS_OAEP_EXCLUDED,
  }),
  row('awskms', 'RSAES_OAEP_SHA_256', DIRECT, 'sha256', KEK_2_3_4, AWS_OAEP_KEYS, {
    excluded: AWS_OAEP_EXCLUDED,
  }),
  // Azure: one algorithm, OAEP SHA-1 only; Key Vault takes RSA only, Managed HSM also EC and AES.
  row('azurekeyvault', 'CKM_RSA_AES_KEY_WRAP', HYBRID, 'sha1', KEK_2_3_4, RSA, {
    azureService: 'vault',
  }),
  row('azurekeyvault', 'CKM_RSA_AES_KEY_WRAP', HYBRID, 'sha1', KEK_2_3_4, AZURE_MHSM, {
    azureService: 'managed-hsm',
  }),
  // GCP import methods 1-4 (hybrid) carry anything GCP imports; 5/6 (direct) symmetric keys only.
  row('gcpckms', 'RSA_OAEP_3072_SHA1_AES_256', HYBRID, 'sha1', [3072], GCP_ALL),
  row('gcpckms', 'RSA_OAEP_4096_SHA1_AES_256', HYBRID, 'sha1', [4096], GCP_ALL),
  row('gcpckms', 'RSA_OAEP_3072_SHA256_AES_256', HYBRID, 'sha256', [3072], GCP_ALL),
  row('gcpckms', 'RSA_OAEP_4096_SHA256_AES_256', HYBRID, 'sha256', [4096], GCP_ALL),
  row('gcpckms', 'RSA_OAEP_3072_SHA256', DIRECT, 'sha256', [3072], [AES]),
  row('gcpckms', 'RSA_OAEP_4096_SHA256', DIRECT, 'sha256', [4096], [AES]),
];

/** Key types each cloud (and Azure service) imports at all, whatever the algorithm. */
export const EXPECTED_CLOUD_KEY_TYPES: Readonly<Record<string, readonly TestKeyType[]>> = {
  awskms: AWS_ALL,
  'azurekeyvault/vault': RSA,
  'azurekeyvault/managed-hsm': AZURE_MHSM,
  gcpckms: GCP_ALL,
};

export function matrixFor(provider: TestProvider): readonly ExpectedAlgorithm[] {
  return EXPECTED_MATRIX.filter((e) => e.provider === provider);
}

/** Plaintext the cloud expects: raw bytes for AES, PKCS#8 DER for everything else. */
export const plaintextFormat = (t: TestKeyType): 'raw' | 'pkcs8' => (t === AES ? 'raw' : 'pkcs8');

export interface CrossCheckCase {
  readonly keyType: TestKeyType;
  readonly kekBits: number;
}

/**
 * Which (key type, KEK size) pairs to run for one algorithm: every accepted key type once, with
 * the KEK size rotating so each size is used, plus every size for `allSizesFor`. Excluded pairs
 * are skipped (they are refusals, tested elsewhere).
 */
export function crossCheckPlan(
  entry: ExpectedAlgorithm,
  allSizesFor: TestKeyType,
): CrossCheckCase[] {
  const allowed = (keyType: TestKeyType, kekBits: number): boolean =>
    !entry.excluded.some((x) => x.keyType === keyType && x.kekBits === kekBits);
  return entry.keyTypes.flatMap((keyType, i) => {
    const rotated = entry.kekBits.map((_, j) => entry.kekBits[(i + j) % entry.kekBits.length]!);
    const sizes = (keyType === allSizesFor ? entry.kekBits : rotated.slice(0, 1)).filter((b) =>
      allowed(keyType, b),
    );
    const fallback = rotated.find((b) => allowed(keyType, b));
    const chosen = sizes.length > 0 ? sizes : fallback === undefined ? [] : [fallback];
    return chosen.map((kekBits) => ({ keyType, kekBits }));
  });
}
