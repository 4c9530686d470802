/**
 * What a managed-key entry is, apart from the registry that stores it: the name rule, its
 * attributes and secrets built and validated from parameters (at create time, not first use),
 * reading it from a store record, and its usages.
 *
 * @module
 */
import type { KeyUsage } from '../backends/contract';
import { InvalidArgumentError, NotFoundError, UsageNotAllowedError } from '../errors';
import type { StoreRecord } from '../store/contract';
import { bindBackend } from './backend-binding';
import { backendType, checkRequired, splitSecrets, type Parameters } from './parameters';
import { managedKeyFromStore, type ManagedKeyAttributes, type ManagedKeyRecord } from './records';

const NAME = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

export function checkManagedKeyName(name: string, field = 'name'): void {
  if (!NAME.test(name)) {
    throw new InvalidArgumentError(
      `${field} '${name}' must be lowercase letters, digits, '.', '_' or '-' (1-128, starting with a letter or digit)`,
      { field },
    );
  }
}

/** Attributes and secrets of an entry, validated (required and cross-parameter rules). */
export function buildManagedKeyEntry(
  type: ManagedKeyRecord['type'],
  name: string,
  all: Parameters,
): { attributes: ManagedKeyAttributes; secrets: Record<string, string> } {
  checkRequired(type, all);
  const { plain, secrets } = splitSecrets(type, all);
  const { allow_generate_key, allow_replace_key, allow_store_key, any_mount, usages, ...params } =
    plain;
  const attributes: ManagedKeyAttributes = {
    type,
    allow_generate_key: allow_generate_key === true,
    allow_replace_key: allow_replace_key === true,
    allow_store_key: allow_store_key === true,
    any_mount: any_mount === true,
    usages: (usages ?? ['sign', 'verify']) as readonly KeyUsage[],
    params,
  };
  // Validates the cross-parameter rules (mechanism/curve/key_bits, endpoint/insecure) now,
  // at create time, rather than at first use.
  const binding = bindBackend(type, { name, usages: attributes.usages, params, secrets });
  if (attributes.allow_generate_key) binding.spec();
  return { attributes, secrets };
}

/** Secret parameters as sealed-field bytes. */
export function encodeSecrets(secrets: Readonly<Record<string, string>>): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
}

/** The entry read for `name` (of `type`, when given), or NotFoundError. */
export function managedKeyIn(
  stored: StoreRecord | undefined,
  namespace: string,
  name: string,
  type?: string,
): ManagedKeyRecord {
  const record = stored === undefined ? undefined : managedKeyFromStore(stored);
  if (record === undefined || (type !== undefined && record.type !== backendType(type))) {
    const where = type === undefined ? '' : ` of type ${type}`;
    const ns = namespace === 'root' ? '' : ` in namespace '${namespace}'`;
    throw new NotFoundError(`managed key '${name}'${where} does not exist${ns}`, { field: 'name' });
  }
  return record;
}

/** Refuses an operation missing from the entry's `usages`. */
export function requireUsage(record: ManagedKeyRecord, usage: KeyUsage): void {
  if (!record.usages.includes(usage)) {
    throw new UsageNotAllowedError(
      `managed key '${record.name}' does not allow '${usage}'; its usages are ${record.usages.join(', ')}`,
      { field: 'usages', allowed: record.usages },
    );
  }
}
