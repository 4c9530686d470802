/**
 * Managed keys: registry (seed 003), named signing keys over them (seed 000), CryptoClient.
 *
 * @module
 */
export * from './parameters';
export * from './records';
export * from './import-registry';
export * from './managed-keys';
export * from './signing-keys';
export * from './crypto-client';
export * from './versioned-value';
export type { Binding, SigningRules } from './backend-binding';
