/**
 * What the managed-key registry persists. Secret parameters (PIN, client secret, AWS keys) are
 * never stored in `params`: they live sealed in `sealed_secrets` and read back as "redacted".
 *
 * @module
 */
import type { BackendType, KeyUsage } from '../backends/contract';
import type { ParameterValue } from './parameters';

export interface ManagedKeyRecord {
  readonly uuid: string;
  readonly name: string;
  readonly type: BackendType;
  readonly allow_generate_key: boolean;
  readonly allow_replace_key: boolean;
  readonly allow_store_key: boolean;
  readonly any_mount: boolean;
  readonly usages: readonly KeyUsage[];
  /** Backend parameters except secrets. */
  readonly params: Readonly<Record<string, ParameterValue>>;
  /** Names of the secret parameters that are set (values are in `sealed_secrets`). */
  readonly secret_names: readonly string[];
  /** Seal blob of a JSON object of the secret parameters; absent when there are none. */
  readonly sealed_secrets?: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** One version of a signing key: which backend key version signs for `v<N>`. */
export interface SigningKeyVersion {
  readonly backend_version: string;
  readonly created_at: string;
}

/**
 * A named signing key backed by a managed key (Vault: a transit key of `type=managed_key`).
 * It is also the managed key's *consumer*: like a Vault mount's `allowed_managed_keys`, it may
 * use a managed key only if that key has `any_mount` or is listed here.
 */
export interface SigningKeyRecord {
  readonly name: string;
  readonly managed_key: string;
  readonly allowed_managed_keys: readonly string[];
  readonly latest_version: number;
  readonly versions: Readonly<Record<string, SigningKeyVersion>>;
  readonly created_at: string;
}

export interface RegistryData {
  readonly format: 1;
  readonly managed_keys: Readonly<Record<string, ManagedKeyRecord>>;
  readonly signing_keys: Readonly<Record<string, SigningKeyRecord>>;
}

export const EMPTY_REGISTRY: RegistryData = { format: 1, managed_keys: {}, signing_keys: {} };

/** Shape returned by `read`: Vault's read response (secrets "redacted"). */
export type ManagedKeyView = Readonly<Record<string, ParameterValue>> & {
  readonly UUID: string;
  readonly name: string;
  readonly type: BackendType;
};

export const REDACTED = 'redacted';

/** Every non-secret parameter of the entry, generic and backend, as the API names them. */
export function parametersOf(record: ManagedKeyRecord): Readonly<Record<string, ParameterValue>> {
  return {
    allow_generate_key: record.allow_generate_key,
    allow_replace_key: record.allow_replace_key,
    allow_store_key: record.allow_store_key,
    any_mount: record.any_mount,
    usages: record.usages,
    ...record.params,
  };
}

export function viewOf(record: ManagedKeyRecord): ManagedKeyView {
  const secrets = Object.fromEntries(record.secret_names.map((n) => [n, REDACTED]));
  return {
    UUID: record.uuid,
    name: record.name,
    type: record.type,
    ...parametersOf(record),
    ...secrets,
  };
}

/** Own-property lookup: a name like `constructor` must not resolve to Object.prototype members. */
export function own<V>(rows: Readonly<Record<string, V>>, name: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(rows, name) ? rows[name] : undefined;
}
