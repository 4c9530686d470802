/**
 * The shared BYOK pipeline: resolve algorithm → check the key type against the cloud table and
 * the algorithm → check the KEK → export plaintext → wrap → wipe. Each cloud file only adds its
 * own parameters and envelope.
 *
 * @module
 */
import {
  cloudKeySupport,
  type AzureService,
  type ByokTargetName,
  type KmsProviderName,
  KMS_PROVIDERS,
  supportedKeyTypes,
} from '../algorithms/clouds';
import { KEY_TYPES, type KeyTypeName } from '../algorithms/key-types';
import {
  wrappingAlgorithm,
  type WrappingAlgorithm,
  type WrappingScheme,
} from '../algorithms/wrapping-algorithms';
import { UnsupportedKeyTypeError, notAllowedMessage } from '../errors';
import { exportPlaintext, type KeyMaterial } from '../crypto/key-material';
import { withSecret } from '../crypto/zeroize';
import { wrapWithScheme } from './schemes';
import { parseWrappingKey, type WrappingKeyInput } from './wrapping-key';

/** Inputs every cloud format shares. */
export interface ByokWrapParameters {
  /** The cloud's wrapping key: KeyObject, or PEM / DER SubjectPublicKeyInfo. */
  readonly wrappingKey: WrappingKeyInput;
  /** The key to transfer (private or secret). */
  readonly key: KeyMaterial;
  /** Wrapping algorithm / import method name; each cloud has a default. */
  readonly algorithm?: string | undefined;
}

/** What every cloud format returns (secrets excluded: all of it is safe to log or store). */
export interface ByokWrapResult {
  readonly provider: KmsProviderName;
  readonly target: ByokTargetName;
  readonly algorithm: string;
  readonly scheme: WrappingScheme;
  readonly keyType: KeyTypeName;
  /** The cloud's name for the imported key (AWS KeySpec, Azure kty, GCP algorithm). */
  readonly cloudSpec: string;
  readonly wrappingKeyBits: number;
  readonly wrappingKeySha256: string;
  /** Exactly the bytes the cloud's import API takes (Azure: the `.byok` JSON document). */
  readonly blob: Buffer;
}

export function wrapForProvider(
  provider: KmsProviderName,
  params: ByokWrapParameters,
  defaultAlgorithm: string,
  azureService?: AzureService,
): ByokWrapResult {
  const algorithm = wrappingAlgorithm(provider, params.algorithm ?? defaultAlgorithm);
  const support = cloudKeySupport(
    KMS_PROVIDERS[provider],
    params.key.type.name,
    azureService === undefined ? { field: 'key' } : { field: 'key', azureService },
  );
  checkAlgorithmCarries(algorithm, params.key, azureService);
  const kek = parseWrappingKey(params.wrappingKey, algorithm);
  const exclusion = algorithm.exclusions.find(
    (x) => x.keyType === params.key.type.name && x.kekBits === kek.modulusBits,
  );
  if (exclusion !== undefined) {
    throw new UnsupportedKeyTypeError(
      `key '${params.key.type.name}' cannot be wrapped: ${exclusion.reason}`,
      {
        field: 'key',
      },
    );
  }
  const blob = withSecret(exportPlaintext(params.key, support.plaintext), (plaintext) =>
    wrapWithScheme(kek, algorithm, plaintext),
  );
  return {
    provider,
    target: KMS_PROVIDERS[provider].target,
    algorithm: algorithm.name,
    scheme: algorithm.scheme,
    keyType: params.key.type.name,
    cloudSpec: support.cloudSpec,
    wrappingKeyBits: kek.modulusBits,
    wrappingKeySha256: kek.sha256,
    blob,
  };
}

/** Refuses key families the algorithm cannot carry, naming the key types it can. */
function checkAlgorithmCarries(
  algorithm: WrappingAlgorithm,
  key: KeyMaterial,
  azureService?: AzureService,
): void {
  if (algorithm.families.includes(key.type.family)) return;
  const allowed = supportedKeyTypes(KMS_PROVIDERS[algorithm.provider], azureService).filter((t) =>
    algorithm.families.includes(KEY_TYPES[t].family),
  );
  throw new UnsupportedKeyTypeError(
    notAllowedMessage('key', key.type.name, `with ${algorithm.name}`, allowed),
    {
      field: 'key',
      allowed,
    },
  );
}
