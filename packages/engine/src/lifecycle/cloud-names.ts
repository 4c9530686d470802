/**
 * Where a central key lands in each KMS: the name the engine gives the key in the cloud (AWS
 * `alias/<key>`, otherwise the key's own name; outside root with the namespace's suffix) and
 * that cloud's naming rule, so a name is refused before any cloud call (and at synth, through
 * `@keyplane/engine/lifecycle-rules`).
 *
 * @module
 */
import { lookup, table } from '../algorithms/table';
import { BACKEND_TYPES, type BackendType } from '../backends/contract';
import { InvalidArgumentError, UnsupportedTargetError, notAllowedMessage } from '../errors';
import { ROOT_NAMESPACE } from '../store/namespaces';
import { namespacedKeyName } from './names';

interface CloudKeyNaming {
  /** The key's name in the cloud, derived from the central key name. */
  readonly keyName: (key: string) => string;
  readonly pattern: RegExp;
  /** The rule in words, for the refusal. */
  readonly form: string;
}

const CLOUD_KEY_NAMING = table<BackendType, CloudKeyNaming>({
  // AliasName: 1-256 of [a-zA-Z0-9:/_-], `alias/` prefix, `alias/aws/` reserved for AWS
  // (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html).
  awskms: {
    keyName: (k) => `alias/${k}`,
    pattern: /^alias\/(?!aws\/)[a-zA-Z0-9:/_-]{1,250}$/,
    form: "an AWS KMS alias 'alias/' + 1-250 of letters, digits, ':', '/', '_', '-' (not 'alias/aws/')",
  },
  // Key names: 1-127 of [0-9a-zA-Z-]
  // (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers).
  azurekeyvault: {
    keyName: (k) => k,
    pattern: /^[0-9a-zA-Z-]{1,127}$/,
    form: 'an Azure Key Vault key name (1-127 letters, digits, -)',
  },
  // CryptoKey id: [a-zA-Z0-9_-]{1,63}
  // (https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys/create).
  gcpckms: {
    keyName: (k) => k,
    pattern: /^[a-zA-Z0-9_-]{1,63}$/,
    form: 'a GCP crypto key id (1-63 letters, digits, _, -)',
  },
  // CKA_LABEL is an arbitrary UTF-8 string (PKCS#11 v2.40 §4.4); objects are found by CKA_ID.
  pkcs11: { keyName: (k) => k, pattern: /^.{1,255}$/u, form: 'a CKA_LABEL of 1-255 characters' },
});

/**
 * The key's name in the cloud, or the typed refusal naming the cloud's rule. Outside the root
 * namespace the name carries the namespace's suffix (namespacedKeyName).
 */
export function cloudKeyName(
  provider: string,
  key: string,
  field = 'key',
  namespace: string = ROOT_NAMESPACE,
): string {
  const naming = lookup(CLOUD_KEY_NAMING, provider);
  if (naming === undefined) {
    throw new UnsupportedTargetError(notAllowedMessage('provider', provider, '', BACKEND_TYPES), {
      field: 'provider',
      allowed: BACKEND_TYPES,
    });
  }
  const name = naming.keyName(namespacedKeyName(namespace, key));
  if (!naming.pattern.test(name)) {
    throw new InvalidArgumentError(
      `${field} '${key}' gives the ${provider} key name '${name}', which is not ${naming.form}`,
      { field },
    );
  }
  return name;
}
