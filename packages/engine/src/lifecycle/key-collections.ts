/**
 * The shape of a KMS connection's key_collection per provider — the provider's natural
 * container: AWS region, Azure vault (or Managed HSM) name, GCP key ring resource id, PKCS#11
 * token label. Pure, so synth checks it too (`@keyplane/engine/lifecycle-rules`).
 *
 * @module
 */
import { lookup, table } from '../algorithms/table';
import { BACKEND_TYPES, type BackendType } from '../backends/contract';
import { InvalidArgumentError, UnsupportedTargetError, notAllowedMessage } from '../errors';

/** `projects/<p>/locations/<l>/keyRings/<r>` (https://cloud.google.com/kms/docs/resource-hierarchy). */
export const GCP_KEY_RING = /^projects\/([^/]+)\/locations\/([^/]+)\/keyRings\/([^/]+)$/;

interface KeyCollectionRule {
  readonly pattern: RegExp;
  /** The expected form in words, for the refusal. */
  readonly form: string;
}

const KEY_COLLECTIONS = table<BackendType, KeyCollectionRule>({
  awskms: { pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, form: 'an AWS region such as us-east-1' },
  // Vault and Managed HSM names: 3-24 of [0-9a-zA-Z-]
  // (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates).
  azurekeyvault: {
    pattern: /^[a-zA-Z0-9-]{3,24}$/,
    form: 'a vault or Managed HSM name (3-24 letters, digits, -)',
  },
  gcpckms: {
    pattern: GCP_KEY_RING,
    form: 'a key ring resource id projects/<p>/locations/<l>/keyRings/<r>',
  },
  // CK_TOKEN_INFO.label is 32 bytes, blank-padded (PKCS#11 v2.40 §3.2).
  pkcs11: { pattern: /^.{1,32}$/, form: 'a token label (1-32 characters)' },
});

/** Refuses a key_collection that is not the provider's container form, naming the form. */
export function checkKeyCollection(
  provider: string,
  keyCollection: string,
  field = 'key_collection',
): void {
  const rule = lookup(KEY_COLLECTIONS, provider);
  if (rule === undefined) {
    throw new UnsupportedTargetError(notAllowedMessage('provider', provider, '', BACKEND_TYPES), {
      field: 'provider',
      allowed: BACKEND_TYPES,
    });
  }
  if (!rule.pattern.test(keyCollection)) {
    throw new InvalidArgumentError(
      `${field} '${keyCollection}' is not valid for ${provider}: expected ${rule.form}`,
      { field },
    );
  }
}
