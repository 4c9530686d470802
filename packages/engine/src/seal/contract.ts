/**
 * What a seal is: the thing that wraps a store's data key. Every secret field in the store is
 * AES-256-GCM under that data key (envelope encryption, as Vault's barrier); the seal only ever
 * sees the 32-byte data key. Like Vault's seals (https://developer.hashicorp.com/vault/docs/configuration/seal),
 * a KMS or HSM seal needs no passphrase at all ("auto-unseal"); the passphrase seal is for
 * development.
 *
 * @module
 */

/** Seal types, as the configuration spells them. */
export type SealType = 'passphrase' | 'pkcs11' | 'awskms' | 'azurekeyvault' | 'gcpckms';

export const SEAL_TYPES: readonly SealType[] = [
  'passphrase',
  'pkcs11',
  'awskms',
  'azurekeyvault',
  'gcpckms',
];

export interface Seal {
  readonly type: SealType;
  /**
   * Non-secret description of where the wrapping key lives (`pkcs11 token keyplane-dev key
   * keyplane-seal`), recorded in the store so a wrong seal is named in the error.
   */
  readonly description: string;
  /** Wraps the data key; the result is ASCII (stored as text). */
  wrapDataKey(dataKey: Uint8Array): Promise<string>;
  /** Unwraps; throws (any error) when this seal cannot open `wrapped`. */
  unwrapDataKey(wrapped: string): Promise<Buffer>;
  /** A one-line warning to show users (the passphrase seal: development only). */
  readonly warning?: string;
  /** Releases HSM sessions / cloud clients. Idempotent. */
  close(): Promise<void>;
}

/** AAD of the data key under any seal that takes one, so a wrapped blob means only this. */
export const DATA_KEY_AAD = 'keyplane data key v1';
