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
  type PlaintextFormat,
  KMS_PROVIDERS,
  supportedKeyTypes,
} from '../algorithms/clouds';
import { KEY_TYPES, type KeyFamily, type KeyTypeName } from '../algorithms/key-types';
import { TOKEN_EXPORT_ALGORITHMS } from '../algorithms/token-export';
import {
  wrappingAlgorithm,
  type WrappingAlgorithm,
  type WrappingScheme,
} from '../algorithms/wrapping-algorithms';
import {
  UnsupportedKeyTypeError,
  UnsupportedWrappingAlgorithmError,
  notAllowedMessage,
} from '../errors';
import { exportPlaintext, type KeyMaterial } from '../crypto/key-material';
import { isTokenKey, type TransferableKey } from '../crypto/token-key';
import { withSecret } from '../crypto/zeroize';
import { wrapWithScheme } from './schemes';
import { parseWrappingKey, type WrappingKey, type WrappingKeyInput } from './wrapping-key';

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

interface WrapPlan {
  readonly algorithm: WrappingAlgorithm;
  readonly kek: WrappingKey;
  readonly plaintext: PlaintextFormat;
  readonly result: Omit<ByokWrapResult, 'blob'>;
}

/** Every check that needs no key bytes: algorithm, key type vs cloud table, KEK, exclusions. */
function planWrap(
  provider: KmsProviderName,
  params: { readonly wrappingKey: WrappingKeyInput; readonly key: TransferableKey },
  algorithmName: string,
  azureService: AzureService | undefined,
): WrapPlan {
  const algorithm = wrappingAlgorithm(provider, algorithmName);
  const support = cloudKeySupport(
    KMS_PROVIDERS[provider],
    params.key.type.name,
    azureService === undefined ? { field: 'key' } : { field: 'key', azureService },
  );
  checkAlgorithmCarries(algorithm, params.key.type.name, params.key.type.family, azureService);
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
  return {
    algorithm,
    kek,
    plaintext: support.plaintext,
    result: {
      provider,
      target: KMS_PROVIDERS[provider].target,
      algorithm: algorithm.name,
      scheme: algorithm.scheme,
      keyType: params.key.type.name,
      cloudSpec: support.cloudSpec,
      wrappingKeyBits: kek.modulusBits,
      wrappingKeySha256: kek.sha256,
    },
  };
}

export function wrapForProvider(
  provider: KmsProviderName,
  params: ByokWrapParameters,
  defaultAlgorithm: string,
  azureService?: AzureService,
): ByokWrapResult {
  const plan = planWrap(provider, params, params.algorithm ?? defaultAlgorithm, azureService);
  const blob = withSecret(exportPlaintext(params.key, plan.plaintext), (plaintext) =>
    wrapWithScheme(plan.kek, plan.algorithm, plaintext),
  );
  return { ...plan.result, blob };
}

/** Like ByokWrapParameters, for software material or a key held in a PKCS#11 token. */
export interface TransferWrapParameters extends Omit<ByokWrapParameters, 'key'> {
  readonly key: TransferableKey;
}

/**
 * The BYOK blob of software material (as wrapForProvider) or of a token key, which only the
 * token's hybrid export can produce: refused, naming them, for algorithms outside
 * TOKEN_EXPORT_ALGORITHMS (SoftHSM2 2.6.1 has RSA-OAEP with SHA-1 only).
 */
export async function wrapTransfer(
  provider: KmsProviderName,
  params: TransferWrapParameters,
  defaultAlgorithm: string,
  azureService?: AzureService,
): Promise<ByokWrapResult> {
  const key = params.key;
  if (!isTokenKey(key))
    return wrapForProvider(provider, { ...params, key }, defaultAlgorithm, azureService);
  const allowed = TOKEN_EXPORT_ALGORITHMS[provider];
  const name = params.algorithm ?? allowed[0] ?? defaultAlgorithm;
  if (!allowed.includes(name)) {
    throw new UnsupportedWrappingAlgorithmError(
      notAllowedMessage('wrappingAlgorithm', name, `for HSM-origin keys in ${provider}`, allowed),
      { field: 'wrappingAlgorithm', allowed },
    );
  }
  const plan = planWrap(provider, params, name, azureService);
  if (plan.algorithm.scheme !== 'rsa-aes-key-wrap') {
    throw new UnsupportedWrappingAlgorithmError(
      `${name} is not an RSA-AES hybrid; HSM-origin keys leave the token only as CKM_RSA_AES_KEY_WRAP blobs`,
      { field: 'wrappingAlgorithm', allowed },
    );
  }
  return { ...plan.result, blob: await key.wrapHybrid(plan.kek.key, plan.algorithm.oaepHash) };
}

/** Refuses key families the algorithm cannot carry, naming the key types it can. */
function checkAlgorithmCarries(
  algorithm: WrappingAlgorithm,
  keyTypeName: KeyTypeName,
  family: KeyFamily,
  azureService?: AzureService,
): void {
  if (algorithm.families.includes(family)) return;
  const allowed = supportedKeyTypes(KMS_PROVIDERS[algorithm.provider], azureService).filter((t) =>
    algorithm.families.includes(KEY_TYPES[t].family),
  );
  throw new UnsupportedKeyTypeError(
    notAllowedMessage('key', keyTypeName, `with ${algorithm.name}`, allowed),
    {
      field: 'key',
      allowed,
    },
  );
}
