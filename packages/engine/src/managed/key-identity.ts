/**
 * Which managed-key parameters decide *which* backend key signs, or *how* it signs. A signing
 * key's versions pin the key they were created for; changing one of these parameters under a
 * signing key would make `keyplane:v1:` mean another key (or another padding), so old signatures
 * stop verifying and new ones come from a key nobody reviewed. Such an update is refused while a
 * signing key uses the managed key; the rest (PIN, credentials, max_parallel, usages) may change.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { table } from '../algorithms/table';
import type { BackendType } from '../backends/contract';
import { InUseError, IntegrityError } from '../errors';
import type { ResolvedManagedKey } from './managed-keys';
import type { Parameters, ParameterValue } from './parameters';
import type { ManagedKeyRecord } from './records';

/** Per backend: where the key lives, its name/id, and the parameters that fix its signature scheme. */
export const KEY_IDENTIFYING_PARAMETERS = table<BackendType, readonly string[]>({
  pkcs11: ['library', 'slot', 'token_label', 'key_label', 'key_id', 'mechanism'],
  awskms: ['endpoint', 'region', 'kms_key', 'key_type'],
  azurekeyvault: ['endpoint', 'environment', 'resource', 'vault_name', 'key_name', 'key_type'],
  gcpckms: [
    'endpoint',
    'project',
    'region',
    'key_ring',
    'crypto_key',
    'crypto_key_version',
    'algorithm',
  ],
});

const same = (a: ParameterValue | undefined, b: ParameterValue | undefined): boolean =>
  JSON.stringify(a ?? '') === JSON.stringify(b ?? '');

/** The key-identifying parameters whose value differs between the record and `next`. */
export function changedIdentity(record: ManagedKeyRecord, next: Parameters): string[] {
  return KEY_IDENTIFYING_PARAMETERS[record.type].filter(
    (field) => !same(record.params[field], next[field]),
  );
}

/**
 * Refuses changing key-identifying parameters of a managed key that signing keys use; names
 * the parameters and the signing keys, and says what to do instead.
 */
export function refuseIdentityChange(
  record: ManagedKeyRecord,
  changed: readonly string[],
  users: readonly string[],
): void {
  if (changed.length === 0 || users.length === 0) return;
  throw new InUseError(
    `managed key '${record.name}' is used by signing key(s) ${users.join(', ')}, whose versions pin its current key; ` +
      `changing ${changed.join(', ')} would make their signatures refer to another key. ` +
      `Create a new managed key for the other key and a signing key over it (existing signatures keep verifying)`,
    { field: changed[0] },
  );
}

/** What a signing-key version pinned about its backend key. */
export interface KeyIdentityPin {
  readonly backend_key_id: string;
  /** Hex SHA-256 of the SPKI DER; '' when none was pinned. */
  readonly public_key_sha256: string;
}

/** Hex SHA-256 of the key's SPKI DER; '' for a key without a public key (it cannot sign). */
export async function publicKeySha256(resolved: ResolvedManagedKey): Promise<string> {
  if (resolved.key.signatures.length === 0) return '';
  const spki = (await resolved.backend.getPublicKey(resolved.key)).export({
    type: 'spki',
    format: 'der',
  });
  return createHash('sha256').update(spki).digest('hex');
}

/** Refuses a backend key that is not the one a version pinned (replaced under the same name). */
export async function checkPin(
  resolved: ResolvedManagedKey,
  version: string,
  pin: KeyIdentityPin,
): Promise<void> {
  let ok = pin.backend_key_id === '' || resolved.key.id === pin.backend_key_id;
  if (ok && pin.public_key_sha256 !== '')
    ok = (await publicKeySha256(resolved)) === pin.public_key_sha256;
  if (!ok) {
    throw new IntegrityError(
      `managed key '${resolved.record.name}': the ${resolved.record.type} key for version ${version} is not the key this signing key pinned (it was replaced); rotate the signing key to use the new one`,
      { field: 'version' },
    );
  }
}
