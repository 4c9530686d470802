/**
 * Managed keys and signing keys as store records. A managed key is a `managed_key` record:
 * non-secret parameters in its attributes, each secret parameter (PIN, client secret, AWS keys)
 * in its own sealed field. A signing key is a `signing_key` record (ref = its managed key's id)
 * with one `signing_key_version` child per version, each pinning the backend key identity.
 *
 * @module
 */
import type { BackendType, KeyUsage } from '../backends/contract';
import type { StoreRecord } from '../store/contract';
import type { ParameterValue } from './parameters';

export interface ManagedKeyRecord {
  readonly uuid: string;
  readonly namespace: string;
  readonly name: string;
  readonly revision: number;
  readonly type: BackendType;
  readonly allow_generate_key: boolean;
  readonly allow_replace_key: boolean;
  readonly allow_store_key: boolean;
  readonly any_mount: boolean;
  readonly usages: readonly KeyUsage[];
  /** Backend parameters except secrets. */
  readonly params: Readonly<Record<string, ParameterValue>>;
  /** Names of the secret parameters that are set (values sealed in the store). */
  readonly secret_names: readonly string[];
  readonly created_at: string;
  readonly updated_at: string;
}

/** What a managed_key record's attributes hold. */
export type ManagedKeyAttributes = Omit<
  ManagedKeyRecord,
  'uuid' | 'namespace' | 'name' | 'revision' | 'created_at' | 'updated_at' | 'secret_names'
>;

/**
 * One version of a signing key: which backend key version signs for `v<N>`, and the identity
 * it had when pinned (backend id — ARN, versioned kid, version name, CKA_ID — and the SHA-256 of
 * its public key), so a key replaced under the same name is refused instead of silently used.
 */
export type SigningKeyVersion = {
  readonly backend_version: string;
  readonly backend_key_id: string;
  /** Hex SHA-256 of the SPKI DER; '' for keys without a public key (HMAC). */
  readonly public_key_sha256: string;
  /** SPKI PEM of the pinned key (absent in versions pinned before it was recorded, and HMAC). */
  readonly public_key_pem?: string;
  readonly created_at: string;
};

/**
 * A named signing key backed by a managed key (Vault: a transit key of `type=managed_key`).
 * It is also the managed key's *consumer*: like a Vault mount's `allowed_managed_keys`, it may
 * use a managed key only if that key has `any_mount` or is listed here.
 */
export interface SigningKeyRecord {
  readonly namespace: string;
  readonly name: string;
  readonly managed_key: string;
  readonly allowed_managed_keys: readonly string[];
  readonly latest_version: number;
  readonly versions: Readonly<Record<string, SigningKeyVersion>>;
  readonly created_at: string;
}

export type SigningKeyAttributes = {
  readonly managed_key: string;
  readonly allowed_managed_keys: readonly string[];
  readonly latest_version: number;
};

/** Shape returned by `read`: Vault's read response (secrets "redacted"). */
export type ManagedKeyView = Readonly<Record<string, ParameterValue>> & {
  readonly UUID: string;
  readonly name: string;
  readonly namespace: string;
  readonly type: BackendType;
};

export const REDACTED = 'redacted';

/** The store record a ManagedKeyRecord was read from (for its sealed secrets). */
const STORED = new WeakMap<ManagedKeyRecord, StoreRecord>();

export function storedRecordOf(record: ManagedKeyRecord): StoreRecord | undefined {
  return STORED.get(record);
}

/**
 * Records already converted, by the store record they came from. The store hands out the same
 * (read-only) record object while the record is unchanged, so a sign path that reads its managed
 * key from the store's cache gets the same ManagedKeyRecord back instead of a new one per call.
 */
const FROM_STORE = new WeakMap<StoreRecord, ManagedKeyRecord>();

export function managedKeyFromStore(stored: StoreRecord): ManagedKeyRecord {
  const known = FROM_STORE.get(stored);
  if (known !== undefined) return known;
  const a = stored.attributes as unknown as ManagedKeyAttributes;
  const record: ManagedKeyRecord = {
    uuid: stored.id,
    namespace: stored.namespace,
    name: stored.name,
    revision: stored.revision,
    type: a.type,
    allow_generate_key: a.allow_generate_key,
    allow_replace_key: a.allow_replace_key,
    allow_store_key: a.allow_store_key,
    any_mount: a.any_mount,
    usages: a.usages,
    params: a.params,
    secret_names: stored.secretFields,
    created_at: stored.createdAt,
    updated_at: stored.updatedAt,
  };
  STORED.set(record, stored);
  FROM_STORE.set(stored, record);
  return record;
}

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
    namespace: record.namespace,
    type: record.type,
    ...parametersOf(record),
    ...secrets,
  };
}
