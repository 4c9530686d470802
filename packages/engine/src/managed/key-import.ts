/**
 * Importing key material into a managed key's backend (`allow_store_key`; over an existing key
 * only with `allow_replace_key`), as the next Keyplane version of the key.
 *
 * @module
 */
import type { BackendKey, KeyUsage, KmsBackend } from '../backends/contract';
import type { KeyMaterial } from '../crypto/key-material';
import { NotPermittedError } from '../errors';
import type { Binding } from './backend-binding';
import type { ManagedKeyRecord } from './records';

/** Imports `material` as a new version of the record's backend key; returns that version. */
export async function importIntoBackend(
  record: ManagedKeyRecord,
  backend: KmsBackend,
  binding: Binding,
  material: KeyMaterial,
): Promise<BackendKey> {
  const { name } = record;
  if (!record.allow_store_key) {
    throw new NotPermittedError(
      `managed key '${name}' does not allow importing keys; set allow_store_key=true`,
      {
        field: 'allow_store_key',
      },
    );
  }
  const existing = await backend.findKey(binding.ref);
  if (existing !== undefined && !record.allow_replace_key) {
    throw new NotPermittedError(
      `managed key '${name}' already has a key in ${record.type}; set allow_replace_key=true to replace it`,
      {
        field: 'allow_replace_key',
      },
    );
  }
  const versions = existing === undefined ? [] : await backend.listVersions(binding.ref);
  // Versions the backend made itself (a generated key) carry no Keyplane tag but still count.
  const next = Math.max(versions.length, ...versions.map((v) => v.keyplaneVersion ?? 0)) + 1;
  const imported = await backend.importKeyVersion(binding.ref, material, {
    keyplaneKey: name,
    keyplaneVersion: next,
    usages: record.usages.filter((u): u is KeyUsage => u !== 'random'),
  });
  return await backend.getKey({ ...binding.ref, version: imported.version });
}
