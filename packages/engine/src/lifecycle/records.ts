/**
 * Central keys, KMS connections and distributions as store records (Vault `keymgmt/`):
 * - `kms`: one connection; non-secret settings in attributes, each credential in its own sealed
 *   field `credential.<name>` (read shows the names only).
 * - `key` with one `key_version` child per version (name = the version number); the private or
 *   secret material is the sealed field `material` of the version record — or, for origin
 *   `hsm:<kms>` (key ref = that kms id), a `token` reference to the object in the HSM.
 * - `distribution` (parent = key id, ref = kms id, name = the kms name) with one
 *   `distribution_version` child per version held in that cloud.
 *
 * @module
 */
import type { Protection, Purpose } from '../algorithms/clouds';
import type { KeyTypeName } from '../algorithms/key-types';
import type { BackendType } from '../backends/contract';

export const CREDENTIAL_PREFIX = 'credential.';
export const MATERIAL_FIELD = 'material';

export type KmsAttributes = {
  readonly provider: BackendType;
  readonly key_collection: string;
  /** Non-secret connection options (endpoint, environment, resource, library, ca_file …). */
  readonly options: Readonly<Record<string, string>>;
};

export type KeyAttributes = {
  readonly type: KeyTypeName;
  readonly origin: string;
  readonly deletion_allowed: boolean;
  readonly min_enabled_version: number;
  /** '' = no automatic rotation. */
  readonly rotation_period: string;
  readonly latest_version: number;
};

/** Where an HSM-origin version lives: the object in a pkcs11 connection's token. */
export type TokenReference = {
  /** Store id of the pkcs11 KMS connection. */
  readonly kms: string;
  /** CKA_LABEL of the object. */
  readonly label: string;
  /** CKA_ID as hex. */
  readonly id: string;
};

export type KeyVersionAttributes = {
  readonly version: number;
  readonly created_at: string;
  /** '' for AES keys. */
  readonly public_key_pem: string;
  readonly fingerprint: string;
  /** HSM origin only: the token object (no material is sealed for such a version). */
  readonly token?: TokenReference;
};

export type DistributionAttributes = {
  readonly key: string;
  readonly kms: string;
  readonly provider: BackendType;
  readonly purpose: readonly Purpose[];
  readonly protection: Protection;
  /** The key's name in the cloud (AWS alias, Azure key, GCP crypto key, PKCS#11 label). */
  readonly kms_key_name: string;
};

export type DistributionVersionAttributes = {
  readonly version: number;
  /** The cloud's id of the version (ARN, versioned kid, version resource name, CKA_ID). */
  readonly cloud_id: string;
  /** What the backend's KeyRef.version takes for this version. */
  readonly cloud_version: string;
};

export type VersionState = 'enabled' | 'disabled';

export interface KeyVersionView {
  readonly version: number;
  readonly created_at: string;
  readonly public_key_pem: string;
  readonly fingerprint: string;
  readonly state: VersionState;
}

export interface KeyView {
  readonly name: string;
  readonly namespace: string;
  readonly type: KeyTypeName;
  readonly origin: string;
  readonly deletion_allowed: boolean;
  readonly min_enabled_version: number;
  readonly rotation_period: string;
  readonly latest_version: number;
  readonly versions: Readonly<Record<string, KeyVersionView>>;
  /** Whether rotation_period has elapsed since the latest version was created. */
  readonly rotation_due: boolean;
  /** The instant the latest version became due for rotation ('' without a rotation_period). */
  readonly rotation_due_at: string;
  /** KMS connections the key is distributed to. */
  readonly distributions: readonly string[];
}

export interface KmsView {
  readonly name: string;
  readonly namespace: string;
  readonly provider: BackendType;
  readonly key_collection: string;
  readonly options: Readonly<Record<string, string>>;
  /** Names of the credentials set (values are sealed, never shown). */
  readonly credentials: readonly string[];
  readonly created_at: string;
  readonly updated_at: string;
}

export interface DistributionView {
  readonly key: string;
  readonly kms: string;
  readonly provider: BackendType;
  readonly purpose: readonly Purpose[];
  readonly protection: Protection;
  readonly kms_key_name: string;
  /** Version → the cloud's id and version name, plus whether it is enabled there. */
  readonly versions: Readonly<
    Record<
      string,
      { readonly cloud_id: string; readonly cloud_version: string; readonly state: VersionState }
    >
  >;
}
