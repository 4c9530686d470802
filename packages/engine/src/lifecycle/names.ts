/** Names of keys and KMS connections: Vault's path segments, valid in every cloud's key names. */
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../errors';
import { ROOT_NAMESPACE } from '../store/namespaces';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/;
/** `--` + 10 hex digits of SHA-256(namespace): what a non-root namespace appends in the clouds. */
const NAMESPACE_SUFFIX = /--[0-9a-f]{10}$/;
const NAMESPACE_SUFFIX_LENGTH = 12;
/**
 * The shortest key-name limit among the clouds: GCP crypto key ids are 1–63 characters
 * (https://cloud.google.com/kms/docs/resource-hierarchy#keys), Azure key names 1–127
 * (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#objects-identifiers-and-versioning).
 */
const CLOUD_NAME_MAX = 63;

export function checkName(name: string, field: string): void {
  if (!NAME.test(name)) {
    throw new InvalidArgumentError(
      `${field} '${name}' must be letters, digits or '-' (1-63, starting with a letter or digit): it becomes the key's name in every cloud`,
      { field },
    );
  }
}

/**
 * A central key's name: checkName, and short enough for the namespace suffix of namespacedKeyName
 * outside root; never ending like that suffix, so no root key can take another namespace's name.
 */
export function checkKeyName(name: string, namespace: string, field = 'name'): void {
  checkName(name, field);
  if (NAMESPACE_SUFFIX.test(name)) {
    throw new InvalidArgumentError(
      `${field} '${name}' must not end in '--' and 10 hex digits: the clouds' names of keys in other namespaces end so`,
      { field },
    );
  }
  const max = CLOUD_NAME_MAX - NAMESPACE_SUFFIX_LENGTH;
  if (namespace !== ROOT_NAMESPACE && name.length > max) {
    throw new InvalidArgumentError(
      `${field} '${name}' is ${String(name.length)} characters; outside the root namespace at most ${String(max)} (the cloud name adds a ${String(NAMESPACE_SUFFIX_LENGTH)}-character namespace suffix and GCP allows ${String(CLOUD_NAME_MAX)})`,
      { field },
    );
  }
}

/**
 * The base of a key's name in a cloud (before the cloud's own shape, e.g. AWS `alias/`): the key
 * name in root (as Vault names it), else the key name + `--` + 10 hex digits of the namespace's
 * SHA-256, since namespaces sharing one vault / key ring / region / token must not meet on one
 * cloud object. Distinct for distinct (namespace, name) pairs: checkKeyName keeps root names
 * from ending like the suffix.
 */
export function namespacedKeyName(namespace: string, key: string): string {
  if (namespace === ROOT_NAMESPACE) return key;
  const digest = createHash('sha256').update(namespace).digest('hex');
  return `${key}--${digest.slice(0, NAMESPACE_SUFFIX_LENGTH - 2)}`;
}
