/**
 * BYOK wrapping algorithms per cloud, as data. Two schemes exist (see byok/schemes.ts for the public specifications):
 * - `rsa-aes-key-wrap`: PKCS#11 CKM_RSA_AES_KEY_WRAP — RSA-OAEP(KEK, ephemeral AES-256) ‖
 *   AES-KWP(ephemeral, plaintext). Carries any key.
 * - `rsa-oaep`: RSA-OAEP(KEK, plaintext) directly. Only small material fits.
 *
 * @module
 */
import { UnsupportedWrappingAlgorithmError, notAllowedMessage } from '../errors';
import type { KmsProviderName } from './clouds';
import type { KeyFamily, KeyTypeName } from './key-types';
import { lookup, table } from './table';

export type WrappingScheme = 'rsa-aes-key-wrap' | 'rsa-oaep';
export type OaepHash = 'sha1' | 'sha256';

/** A (key type, KEK size) pair the cloud refuses even though each half is allowed. */
export interface WrappingExclusion {
  readonly keyType: KeyTypeName;
  readonly kekBits: number;
  readonly reason: string;
}

export interface WrappingAlgorithm {
  readonly name: string;
  readonly provider: KmsProviderName;
  readonly scheme: WrappingScheme;
  /** Hash for OAEP and its MGF1 (the label is always empty). */
  readonly oaepHash: OaepHash;
  /** RSA modulus sizes the cloud issues / accepts for this algorithm's wrapping key. */
  readonly kekBits: readonly number[];
  /** Key families the algorithm may carry. */
  readonly families: readonly KeyFamily[];
  readonly exclusions: readonly WrappingExclusion[];
}

const ANY_KEY: readonly KeyFamily[] = ['aes', 'rsa', 'ecdsa', 'ed25519'];

function algorithm(
  provider: KmsProviderName,
  name: string,
  scheme: WrappingScheme,
  oaepHash: OaepHash,
  kekBits: readonly number[],
  families: readonly KeyFamily[] = ANY_KEY,
  exclusions: readonly WrappingExclusion[] = [],
): WrappingAlgorithm {
  return { name, provider, scheme, oaepHash, kekBits, families, exclusions };
}

const AWS_KEK = [2048, 3072, 4096];
// https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-encrypt-key-material.html:
// RSAES_OAEP_* cannot carry RSA private keys, and "ECC_NIST_P521 key material, the RSA_2048 public
// wrapping key spec, and an RSAES_OAEP_SHA_* wrapping algorithm" is not supported.
const AWS_OAEP_FAMILIES: readonly KeyFamily[] = ['aes', 'ecdsa'];
const AWS_OAEP_EXCLUSIONS: readonly WrappingExclusion[] = [
  {
    keyType: 'ecdsa-p521',
    kekBits: 2048,
    reason: 'AWS does not accept ECC_NIST_P521 under an RSA_2048 wrapping key with RSAES_OAEP_*',
  },
];

const aws = (name: string, scheme: WrappingScheme, hash: OaepHash) =>
  scheme === 'rsa-oaep'
    ? algorithm('awskms', name, scheme, hash, AWS_KEK, AWS_OAEP_FAMILIES, AWS_OAEP_EXCLUSIONS)
    : algorithm('awskms', name, scheme, hash, AWS_KEK);
const gcp = (name: string, scheme: WrappingScheme, hash: OaepHash, bits: number) =>
  // GCP: the direct RSA_OAEP_*_SHA256 methods are for symmetric keys only (service.proto ImportMethod).
  algorithm('gcpckms', name, scheme, hash, [bits], scheme === 'rsa-oaep' ? ['aes'] : ANY_KEY);

/**
 * Typed as a plain map of names (not the inferred literal keys): the inferred key unions are
 * printed in the API report in an order that depends on the build, which made the report differ
 * between an incremental and a clean build.
 */
export const WRAPPING_ALGORITHMS: Readonly<
  Record<KmsProviderName, Readonly<Record<string, WrappingAlgorithm>>>
> = {
  awskms: table({
    RSA_AES_KEY_WRAP_SHA_256: aws('RSA_AES_KEY_WRAP_SHA_256', 'rsa-aes-key-wrap', 'sha256'),
    RSA_AES_KEY_WRAP_SHA_1: aws('RSA_AES_KEY_WRAP_SHA_1', 'rsa-aes-key-wrap', 'sha1'),
    RSAES_OAEP_SHA_256: aws('RSAES_OAEP_SHA_256', 'rsa-oaep', 'sha256'),
    RSAES_OAEP_SHA_1: aws('RSAES_OAEP_SHA_1', 'rsa-oaep', 'sha1'),
  }),
  azurekeyvault: table({
    // byok-specification: the KEK is RSA-HSM 2048/3072/4096 and OAEP uses SHA-1.
    CKM_RSA_AES_KEY_WRAP: algorithm(
      'azurekeyvault',
      'CKM_RSA_AES_KEY_WRAP',
      'rsa-aes-key-wrap',
      'sha1',
      [2048, 3072, 4096],
    ),
  }),
  gcpckms: table({
    RSA_OAEP_3072_SHA256_AES_256: gcp(
      'RSA_OAEP_3072_SHA256_AES_256',
      'rsa-aes-key-wrap',
      'sha256',
      3072,
    ),
    RSA_OAEP_4096_SHA256_AES_256: gcp(
      'RSA_OAEP_4096_SHA256_AES_256',
      'rsa-aes-key-wrap',
      'sha256',
      4096,
    ),
    RSA_OAEP_3072_SHA1_AES_256: gcp('RSA_OAEP_3072_SHA1_AES_256', 'rsa-aes-key-wrap', 'sha1', 3072),
    RSA_OAEP_4096_SHA1_AES_256: gcp('RSA_OAEP_4096_SHA1_AES_256', 'rsa-aes-key-wrap', 'sha1', 4096),
    RSA_OAEP_3072_SHA256: gcp('RSA_OAEP_3072_SHA256', 'rsa-oaep', 'sha256', 3072),
    RSA_OAEP_4096_SHA256: gcp('RSA_OAEP_4096_SHA256', 'rsa-oaep', 'sha256', 4096),
  }),
};

/** Algorithm names per provider, first = Keyplane's default (strongest hybrid). */
export function wrappingAlgorithmNames(provider: KmsProviderName): string[] {
  return Object.keys(WRAPPING_ALGORITHMS[provider]);
}

/** Resolves a wrapping algorithm for a provider, or throws `ERR_UNSUPPORTED_WRAPPING_ALGORITHM`. */
export function wrappingAlgorithm(
  provider: KmsProviderName,
  name: string,
  field = 'algorithm',
): WrappingAlgorithm {
  const rows: Readonly<Record<string, WrappingAlgorithm>> = WRAPPING_ALGORITHMS[provider];
  const found = lookup(rows, name);
  if (found === undefined) {
    const allowed = wrappingAlgorithmNames(provider);
    throw new UnsupportedWrappingAlgorithmError(
      notAllowedMessage(field, name, `for ${provider}`, allowed),
      { field, allowed },
    );
  }
  return found;
}
