/**
 * Managed keys: registry (Vault's /sys/managed-keys), named signing keys over them
 * (Vault Transit's type=managed_key keys), CryptoClient.
 *
 * @module
 */
export * from './parameters';
export * from './records';
export * from './import-registry';
export * from './managed-keys';
export * from './key-identity';
export { generationLease } from './generation';
export * from './signing-keys';
export * from './crypto-client';
export * from './versioned-value';
export type { Binding, SigningRules } from './backend-binding';
